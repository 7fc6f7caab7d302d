"""The archive's cache backend: this process's copies in front of a shared cache.

`TwoLevelCache` is the one cache the site uses (stories/caching.py builds
every key). It keeps the values this process used lately in a size-bounded
LRU in front of the shared cache (Redis in production, files under var/ for
`make run`, memory in tests), so the parts read most are served without a
round trip or unpickling.

Three kinds of key are stored. Most keys name the versions of everything their
value shows, so what is filed under one never changes and a copy kept here is
never out of date. Version keys (starting with VERSION_PREFIX) do change: a
write bumps them. Copies of those are kept here only when the shared cache
tells this process, as it answers the writer, that a version changed:
Redis does, through client-side caching in broadcast mode (CLIENT TRACKING,
redirected to a subscribed connection, available since Redis 6). Every other
shared cache is asked for the versions each time. Counters (starting with
SHARED_ONLY_PREFIX: hits waiting to be written) are never kept here at all:
their add, incr, get and delete go to the shared cache alone.

`PooledClientRedisCache` is Django's Redis cache with one client per
connection pool: Django's RedisCacheClient builds a new redis.Redis object for
every call, some 0.15 ms of a worker's time.
"""

import os
import pickle
import sys
import threading

import redis
from cachetools import LRUCache
from django.core.cache import InvalidCacheBackendError
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

VERSION_PREFIX = "v:"
# Keys that change under the same name and are read by other processes
# (counters: hits waiting to be written): never kept in this process.
SHARED_ONLY_PREFIX = "s:"
# How many entries the file cache of `make run` keeps: it lists its folder at
# every write past this many.
FILES_KEPT = 5000
INVALIDATION_CHANNEL = "__redis__:invalidate"
# What the feed's own connections take from the cache's: where and who.
CONNECTION_SETTINGS = {
    "host", "port", "db", "username", "password", "path",
    "ssl", "ssl_certfile", "ssl_keyfile", "ssl_cert_reqs", "ssl_ca_certs",
}  # fmt: skip


# Adds to a counter only if it exists, in one round trip and atomically: Django's
# EXISTS then INCRBY takes two, and a counter that expires between them comes
# back from INCRBY without its expiry (a rate limit's would never end).
INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then
  return redis.call('incrby', KEYS[1], ARGV[1])
end
return false
"""


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_existing = {}

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        if client not in self._incr_existing:
            self._incr_existing[client] = client.register_script(INCR_EXISTING)
        value = self._incr_existing[client](keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class PooledClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient

    def invalidations(self, prefix):
        """Return this process's feed of the keys under prefix that change."""
        return _InvalidationFeed(self, self.make_key(prefix))


class _InvalidationFeed:
    """The names of changed keys, pushed by Redis to this process.

    One connection subscribes to Redis's invalidation channel; a second turns
    tracking on in broadcast mode for the prefix, redirected to the first.
    Redis writes the invalidation of a key it changes in the same pass of its
    event loop as the reply to the command that changed it (not always before
    it), so a reader that polls the subscribed connection at the start of its work
    sees every change a writer was told of before the reader's request came:
    a writer's redirect reaches the reader's process long after.
    """

    def __init__(self, cache, prefix):
        pool = cache._cache._get_connection_pool(write=True)
        kwargs = {
            name: value
            for name, value in pool.connection_kwargs.items()
            if name in CONNECTION_SETTINGS
        }
        # Invalidations come as published messages in RESP2.
        subscriber = pool.connection_class(**kwargs, protocol=2)
        tracker = pool.connection_class(**kwargs, protocol=2)
        self._connections = [subscriber, tracker]
        subscriber.send_command("CLIENT", "ID")
        subscriber_id = subscriber.read_response()
        subscriber.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
        subscriber.read_response()
        tracker.send_command(
            "CLIENT", "TRACKING", "ON", "REDIRECT", subscriber_id, "BCAST",
            "PREFIX", prefix,
        )  # fmt: skip
        if tracker.read_response() != b"OK":
            raise redis.ConnectionError("Redis refused to track keys.")
        self._subscriber = subscriber

    def changed(self):
        """Return the changed keys pushed since the last call; None for "all
        of them" (Redis was flushed)."""
        if self._subscriber._sock is None:
            # Lost: reading would connect again, without the subscription.
            raise redis.ConnectionError("The invalidation feed was closed.")
        keys = set()
        while self._subscriber.can_read(timeout=0):
            kind, _channel, data = self._subscriber.read_response()
            if kind != b"message":
                continue
            if data is None:
                return None
            keys.update(key.decode() for key in data)
        return keys

    def close(self):
        for connection in self._connections:
            connection.disconnect()


class TwoLevelCache(BaseCache):
    """The shared cache named by LOCATION, with this process's copies in front.

    LOCATION is a redis:// URL, "locmem" (tests), or else a folder for files.
    OPTIONS: KEPT_BYTES, how much this process keeps (32 MB by default).
    """

    def __init__(self, location, params):
        options = params.get("OPTIONS", {})
        self._kept_bytes = int(options.get("KEPT_BYTES", 32 * 1024 * 1024))
        super().__init__({**params, "OPTIONS": {}})
        self.shared = _shared_cache(location, params)
        self._lock = threading.Lock()
        self._kept = None
        self._feed = None
        self._feed_pid = None
        self._invalidated = 0

    # This process's copies.

    def _store(self):
        if self._kept is None:
            self._kept = LRUCache(maxsize=self._kept_bytes, getsizeof=_size_of)
        return self._kept

    def _versions_tracked(self):
        """Drop the kept versions that changed; return whether any are kept."""
        if not hasattr(self.shared, "invalidations"):
            return False
        pid = os.getpid()
        try:
            if self._feed is None or self._feed_pid != pid:
                # A forked worker needs connections of its own.
                self._drop_versions()
                self._feed = self.shared.invalidations(VERSION_PREFIX)
                self._feed_pid = pid
            changed = self._feed.changed()
        except (redis.RedisError, OSError, ValueError):
            self._lose_feed()
            return False
        if changed is None:
            self._drop_versions()
        elif changed:
            prefix = self.shared.make_key("")
            with self._lock:
                store = self._store()
                for key in changed:
                    store.pop(key.removeprefix(prefix), None)
                self._invalidated += 1
        return True

    def _lose_feed(self):
        if self._feed is not None and self._feed_pid == os.getpid():
            self._feed.close()
        self._feed = None
        self._drop_versions()

    def _drop_versions(self):
        with self._lock:
            store = self._store()
            for key in [key for key in store if key.startswith(VERSION_PREFIX)]:
                del store[key]
            self._invalidated += 1

    def _keep(self, values):
        kept = {
            key: value if _is_immutable(value) else _Pickled(pickle.dumps(value))
            for key, value in values.items()
            if not key.startswith(SHARED_ONLY_PREFIX)
        }
        with self._lock:
            store = self._store()
            for key, value in kept.items():
                if _size_of(value) <= store.maxsize:
                    store[key] = value

    def _kept_many(self, keys):
        with self._lock:
            store = self._store()
            found = {key: store[key] for key in keys if key in store}
        return {
            key: pickle.loads(value) if isinstance(value, _Pickled) else value
            for key, value in found.items()
        }

    def _forget(self, keys):
        with self._lock:
            store = self._store()
            for key in keys:
                store.pop(key, None)

    # The cache API.

    def get_many(self, keys, version=None):
        keys = list(keys)
        tracked = any(key.startswith(VERSION_PREFIX) for key in keys) and (
            self._versions_tracked()
        )
        keepable = [
            key for key in keys if tracked or not key.startswith(VERSION_PREFIX)
        ]
        found = self._kept_many(keepable)
        wanted = [key for key in keys if key not in found]
        if wanted:
            invalidated = self._invalidated
            shared = self.shared.get_many(wanted, version=version)
            keep = {
                key: value
                for key, value in shared.items()
                if not key.startswith(VERSION_PREFIX)
                or (tracked and invalidated == self._invalidated)
            }
            self._keep(keep)
            found.update(shared)
        return found

    def get(self, key, default=None, version=None):
        return self.get_many([key], version=version).get(key, default)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget(data)
        failed = self.shared.set_many(data, timeout=timeout, version=version)
        self._keep(
            {
                key: value
                for key, value in data.items()
                if not key.startswith(VERSION_PREFIX)
            }
        )
        return failed

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget([key])
        return self.shared.add(key, value, timeout=timeout, version=version)

    def delete(self, key, version=None):
        self._forget([key])
        return self.shared.delete(key, version=version)

    def delete_many(self, keys, version=None):
        self._forget(keys)
        self.shared.delete_many(keys, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.shared.touch(key, timeout=timeout, version=version)

    def incr(self, key, delta=1, version=None):
        self._forget([key])
        return self.shared.incr(key, delta=delta, version=version)

    def has_key(self, key, version=None):
        return key in self.get_many([key], version=version)

    def clear(self):
        with self._lock:
            self._kept = None
            self._invalidated += 1
        self.shared.clear()

    def close(self, **kwargs):
        self.shared.close(**kwargs)


def _shared_cache(location, params):
    shared_params = {"TIMEOUT": params.get("TIMEOUT", DEFAULT_TIMEOUT)}
    if location.startswith(("redis://", "rediss://")):
        return PooledClientRedisCache(location, shared_params)
    if location == "locmem":
        return LocMemCache("two-level", shared_params)
    if location:
        # Django culls a third of the files, versions too, past 300 entries:
        # fewer than one listing's parts and blurbs for a few pages.
        options = {"MAX_ENTRIES": FILES_KEPT}
        return FileBasedCache(location, {**shared_params, "OPTIONS": options})
    raise InvalidCacheBackendError("TwoLevelCache needs a LOCATION.")


class _Pickled(bytes):
    """A value that could be changed in place, kept pickled: each reader gets
    a copy of its own, as from the shared cache."""


def _is_immutable(value):
    if value is None or isinstance(value, str | bytes | int | float | bool):
        return True
    return isinstance(value, tuple) and all(_is_immutable(item) for item in value)


def _size_of(value):
    """Return about how many bytes a kept value takes."""
    if isinstance(value, tuple):
        return sum(_size_of(item) for item in value) + sys.getsizeof(value)
    return sys.getsizeof(value)
