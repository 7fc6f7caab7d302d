"""Sending people back where they came from, but only within the archive."""

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_address(request, address, fallback=""):
    """Return address when it leads within this site, else fallback.

    Every address taken from a request (a "next" parameter, a Referer) goes
    through here before a page shows it or a response follows it.
    """
    if address and url_has_allowed_host_and_scheme(
        address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return address
    return resolve_url(fallback) if fallback else ""


def redirect_to_next(request, fallback):
    """Redirect to the form's "next" address when it is on this site, else fallback."""
    return redirect(safe_address(request, request.POST.get("next", ""), fallback))
