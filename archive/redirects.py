"""Sending people back where they came from, but only within the archive."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_address(request, address, fallback=""):
    """Return address when it leads within this site, else fallback.

    Every address taken from a request (a "next" parameter, a Referer) goes
    through here before a page shows it or a response follows it.
    """
    # Only a path ("/works/") or a whole address of this site: anything else
    # ("works", "null") is not an address a page of the archive gives.
    if (
        address
        and (address.startswith("/") or "://" in address)
        and url_has_allowed_host_and_scheme(
            address,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return address
    return resolve_url(fallback) if fallback else ""


def redirect_to_next(request, fallback):
    """Redirect to the form's "next" address when it is on this site, else fallback.

    The address is followed as it is, never looked up as the name of a view.
    """
    return HttpResponseRedirect(
        safe_address(request, request.POST.get("next", ""), fallback)
    )
