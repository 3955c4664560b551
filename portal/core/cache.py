"""A Redis cache that degrades to "no cache" when Redis is away, instead of failing the page.

The portal caches only what it can recompute (page fragments, counts), so a Redis outage should cost speed, not
answers: every read misses, every write is dropped, and the error is logged once in a while.

Invalidations are the exception: a delete (an ended session, an unread badge) or a generation moved on
(portal.core.pagecache: a changed page, a revoked permission) that cannot reach Redis is owed, and done as soon as
Redis answers this process again, before anything else is read or written. Redis may come back with its data
(after a network cut, or with persistence on), and what was ended or revoked meanwhile must not live again.
What a process owes is kept in its memory (10,000 keys at most): a process that ends before Redis is back takes
it along, and the entries' own timeouts are the last bound.
"""

from __future__ import annotations

import logging
import math
import pickle
import threading
import time
import weakref
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.core.cache")
ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0
MAX_OWED = 10_000


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


_SETTLED: weakref.WeakSet = weakref.WeakSet()  # every SettledCache of this process (cleared with the shared one)


def clear_settled() -> None:
    """Forget this process's local copies (the shared cache was cleared)."""
    for settled in list(_SETTLED):
        settled.clear()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._owed_deletes: set[tuple[str, int | None]] = set()
        self._owed_renewals: set[tuple[str, int | None]] = set()
        self._owed_lock = threading.Lock()

    # What could not reach Redis ------------------------------------------------------------------------------------
    def _owe(self, owed: set, items) -> None:
        with self._owed_lock:
            owed.update(items)
            if len(self._owed_deletes) + len(self._owed_renewals) > MAX_OWED:
                logger.error("cache unavailable: more than %d invalidations owed, some are dropped", MAX_OWED)
                while len(self._owed_deletes) + len(self._owed_renewals) > MAX_OWED:
                    (self._owed_deletes or self._owed_renewals).pop()

    def _settle(self) -> None:
        """Do what is owed, if anything (raises the cache's error while Redis is still away)."""
        if not (self._owed_deletes or self._owed_renewals):
            return
        with self._owed_lock:
            deletes, renewals = set(self._owed_deletes), set(self._owed_renewals)
        for key, version in deletes:
            super().delete(key, version)
            self._owed_deletes.discard((key, version))
        for key, version in renewals:
            super().set(key, time.time_ns(), None, version)
            self._owed_renewals.discard((key, version))
        logger.warning("cache available again: %d owed invalidations done", len(deletes) + len(renewals))

    def renew(self, key, version=None) -> None:
        """Move a generation on: a fresh value, kept until moved on again (owed while Redis is away)."""
        try:
            self._settle()
            super().set(key, time.time_ns(), None, version)
        except ERRORS as exc:
            _warn(exc)
            self._owe(self._owed_renewals, [(key, version)])

    # The cache API, failing soft ------------------------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        try:
            self._settle()
            return super().get(key, default, version)
        except ERRORS as exc:
            _warn(exc)
            return default

    def get_many(self, keys, version=None):
        try:
            self._settle()
            return super().get_many(keys, version)
        except ERRORS as exc:
            _warn(exc)
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            self._settle()
            return super().set(key, value, timeout, version)
        except ERRORS as exc:
            _warn(exc)

    def add(self, key, value, timeout=None, version=None):
        try:
            self._settle()
            return super().add(key, value, timeout, version)
        except ERRORS as exc:
            _warn(exc)
            return False

    def delete(self, key, version=None):
        try:
            self._settle()
            return super().delete(key, version)
        except ERRORS as exc:
            _warn(exc)
            self._owe(self._owed_deletes, [(key, version)])
            return False

    def delete_many(self, keys, version=None):
        keys = list(keys)
        try:
            self._settle()
            return super().delete_many(keys, version)
        except ERRORS as exc:
            _warn(exc)
            self._owe(self._owed_deletes, [(key, version) for key in keys])

    def clear(self):
        clear_settled()
        try:
            return super().clear()
        except ERRORS as exc:
            _warn(exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            self._settle()
            return super().incr(key, delta, version)
        except ERRORS as exc:
            _warn(exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def has_key(self, key, version=None):
        try:
            self._settle()
            return super().has_key(key, version)
        except ERRORS as exc:
            _warn(exc)
            return False


class SettledCache(BaseCache):
    """For entries whose key names everything they are built from (the generations of their models, the
    language, the person): such an entry never changes under its key, it only expires. So each process keeps a
    copy in its own memory beside the shared cache, and a repeated read costs no round trip to Redis.

    Used by `pagecache.remember` and by the `{% cache %}` fragments of the templates (the `template_fragments`
    alias). The expiry travels with the value, so a copy read from Redis ends when the shared one does. The local
    copy is kept pickled, so that a caller who changes what it was given changes only its own copy (as with Redis),
    and at most MAX_ENTRIES copies are kept, the least recently read going first.
    """

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._shared_alias = options.get("SHARED", "default")
        self._max_entries = int(options.get("MAX_ENTRIES", 2000))
        self._local: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        _SETTLED.add(self)

    @property
    def _shared(self):
        return caches[self._shared_alias]

    def _shared_key(self, key: str, version) -> str:
        return "settled:" + self.make_and_validate_key(key, version)

    def _keep(self, key: str, deadline: float, value) -> None:
        packed = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._local[key] = (deadline, packed)
            self._local.move_to_end(key)
            while len(self._local) > self._max_entries:
                self._local.popitem(last=False)

    def get(self, key, default=None, version=None):
        key = self._shared_key(key, version)
        now = time.time()
        with self._lock:
            hit = self._local.get(key)
            if hit is not None:
                if hit[0] > now:
                    self._local.move_to_end(key)
                else:
                    del self._local[key]
                    hit = None
        if hit is not None:
            return pickle.loads(hit[1])  # noqa: S301 - our own copy, pickled by this process
        shared = self._shared.get(key)
        if shared is None:
            return default
        deadline, value = shared
        if deadline <= now:
            return default
        self._keep(key, deadline, value)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self._shared_key(key, version)
        seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
        if seconds is not None and seconds <= 0:
            return
        deadline = math.inf if seconds is None else time.time() + seconds
        self._shared.set(key, (deadline, value), seconds)
        self._keep(key, deadline, value)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.get(key, version=version) is not None:
            return False
        self.set(key, value, timeout, version)
        return True

    def delete(self, key, version=None):
        raise NotImplementedError("settled entries are never deleted: move a generation on instead")

    def clear(self):
        with self._lock:
            self._local.clear()
