"""A whole-page cache for guests, emptied at once by any change to what they see.

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
    """Forget every cached page once the current transaction commits."""
    if settings.ARCHIVE_PAGE_CACHE_SECONDS:
        transaction.on_commit(_start_new_generation)


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
