"""Settings for the test suite: the real settings, on PostgreSQL and Redis.

DATABASE_URL / REDIS_URL default to the local servers. When those do not answer, the suite falls back to
SQLite and a local-memory cache and skips the tests marked `services` — unless CI=true, where a missing
service stops the run instead of letting tests skip silently.
"""

import os
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("PORTAL_ENV", "test")


def _answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


_DB = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
_REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
SERVICES_UP = {
    "postgres": _answers(_DB, 5432) if _DB.startswith("postgres") else False,
    "redis": _answers(_REDIS, 6379),
}
if os.environ.get("CI", "").lower() == "true" and not all(SERVICES_UP.values()):
    down = ", ".join(name for name, up in SERVICES_UP.items() if not up)
    raise ImproperlyConfigured(f"CI=true and {down} does not answer ({_DB}, {_REDIS}); the suite will not skip.")
if SERVICES_UP["postgres"]:
    os.environ["DATABASE_URL"] = _DB
else:
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(
        os.path.dirname(os.path.dirname(__file__)), "test-db.sqlite3"
    )
if SERVICES_UP["redis"]:
    # Each pytest-xdist worker gets a Redis database of its own (cache, lockout counters), so that one worker's
    # cache.clear() never empties another's.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if _worker.startswith("gw") and _worker[2:].isdigit():
        _REDIS = urlsplit(_REDIS)._replace(path=f"/{10 + int(_worker[2:])}").geturl()
    os.environ["REDIS_URL"] = _REDIS
else:
    os.environ.pop("REDIS_URL", None)

from portal.settings import *  # noqa: E402,F403

# Most tests run tasks in-process, after commit; the Celery round-trip test starts a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "test-artifacts" / "private-media"  # noqa: F405
SMS_BACKEND = "portal.core.sms.MemoryBackend"
SMS_QUIET_HOURS = None  # tests run at any hour: those about quiet hours set them (or a preference) themselves
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
