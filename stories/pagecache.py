"""Caching pages for guests, and parts of pages for everyone.

Whole pages are cached for guests without a session; blurbs, counts and facets
are cached for every listing. Any change to what readers see empties both.

Every cached page is stored under the cache generation current when its request
began; any write that changes a work, chapter, comment or tag starts a new
generation once its transaction commits. A page built from data read before the
commit is therefore filed under the old generation and never served again.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

GENERATION_KEY = "pages:generation"
PARTS_TIMEOUT = 60 * 60
CACHEABLE_TYPES = ("text/html", "application/atom+xml")


def _cache():
    return caches[settings.ARCHIVE_PAGE_CACHE_ALIAS]


def current_generation():
    """Return the generation pages are filed under now."""
    return _cache().get_or_set(GENERATION_KEY, 1, timeout=None)


def _start_new_generation():
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


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
    """Serve guests' pages from the cache; cache the ones that are the same for all."""

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
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and content_type.startswith(CACHEABLE_TYPES)
        ):
            cache.set(key, (response.content, content_type), timeout=seconds)
            response["X-Page-Cache"] = "miss"
        return response
