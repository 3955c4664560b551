"""Restart PostgreSQL under load: requests fail cleanly (no traceback pages), the portal recovers by itself.

The portal runs as deployed — gunicorn sync workers, PORTAL_ENV=production (DEBUG off, hashed static files), a
Redis of its own — on a throwaway PostgreSQL cluster that only this test uses (the machine's PostgreSQL on 5432
keeps serving everyone else). Threads load a few pages, one of them signed in (sessions live in PostgreSQL).

1. Under load: the cluster is stopped (`pg_ctl stop -m fast`, which also cuts the connections in use), stays down
   a few seconds and is started again. Meanwhile every page is the project's own error page and /healthz says the
   database is down; nothing hangs; afterwards every worker answers 200 again, with nobody touching the portal.
2. A quiet restart, with no request in between: every worker still holds its persistent connection to the old
   server. CONN_HEALTH_CHECKS must replace it before the first query — without it the first request of each
   worker is a 500 (this test fails that way when the setting is turned off).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from tests.faults.servers import PY, ROOT, collectstatic, gunicorn, postgres_cluster, production_env, redis_server

pytestmark = pytest.mark.services

WORKERS = 3
THREADS = 6
DOWN_SECONDS = 4
HANG_BOUND = 5.0  # no request may take longer than this, outage or not
RECOVERY_BOUND = 15.0  # after PostgreSQL is back, every worker answers 200 within this
ERROR_PAGE = "抱歉，服务器出错了"  # templates/500.html, the project's own page
LEAKS = (
    "Traceback",
    "OperationalError",
    "InterfaceError",
    "psycopg",
    "Connection refused",
    "Is the server running",
    "terminating connection",
    "the database system is",
    "DEBUG = True",
    "django.db",
)

MIGRATE_AND_SEED = """\
import json
from django.core.management import call_command
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from portal.core.models import User
from portal.core.sessions import SessionStore
from portal.core.models import Community, District
from services.models import ServiceItem
from services.seed import seed_catalogue

call_command("migrate", interactive=False, verbosity=0)
district, _ = District.objects.get_or_create(name="新华区")
community, _ = Community.objects.get_or_create(district=district, slug="nanhuan", defaults={"name": "南环东路社区"})
seed_catalogue(community)
user = User.objects.create_user("13800009999", "x-" + "9" * 20, name="故障测试", community=community)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
item = ServiceItem.objects.filter(community=community).order_by("pk").first()
print(json.dumps({"item": item.pk, "slug": community.slug, "session": session.session_key}))
"""


@dataclass
class Hit:
    tag: str
    path: str
    started: float
    ended: float
    status: int | None = None
    body: str = ""
    error: str = ""

    @property
    def took(self) -> float:
        return self.ended - self.started


class Load:
    """THREADS threads GETting the pages round-robin, each request tagged (?n=…) so that the access log names the
    worker that answered it."""

    def __init__(self, base: str, pages: list[tuple[str, str | None]], prefix: str) -> None:
        self.base, self.pages, self.prefix = base, pages, prefix
        self.hits: list[Hit] = []
        self.stop = threading.Event()
        self.counter = itertools.count()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(THREADS)]

    def run(self) -> None:
        while not self.stop.is_set():
            n = next(self.counter)
            path, session = self.pages[n % len(self.pages)]
            headers = {"Cookie": f"sessionid={session}"} if session else {}
            sep = "&" if "?" in path else "?"
            tag = f"{self.prefix}{n}"
            request = urllib.request.Request(f"{self.base}{path}{sep}n={tag}", headers=headers)  # noqa: S310
            hit = Hit(tag, path, time.monotonic(), 0.0)
            try:
                with urllib.request.urlopen(request, timeout=HANG_BOUND * 2) as response:  # noqa: S310 - local
                    hit.status, hit.body = response.status, response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                hit.status, hit.body = exc.code, exc.read().decode("utf-8", "replace")
            except Exception as exc:  # refused, reset, timed out: recorded, asserted on below
                hit.error = f"{type(exc).__name__}: {exc}"
            hit.ended = time.monotonic()
            with self.lock:
                self.hits.append(hit)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=HANG_BOUND * 3)

    def snapshot(self) -> list[Hit]:
        with self.lock:
            return list(self.hits)


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    proc = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"manage.py {' '.join(args)}: {proc.stdout[-2000:]}{proc.stderr[-3000:]}"
    return proc.stdout


def is_clean_error_page(hit: Hit) -> bool:
    return ERROR_PAGE in hit.body and not any(leak in hit.body for leak in LEAKS)


def describe(hits: list[Hit], limit: int = 5) -> str:
    return "\n".join(f"{h.path} -> {h.status or h.error} in {h.took:.2f} s: {h.body[:300]!r}" for h in hits[:limit])


def test_postgres_restart_under_load_fails_cleanly_and_recovers_by_itself(tmp_path):
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    with postgres_cluster() as cluster, redis_server(tmp_path / "redis") as redis:
        timings["initdb"] = time.monotonic() - t0
        env = production_env(cluster.url, redis.url, tmp_path, CONN_MAX_AGE="60")  # as deployed: dies with the restart
        collect_log = tmp_path / "collectstatic.log"
        collect = collectstatic(env, collect_log)  # alongside the migration
        seeded = json.loads(manage(env, "shell", "-c", MIGRATE_AND_SEED).strip().splitlines()[-1])
        assert collect.wait(timeout=120) == 0, collect_log.read_text()[-3000:]
        timings["setup"] = time.monotonic() - t0

        pages = [
            ("/", None),
            ("/services/", None),
            (f"/services/items/{seeded['item']}/", None),
            (f"/councils/c/{seeded['slug']}/", None),
            ("/my/", seeded["session"]),  # a signed-in resident: the session lives in PostgreSQL
            ("/healthz", None),
        ]
        with gunicorn(env, tmp_path, workers=WORKERS) as server:
            workers_before = server.worker_pids()
            assert len(workers_before) == WORKERS
            with Load(server.base, pages, "load") as load:
                # Warm: every worker has loaded its templates and holds a persistent connection. On a loaded
                # machine the first pages take seconds, so wait for the answers, not for a fixed time.
                warm_deadline = time.monotonic() + 60
                while time.monotonic() < warm_deadline:
                    warm = load.snapshot()
                    served = server.served_by()
                    if len(warm) >= 10 and {served[h.tag][0] for h in warm if h.tag in served} >= workers_before:
                        break
                    time.sleep(0.2)
                warm = load.snapshot()
                warm_until = time.monotonic()
                cluster.stop("fast")
                down_at = time.monotonic()
                time.sleep(DOWN_SECONDS)
                restarting_at = time.monotonic()
                cluster.start()
                up_at = time.monotonic()

                def recovered() -> bool:
                    after = [h for h in load.snapshot() if h.started >= up_at]
                    failures = [h for h in after if h.status != 200]
                    last_failure = max((h.ended for h in failures), default=up_at)
                    served = server.served_by()
                    pids_ok = {served[h.tag][0] for h in after if h.status == 200 and h.tag in served}
                    calm = [h for h in after if h.started > last_failure]
                    return pids_ok >= workers_before and len(calm) >= 30 and time.monotonic() - last_failure > 2

                deadline = up_at + RECOVERY_BOUND + 5
                while not recovered() and time.monotonic() < deadline:
                    time.sleep(0.2)
            hits = load.snapshot()

            # A quiet restart (nobody requests anything meanwhile): each worker still holds a connection to the
            # old server. The health check at the start of the next request must notice and reconnect, so that
            # not even the first request after it fails.
            time.sleep(0.5)
            cluster.stop("fast")
            cluster.start()
            with Load(server.base, pages, "quiet") as quiet_load:
                quiet_deadline = time.monotonic() + 60
                while time.monotonic() < quiet_deadline:
                    served = server.served_by()
                    answered_by = {served[h.tag][0] for h in quiet_load.snapshot() if h.tag in served}
                    if len(quiet_load.snapshot()) >= 10 and answered_by >= workers_before:
                        break
                    time.sleep(0.2)
            quiet = quiet_load.snapshot()
            served = server.served_by()
            workers_after = server.worker_pids()
            gunicorn_log = server.error_log.read_text(errors="replace")

    timings["total"] = time.monotonic() - t0
    print(f"timings: {json.dumps({k: round(v, 1) for k, v in timings.items()})}, {len(hits)} requests")

    # The load itself: nothing refused or reset, nothing hung.
    errors = [h for h in hits if h.error]
    assert not errors, f"{len(errors)} requests got no HTTP answer:\n{describe(errors)}"
    slow = sorted((h for h in hits if h.started >= warm_until and h.took > HANG_BOUND), key=lambda h: -h.took)
    assert not slow, f"{len(slow)} requests took longer than {HANG_BOUND} s:\n{describe(slow)}"
    assert all(h.status == 200 for h in warm) and len(warm) >= 10, describe([h for h in warm if h.status != 200])

    # While PostgreSQL was down: a clean 500 (the project's page) or, for /healthz, a 503 naming the database.
    down = [h for h in hits if h.started >= down_at and h.ended <= restarting_at]
    assert len(down) >= 20, f"only {len(down)} requests while PostgreSQL was down; the test proves little"
    pages_down = [h for h in down if h.path != "/healthz"]
    wrong = [h for h in pages_down if h.status not in (500, 503) or not is_clean_error_page(h)]
    assert not wrong, f"{len(wrong)} of {len(pages_down)} pages were not the clean error page:\n{describe(wrong)}"
    health_down = [h for h in down if h.path == "/healthz"]
    assert health_down
    for hit in health_down:
        assert hit.status == 503, describe([hit])
        assert json.loads(hit.body) == {"status": "unavailable", "database": "down", "cache": "ok", "broker": "ok"}

    # Around the stop and the start (connections cut mid-query, "the database system is starting up"): the same
    # clean answers, never anything else.
    unclean = [
        h
        for h in hits
        if h.status != 200 and not (h.path == "/healthz" and h.status == 503) and not is_clean_error_page(h)
    ]
    assert not unclean, describe(unclean)
    assert {h.status for h in hits} <= {200, 500, 503}

    # Back by itself: after the restart every worker — the same processes, none restarted — answers 200 again.
    after = [h for h in hits if h.started >= up_at]
    failures = [h for h in after if h.status != 200]
    recovered_in = max((h.ended for h in failures), default=up_at) - up_at
    assert recovered_in < RECOVERY_BOUND, f"still failing {recovered_in:.1f} s after the restart:\n{describe(failures)}"
    assert workers_after == workers_before, f"workers changed: {workers_before} -> {workers_after}\n{gunicorn_log}"
    answered = {served[h.tag][0] for h in after if h.status == 200 and h.tag in served}
    assert answered >= workers_before, f"workers {workers_before - answered} never answered 200 after the restart"
    calm = [h for h in after if h.started > up_at + recovered_in]
    assert len(calm) >= 30, f"only {len(calm)} requests after the recovery"
    assert "WORKER TIMEOUT" not in gunicorn_log

    # The quiet restart cost nothing: the very first request of every worker was answered.
    refused = [h for h in quiet if h.status != 200]
    assert quiet and not refused, f"{len(refused)} of {len(quiet)} failed after a quiet restart:\n{describe(refused)}"
    assert {served[h.tag][0] for h in quiet if h.tag in served} >= workers_before
    print(
        f"down {restarting_at - down_at:.1f} s: {len(down)} requests, all clean; "
        f"{len(failures)} failed after the restart, all 200 again after {recovered_in:.2f} s; "
        f"quiet restart: {len(quiet)} requests, all 200"
    )
