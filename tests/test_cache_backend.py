"""otscustoms.cache.RedisCache: Django's Redis cache with one client per connection pool, on
the real Redis (fails, never skips, without it)."""

from __future__ import annotations

import threading
import uuid
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from otscustoms.cache import RedisCache


@pytest.fixture
def redis_url():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: the cache tests need a real Redis.")
    return settings.REDIS_URL


@pytest.fixture
def cache(redis_url):
    backend = RedisCache(redis_url, {"KEY_PREFIX": f"cache-test-{uuid.uuid4().hex[:8]}"})
    yield backend
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{backend.key_prefix}:*"))
    if keys:
        client.delete(*keys)


def test_the_project_cache_is_this_backend_when_redis_is_configured(redis_url):
    assert settings.CACHES["default"]["BACKEND"] == "otscustoms.cache.RedisCache"
    assert isinstance(caches["default"], RedisCache)


def test_one_client_serves_every_call(cache):
    built = []
    real_init = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        real_init(self, *args, **kwargs)

    with mock.patch.object(redis.Redis, "__init__", counting_init):
        cache.set("a", {"value": 1})
        for _ in range(10):
            assert cache.get("a") == {"value": 1}
        cache.set_many({"b": 2, "c": 3})
        assert cache.get_many(["a", "b", "c", "missing"]) == {"a": {"value": 1}, "b": 2, "c": 3}
        assert cache.incr("b") == 3
        cache.delete("a")
        assert cache.get("a", "gone") == "gone"
    # Django's own backend builds one per call: 16 here.
    assert len(built) == 1


def test_what_one_call_writes_the_next_reads(cache):
    assert cache.add("k", "first") is True
    assert cache.add("k", "second") is False
    assert cache.get("k") == "first"
    assert cache.touch("k", 60) is True
    assert cache.has_key("k")
    cache.set("k", "third", timeout=0)  # a timeout of 0 deletes, as in Django's backend
    assert cache.get("k") is None


def test_one_client_shared_by_threads(cache):
    cache.set_many({f"key-{i}": i for i in range(20)})
    errors, seen_clients = [], set()

    def read(offset):
        try:
            for i in range(50):
                key = (offset + i) % 20
                if cache.get(f"key-{key}") != key:
                    errors.append(key)
            seen_clients.add(id(cache._cache.get_client()))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(seen_clients) == 1


def test_a_client_per_server_when_reads_go_to_replicas(redis_url):
    # Several LOCATIONs: writes go to the first, reads to the others (Django's rule); each
    # pool has its client. Two databases of the same Redis stand in for two servers.
    base = redis_url.rsplit("/", 1)[0]
    backend = RedisCache(f"{base}/14,{base}/15", {})
    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client()
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 14
    assert reader.connection_pool.connection_kwargs["db"] == 15
    assert backend._cache.get_client(write=True) is writer
    assert backend._cache.get_client() is reader
