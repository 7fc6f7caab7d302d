"""Caching pages for guests, and parts of pages for everyone.

Whole pages are cached for guests without a session; listing pages, counts and
sidebars, and the part of a chapter page below its header, for everyone. Any
change to what readers see empties them all. (Blurbs are kept by what they
show instead: see stories/blurbs.py.)

Every cached page is stored under the cache generation current when its request
began; any write that changes a work, chapter, comment or tag starts a new
generation once its transaction commits. A page built from data read before the
commit is therefore filed under the old generation and never served again.
A request reads the generation once, when it first needs it, and keeps it to
its end unless it writes.
"""

import pickle
import re
import sys
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

GENERATION_KEY = "pages:generation"
PARTS_TIMEOUT = 60 * 60
CACHEABLE_TYPES = ("text/html", "application/atom+xml")
STORED_HEADERS = ("content-type", "content-language", "x-frame-options", "vary")
TOKEN_MARK_TEXT = "\x00csrf-token\x00"
TOKEN_MARK = TOKEN_MARK_TEXT.encode()
FORM_TOKEN_RE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')


def _cache():
    return caches[settings.ARCHIVE_PAGE_CACHE_ALIAS]


# The generation this request has read, in a dict while a request is served.
_request_generation = ContextVar("request_generation", default=None)


@contextmanager
def generation_kept_for_request():
    """Read the generation at most once until the block ends or something writes."""
    token = _request_generation.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)


def current_generation():
    """Return the generation pages are filed under now.

    A generation the cache lost (evicted, or the cache restarted) starts again
    from the clock, past every number used before, so that no page filed
    under an old generation can come back.
    """
    kept = _request_generation.get()
    if kept is not None and "generation" in kept:
        return kept["generation"]
    generation = _cache().get_or_set(GENERATION_KEY, time.time_ns, timeout=None)
    if kept is not None:
        kept["generation"] = generation
    return generation


def _start_new_generation():
    kept = _request_generation.get()
    if kept is not None:
        kept.clear()
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


class _KeptInProcess:
    """The parts and pages this process used lately, by their full keys.

    A full key names its cache generation (or, for a lasting part, everything
    it shows), and what is filed under one never changes, so a copy kept here
    is never out of date: it only spares a trip to the shared cache (and
    unpickling) for the pages read most. The least recently used go first once
    they take more than ARCHIVE_KEPT_IN_PROCESS_BYTES.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._items = None

    def _store(self):
        size = settings.ARCHIVE_KEPT_IN_PROCESS_BYTES
        if self._items is None or self._items.maxsize != size:
            self._items = LRUCache(maxsize=size, getsizeof=_size_of)
        return self._items

    def get_many(self, keys):
        with self._lock:
            store = self._store()
            found = {key: store[key] for key in keys if key in store}
        return {
            key: pickle.loads(value) if isinstance(value, _Pickled) else value
            for key, value in found.items()
        }

    def set_many(self, values):
        kept = {
            key: value if _is_immutable(value) else _Pickled(pickle.dumps(value))
            for key, value in values.items()
        }
        with self._lock:
            store = self._store()
            for key, value in kept.items():
                if _size_of(value) <= store.maxsize:
                    store[key] = value

    def clear(self):
        with self._lock:
            self._items = None


class _Pickled(bytes):
    """A value that could be changed in place, kept pickled: each reader gets
    a copy of its own, as from the shared cache."""


def _is_immutable(value):
    if isinstance(value, str | bytes | int | float | bool):
        return True
    return isinstance(value, tuple) and all(_is_immutable(item) for item in value)


def _size_of(value):
    """Return about how many bytes a kept value takes."""
    if isinstance(value, tuple):
        return sum(_size_of(item) for item in value) + sys.getsizeof(value)
    return sys.getsizeof(value)


_kept = _KeptInProcess()


def forget_everything():
    """Empty the shared cache and this process's copies, as after a cold start."""
    _cache().clear()
    _kept.clear()


def _get_many(full_keys):
    """Return what is cached under these full keys, asking the process first."""
    found = _kept.get_many(full_keys)
    wanted = [key for key in full_keys if key not in found]
    if wanted:
        shared = _cache().get_many(wanted)
        _kept.set_many(shared)
        found.update(shared)
    return found


def _set_many(values, timeout):
    _cache().set_many(values, timeout=timeout)
    _kept.set_many(values)


def recall_many(keys):
    """Return the parts cached under these keys, None for each one missing."""
    prefix = f"parts:{current_generation()}:"
    found = _get_many([prefix + key for key in keys])
    return [found.get(prefix + key) for key in keys]


def recall(key):
    """Return the part cached under this key, or None."""
    return recall_many([key])[0]


def remember(key, compute, *, timeout=PARTS_TIMEOUT):
    """Return a part of a page from the cache, computing it when it is missing."""
    return remember_many([key], lambda missing: {key: compute()}, timeout=timeout)[0]


def remember_many(keys, compute_missing, *, timeout=PARTS_TIMEOUT):
    """Return parts for every key, computing the missing ones in one call.

    compute_missing takes the missing keys and returns a dict of their parts.
    """
    prefix = f"parts:{current_generation()}:"
    return _remember(prefix, keys, compute_missing, timeout)


def remember_lasting(keys, compute_missing, *, timeout):
    """Return parts for every key, computing the missing ones in one call, kept
    whatever the generation: for parts whose keys name everything they show.
    """
    return _remember("lasting:", keys, compute_missing, timeout)


def _remember(prefix, keys, compute_missing, timeout):
    found = _get_many([prefix + key for key in keys])
    values = {
        key: found[prefix + key] for key in keys if found.get(prefix + key) is not None
    }
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        _set_many({prefix + key: value for key, value in computed.items()}, timeout)
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

    Every request it passes on reads the cache generation once at most (one
    cache round trip for all the parts of its page), until it writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with generation_kept_for_request():
            return self._respond(request)

    def _respond(self, request):
        seconds = settings.ARCHIVE_PAGE_CACHE_SECONDS
        if not seconds or not _is_guest_without_state(request):
            return self.get_response(request)
        key = f"pages:{current_generation()}:{request.get_full_path()}"
        stored = _get_many([key]).get(key)
        if stored is not None:
            return _from_cache(request, *stored)
        response = self.get_response(request)
        if _cacheable(response):
            content = response.content
            content = FORM_TOKEN_RE.sub(rb"\1" + TOKEN_MARK + rb"\2", content)
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() in STORED_HEADERS
            )
            _set_many({key: (content, headers)}, seconds)
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
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response
