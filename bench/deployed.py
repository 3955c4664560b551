"""The portal as deployed, for the tools under bench/ that run it (`make scan`, `make lighthouse`): production
settings on a scratch PostgreSQL database and a Redis database of their own, seeded with seed_demo."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Signed-in sessions (as `manage.py shell -c`): a resident with bookings, and the hall's staff.
SESSION_SCRIPT = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from portal.core import roles
from portal.core.models import User
from portal.core.sessions import SessionStore
out = {}
for key, role, holding in (
    ("resident", roles.RESIDENT, "resident__bookings"),  # a resident with bookings to list
    ("resident_case", roles.RESIDENT, "resident__cases"),  # one who filed a case (for the case page)
    ("hall", roles.HALL_STAFF, None),
    ("director", roles.COMMITTEE_DIRECTOR, None),  # the volunteer corps' lists are the director's
    ("district", roles.DISTRICT_ADMIN, None),
):
    users = User.objects.filter(groups__name=role, is_active=True).order_by("pk")
    user = (holding and users.filter(**{f"{holding}__isnull": False}).first()) or users.first()
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "portal.core.backends.PortalModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    out[key] = s.session_key
print(json.dumps(out))
"""


def environment(database: str, redis_db: int, out: Path, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, a strong throwaway key) on `database` and Redis database `redis_db`, with
    uploads under `out`. BENCH-style overrides: <NAME>_DATABASE_URL and <NAME>_REDIS_URL."""
    return {
        **os.environ,
        "PORTAL_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "MEDIA_ROOT": str(out / "media"),
        "PRIVATE_MEDIA_ROOT": str(out / "private-media"),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True)
    if done.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)


def prepare(env: dict) -> dict[str, str]:
    """Migrate and seed the scratch database, collect the static files; the signed-in sessions {who: key}."""
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--allow-production")
    manage(env, "collectstatic", "--noinput", "-v0")
    return json.loads(manage(env, "shell", "-c", SESSION_SCRIPT).strip().splitlines()[-1])


def wait_up(base: str, context=None) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2, context=context)  # noqa: S310 - our own server
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")
