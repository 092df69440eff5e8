"""Django's Redis cache, with one ``redis.Redis`` client per connection pool instead of one
per cache call.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every ``get`` and
``set``. The connections themselves come from a shared pool, but building the client copies
redis-py's table of ~170 response callbacks each time: ~70 µs, and a signed-in request reads
the cache at least twice (its session and its user; issue 8). A client holds no connection of
its own between commands, and redis-py documents its instances as safe to share between
threads, so one per pool does the same work without the copies.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool -> its redis.Redis

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with the client above; the same
    settings (LOCATION, OPTIONS) and the same keys."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
