"""A Redis cache that degrades to "no cache" when Redis is away, instead of failing the page.

The portal caches only what it can recompute (page fragments, counts), so a Redis outage should cost speed, not
answers: every read misses, every write is dropped, and the error is logged once in a while.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")
ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 30:
        _last_warning = time.monotonic()
        logger.warning("cache unavailable, serving without it: %s", exc)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis for every cache call (about 0.25 ms of Python each: its response-callback
    table); one per connection pool is enough, as redis.Redis is thread-safe and checks the pid on fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except ERRORS as exc:
            _warn(exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except ERRORS as exc:
            _warn(exc)
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except ERRORS as exc:
            _warn(exc)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except ERRORS as exc:
            _warn(exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except ERRORS as exc:
            _warn(exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ERRORS as exc:
            _warn(exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except ERRORS as exc:
            _warn(exc)
            return False
