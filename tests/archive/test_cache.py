"""The cache backends the archive uses in production, against a real Redis."""

import time

import pytest
import redis

from archive.cache import PooledClientRedisCache, TwoLevelCache

# Redis writes a change's invalidation to the reader's connection in the same
# pass as the reply to the writer, not always before it: a reader on a busy
# machine may ask in between, and hear of it a moment later.
NOTICE_SECONDS = 5


def _read_when_told(read, expected):
    """Return what read() gives once it is expected, or at the deadline."""
    deadline = time.monotonic() + NOTICE_SECONDS
    while (found := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.001)
    return found


def test_the_cache_keeps_counts_and_pages_with_one_client(redis_url):
    cache = PooledClientRedisCache(redis_url, {})
    cache.clear()
    assert cache.get_or_set("generation", 7, timeout=None) == 7
    assert cache.incr("generation") == 8
    cache.set_many({"page:a": b"<p>A</p>", "page:b": "<p>B</p>"}, timeout=60)
    assert cache.get_many(["page:a", "page:b", "page:c"]) == {
        "page:a": b"<p>A</p>",
        "page:b": "<p>B</p>",
    }
    cache.delete("page:a")
    assert cache.get("page:a") is None

    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client


def test_a_missing_count_cannot_be_incremented(redis_url):
    cache = PooledClientRedisCache(redis_url, {})
    cache.clear()
    with pytest.raises(ValueError):
        cache.incr("generation")


def test_a_count_keeps_its_expiry_and_is_one_script_call(redis_url):
    cache = PooledClientRedisCache(redis_url, {})
    cache.clear()
    cache.add("s:rl:counter", 1, timeout=60)
    client = cache._cache.get_client(write=True)
    cache.incr("s:rl:counter")
    client.config_resetstat()
    assert cache.incr("s:rl:counter", 5) == 7
    assert cache.decr("s:rl:counter", 2) == 5
    assert 0 < client.ttl(cache.make_key("s:rl:counter")) <= 60
    calls = {
        name: stats["calls"] for name, stats in client.info("commandstats").items()
    }
    # One script call each (its EXISTS and INCRBY run inside Redis).
    assert calls["cmdstat_evalsha"] == 2


def test_a_version_kept_in_one_process_follows_a_write_in_another(redis_url):
    reader = TwoLevelCache(redis_url, {})
    writer = TwoLevelCache(redis_url, {})
    reader.clear()
    writer.set("v:work:1", "first", timeout=None)
    assert reader.get("v:work:1") == "first"
    shared_reads = []
    read = reader.shared.get_many
    reader.shared.get_many = lambda keys, **kw: (
        shared_reads.append(keys) or read(keys, **kw)
    )
    # Kept here: the shared cache is not asked again.
    assert reader.get("v:work:1") == "first"
    assert shared_reads == []

    writer.set("v:work:1", "second", timeout=None)

    # Redis told the reader as it answered the writer.
    assert _read_when_told(lambda: reader.get("v:work:1"), "second") == "second"
    assert shared_reads == [["v:work:1"]]


def test_every_kept_version_is_dropped_when_redis_is_emptied(redis_url):
    reader = TwoLevelCache(redis_url, {})
    reader.clear()
    reader.set_many({"v:tag:1": "a", "v:tag:2": "b"}, timeout=None)
    assert reader.get_many(["v:tag:1", "v:tag:2"]) == {"v:tag:1": "a", "v:tag:2": "b"}

    redis.Redis.from_url(redis_url).flushall()

    assert _read_when_told(lambda: reader.get_many(["v:tag:1", "v:tag:2"]), {}) == {}


def test_without_the_push_versions_are_asked_of_redis_each_time(redis_url):
    reader = TwoLevelCache(redis_url, {})
    reader.clear()
    reader.set("v:user:1", "first", timeout=None)
    assert reader.get("v:user:1") == "first"
    reader._feed.close()
    # Lost with its feed: this process would not hear of this write.
    PooledClientRedisCache(redis_url, {}).set("v:user:1", "second", timeout=None)

    # The lost feed is noticed at the next read: nothing kept is trusted.
    assert reader.get("v:user:1") == "second"


def test_parts_named_by_their_versions_are_kept_in_the_process(redis_url):
    cache = TwoLevelCache(redis_url, {})
    cache.clear()
    cache.set("listing:abc", "<p>Page</p>", timeout=60)
    cache.shared.delete("listing:abc")
    assert cache.get("listing:abc") == "<p>Page</p>"
