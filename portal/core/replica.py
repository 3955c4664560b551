"""Read-only report work on a PostgreSQL streaming replica, when one is configured (`DATABASE_REPLICA_URL`).

With no replica configured every function here is a no-op and every query goes to `default`, as before.

With one configured:

- **What goes to the replica**: only the views marked `@reads_replica` (the community dashboard, the district
  overview, exports, the public lists), only for GET and HEAD, and only their reads. Every write goes to the
  primary. Accounts, sessions, permissions and the axes lockouts are always read from the primary (`PRIMARY_ONLY`).
- **Read-your-writes**: any write request (POST, PUT, PATCH, DELETE) sets a short-lived cookie
  (`PIN_COOKIE`, `REPLICA_PIN_SECONDS`); while it lasts that person's reads all stay on the primary, so someone
  who has just filed a suggestion sees it in the public list at once, whatever the replica's lag.
- **Falling back**: the replica's state is checked at most every `CHECK_EVERY` seconds in each process (one query:
  its replay lag). Down, or behind by more than `REPLICA_MAX_LAG_SECONDS`, the reports read the primary. A report
  whose replica query fails mid-way (the replica stopped between two checks) is run once more on the primary:
  report views only read, so running one twice applies nothing twice.
- `/healthz` shows the replica's state and lag (`status()`); a replica that is down is not an outage.
"""

from __future__ import annotations

import contextvars
import logging
import time
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

ALIAS = "replica"
PIN_COOKIE = "rw_primary"
CHECK_EVERY = 5.0  # seconds between two checks of the replica in one process
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# Read from the primary always: who is signed in, what they may do, and whether they are locked out must never lag.
PRIMARY_ONLY_APPS = {"auth", "sessions", "contenttypes", "axes", "admin", "django_celery_beat"}
PRIMARY_ONLY_MODELS = {"portal.user", "portal.session", "portal.pendingaccount", "portal.phonecode"}

# The replica's lag in seconds: 0 when it has replayed everything it received (an idle primary sends nothing, and
# the last replayed transaction's age would grow for nothing), else the age of the last transaction replayed.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""

_reports: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reports", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_pinned", default=False)
_state = {"checked": -CHECK_EVERY, "state": "down", "lag": None}


def configured() -> bool:
    return ALIAS in connections.settings


def pinned() -> bool:
    """Whether this request reads everything from the primary (its person wrote a moment ago)."""
    return _pinned.get() and configured()


def reading() -> bool:
    """Whether this request's reads go to the replica now (a report view, not pinned, replica usable)."""
    return _reports.get() and not _pinned.get() and configured()


def _primary_only(model) -> bool:
    return model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label_lower in PRIMARY_ONLY_MODELS


class ReplicaRouter:
    """DATABASE_ROUTERS entry. Without a replica it answers nothing (Django's own choice stands, as before)."""

    def db_for_read(self, model, **hints):
        if not configured():
            return None
        # Explicit "default" outside reports: a row read from the replica must not take its related reads there.
        return ALIAS if reading() and not _primary_only(model) else "default"

    def db_for_write(self, model, **hints):
        return "default" if configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        if not configured():
            return None
        return {obj1._state.db, obj2._state.db} <= {"default", ALIAS, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == ALIAS else None


# --- the replica's state -----------------------------------------------------------------------------------------


def _probe() -> tuple[str, float | None]:
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except Exception as exc:  # down, refusing, or not a PostgreSQL replica: the reports read the primary
        logger.warning("replica: %s", exc)
        _close_replica()
        return "down", None
    return ("ok" if lag <= settings.REPLICA_MAX_LAG_SECONDS else "lagging"), round(lag, 3)


def _close_replica() -> None:
    try:
        connections[ALIAS].close()
    except Exception as exc:  # a broken connection may fail to close; it is dropped either way
        logger.debug("replica: close: %s", exc)


def status(*, fresh: bool = False) -> dict:
    """{"state": "none" | "ok" | "lagging" | "down", "lag_seconds": float | None}, checked at most every
    CHECK_EVERY seconds in this process (`fresh` checks now)."""
    if not configured():
        return {"state": "none", "lag_seconds": None}
    now = time.monotonic()
    if fresh or now - _state["checked"] >= CHECK_EVERY:
        _state["state"], _state["lag"] = _probe()
        _state["checked"] = now
    return {"state": _state["state"], "lag_seconds": _state["lag"]}


def usable() -> bool:
    return configured() and status()["state"] == "ok"


def _mark_down() -> None:
    _state["state"], _state["lag"], _state["checked"] = "down", None, time.monotonic()
    _close_replica()


# --- report views and read-your-writes -----------------------------------------------------------------------------


def reads_replica(view):
    """Run a read-only report view on the replica when it is usable and the person has not just written; if the
    replica fails under it, run it again on the primary."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not configured() or _pinned.get() or request.method not in ("GET", "HEAD") or not usable():
            return view(request, *args, **kwargs)
        getattr(getattr(request, "user", None), "pk", None)  # load who is signed in now, from the primary
        token = _reports.set(True)
        try:
            return view(request, *args, **kwargs)
        except DatabaseError as exc:
            logger.warning("replica: %s failed on the replica, run on the primary: %s", request.path, exc)
            if _probe()[0] != "ok":
                _mark_down()
        finally:
            _reports.reset(token)
        return view(request, *args, **kwargs)

    wrapped.reads_replica = True
    return wrapped


class ReadYourWritesMiddleware:
    """Pin a person's reads to the primary for REPLICA_PIN_SECONDS after any write request of theirs (a cookie, so
    it holds on whichever app host answers next). Without a replica it sets nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or _pin_fresh(request.COOKIES.get(PIN_COOKIE, "")))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes and configured():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _pin_fresh(value: str) -> bool:
    """A pin that has not expired (and is no longer than the setting: a forged far-future value is ignored)."""
    now = time.time()
    return value.isdecimal() and now <= int(value) <= now + settings.REPLICA_PIN_SECONDS + 1
