"""The Redis cache backend the archive uses in production, against a real Redis."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from archive.cache import PooledClientRedisCache


@pytest.fixture(scope="module")
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server here (make redis installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("redis-server did not answer")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait()


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
