"""Caching pages for guests, and parts of pages for everyone.

Whole pages are cached for guests without a session; blurbs, counts and facets
are cached for every listing. Any change to what readers see empties both.

Every cached page is stored under the cache generation current when its request
began; any write that changes a work, chapter, comment or tag starts a new
generation once its transaction commits. A page built from data read before the
commit is therefore filed under the old generation and never served again.
"""

import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

GENERATION_KEY = "pages:generation"
PARTS_TIMEOUT = 60 * 60
CACHEABLE_TYPES = ("text/html", "application/atom+xml")
STORED_HEADERS = ("content-type", "content-language", "x-frame-options", "vary")
TOKEN_MARK = b"\x00csrf-token\x00"
FORM_TOKEN_RE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')


def _cache():
    return caches[settings.ARCHIVE_PAGE_CACHE_ALIAS]


def current_generation():
    """Return the generation pages are filed under now.

    A generation the cache lost (evicted, or the cache restarted) starts again
    from the clock, past every number used before, so that no page filed
    under an old generation can come back.
    """
    return _cache().get_or_set(GENERATION_KEY, time.time_ns, timeout=None)


def _start_new_generation():
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def pages_changed():
    """Forget every cached page and page part, now and when the write commits.

    The second forgetting covers pages built while the write was in flight
    from what it had not yet committed.
    """
    _start_new_generation()
    transaction.on_commit(_start_new_generation)


def remember(key, compute, *, timeout=PARTS_TIMEOUT):
    """Return a part of a page from the cache, computing it when it is missing."""
    cache = _cache()
    full_key = f"parts:{current_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=timeout)
    return value


def remember_many(keys, compute_missing, *, timeout=PARTS_TIMEOUT):
    """Return parts for every key, computing the missing ones in one call.

    compute_missing takes the missing keys and returns a dict of their parts.
    """
    cache = _cache()
    prefix = f"parts:{current_generation()}:"
    found = cache.get_many([prefix + key for key in keys])
    values = {key: found[prefix + key] for key in keys if prefix + key in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        cache.set_many(
            {prefix + key: value for key, value in computed.items()}, timeout=timeout
        )
        values.update(computed)
    return [values[key] for key in keys]


def _is_guest_without_state(request):
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


class GuestPageCacheMiddleware:
    """Serve guests' pages from the cache; cache the ones that are the same for all.

    It sits inside the CSRF middleware: a page with a form is stored with its
    form token taken out, and every guest served that page gets a token of
    their own (and the cookie that goes with it) put back in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.ARCHIVE_PAGE_CACHE_SECONDS
        if not seconds or not _is_guest_without_state(request):
            return self.get_response(request)
        key = f"pages:{current_generation()}:{request.get_full_path()}"
        cache = _cache()
        stored = cache.get(key)
        if stored is not None:
            return _from_cache(request, *stored)
        response = self.get_response(request)
        if _cacheable(response):
            content = response.content
            content = FORM_TOKEN_RE.sub(rb"\1" + TOKEN_MARK + rb"\2", content)
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() in STORED_HEADERS
            }
            cache.set(key, (content, headers), timeout=seconds)
            response["X-Page-Cache"] = "miss"
        return response


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
    )


def _from_cache(request, content, headers):
    if TOKEN_MARK in content:
        content = content.replace(TOKEN_MARK, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response
