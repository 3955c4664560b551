#!/usr/bin/env python
"""`make scale-test`: the portal beyond one machine, built on this one (docs/SCALE.md).

Topology, every part on 127.0.0.1 with a free port and a data directory of its own under one temporary directory:

    nginx ──► app host A (gunicorn, gunicorn.conf.py)  ─┐
          └─► app host B (gunicorn, gunicorn.conf.py)  ─┼─► PostgreSQL primary ──(streaming)──► replica
                Celery worker host, one celery beat    ─┘   (reports read the replica: DATABASE_REPLICA_URL)
                a private redis-server (cache, broker)

The primary is a throwaway cluster (initdb, wal_level=replica) and the replica a `pg_basebackup -R` copy of it,
both run as the postgres user; the machine's PostgreSQL on 5432 is not touched. The demo community is seeded.

Under a steady load (readers of public lists and reports, residents sending suggestions and cases through their
forms, each form with its idempotency key):

1. both hosts and the replica up;
2. app host A killed (SIGKILL of its whole process group): no GET may fail (nginx retries the other host); a POST
   that was on host A gets nginx's "please send again" page, the resident sends the same form again, and it is
   applied once (every title appears once; every form sent twice on purpose is applied once);
3. the replica stopped: the reports fall back to the primary, nothing fails; /healthz says "replica": "down".

Then read-your-writes on the real replica (its replay paused: it lags): a person who has just written sees it in a
report at once, someone else sees the replica's copy. Figures are printed; everything started is stopped and every
directory removed, on failure too. Exit status 1 when an assertion fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
RETRY_TEXT = "请求没有完成，请再发送一次"  # templates/502.html

SETTINGS = """\
import os

from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["SCALE_STATIC_ROOT"]
"""

SETUP_SCRIPT = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from portal.core import roles
from portal.core.models import Community, User
from portal.core.sessions import SessionStore
from residents.models import Resident
from services.models import ServiceItem

def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "portal.core.backends.PortalModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

community = Community.objects.order_by("pk").first()
resident_group = Group.objects.get(name=roles.RESIDENT)
writers = []
free = Resident.objects.filter(community=community, user__isnull=True).order_by("pk")[:WRITERS]
for i, resident in enumerate(free):
    user = User.objects.create_user(f"1390000{i:04d}", None, name=resident.name, community=community)
    user.groups.add(resident_group)
    resident.user = user
    resident.save(update_fields=["user"])
    writers.append(session_for(user))
# A committee director who lives in the community (and so may also send suggestions), on two devices.
director = User.objects.filter(groups__name=roles.COMMITTEE_DIRECTOR, community=community).first()
director.groups.add(resident_group)
district = User.objects.filter(groups__name=roles.DISTRICT_ADMIN).first()
repair = ServiceItem.objects.filter(community=community, name="自来水管道维修").first() or ServiceItem.objects.filter(
    community=community, case_kind="repair").order_by("pk").first()
bookable = list(
    ServiceItem.objects.filter(community=community, needs_appointment=True).order_by("pk").values_list("pk", flat=True)
)
# Appointments the writers will book: for each, (item, slot) pairs with a seat kept for them, one a service a day.
from django.utils import timezone
from services.models import Slot
by_counter = {}
for item_pk, counter_pk in ServiceItem.objects.filter(
    community=community, needs_appointment=True, is_active=True
).values_list("pk", "counter_id"):
    by_counter.setdefault(counter_pk, []).append(item_pk)
plans = [[] for _ in writers]
for slot in Slot.objects.filter(community=community, date__gt=timezone.localdate()).order_by("date", "starts_at"):
    seats = slot.capacity - slot.seats_taken
    for w, plan in enumerate(plans):
        taken = {(i, d) for i, d, _s in plan}
        item = next((i for i in by_counter.get(slot.counter_id, []) if (i, slot.date) not in taken), None)
        if item is not None and seats > 0 and len(plan) < 60:
            plan.append((item, slot.date, slot.pk))
            seats -= 1
open(ERROR_PAGE, "w").write(render_to_string("502.html"))
print(json.dumps({
    "slug": community.slug,
    "writers": writers,
    "district": session_for(district),
    "director": [session_for(director), session_for(director)],
    "repair": repair.pk if repair else None,
    "bookable": bookable,
    "bookings": [[[item, slot] for item, _d, slot in plan] for plan in plans],
}))
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def say(text: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- the machines ---------------------------------------------------------------------------------------------------


class Topology:
    def __init__(self, workers: int) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="portal-scale-"))
        self.dir.chmod(0o755)  # nginx's workers (nobody) read the error page under it
        self.gunicorn_workers = workers
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports = {name: free_port() for name in ("primary", "replica", "redis", "a", "b", "nginx")}
        self.pg = self.dir / "pg"
        self.pg.mkdir()
        shutil.chown(self.pg, user="postgres")
        self.clusters: list[Path] = []
        self.base = f"http://127.0.0.1:{self.ports['nginx']}"

    # PostgreSQL --------------------------------------------------------------------------------------------------
    def _pg(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=timeout, cwd=self.pg
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def pg_start(self, name: str) -> None:
        data = self.pg / name
        options = (
            f"-p {self.ports[name]} -k {self.pg} -c listen_addresses=127.0.0.1 -c max_connections=60 "
            "-c wal_level=replica -c max_wal_senders=4 -c hot_standby=on -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_standby_streaming_delay=5s"
        )
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(self.pg / f"{name}.log"), "-w", "-t", "60",
                 "-o", options, "start")  # fmt: skip

    def pg_stop(self, name: str, mode: str = "fast") -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.pg / name), "-m", mode, "-w", "-t", "60", "stop")

    def psql(self, name: str, sql: str) -> str:
        return self._pg(
            str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.ports[name]), "-U", "postgres", "-d", "portal",
            "-Atc", sql,
        ).strip()  # fmt: skip

    def primary_up(self) -> None:
        data = self.pg / "primary"
        self._pg(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                 "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.clusters.append(data)
        self.pg_start("primary")
        self._pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres",
                 "portal")  # fmt: skip

    def replica_up(self) -> None:
        data = self.pg / "replica"
        self._pg(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U",
                 "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast", timeout=600)  # fmt: skip
        self.clusters.append(data)
        self.pg_start("replica")

    def db_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.ports[name]}/portal"

    # processes -----------------------------------------------------------------------------------------------------
    def spawn(self, name: str, args: list[str], env: dict, cwd: Path = ROOT) -> subprocess.Popen:
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 - the process owns it
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True)
        self.procs[name] = proc
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """End a process we started and every process of its group (a gunicorn master and its workers)."""
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def env(self, **extra: str) -> dict[str, str]:
        settings_dir = self.dir / "settings"
        settings_dir.mkdir(exist_ok=True)
        (settings_dir / "scale_settings.py").write_text(SETTINGS)
        keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORTAL_ENV")}
        return {
            **keep,
            "PYTHONPATH": f"{settings_dir}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "scale_settings",
            "SCALE_STATIC_ROOT": str(self.dir / "static"),
            "PORTAL_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": self.db_url("primary"),
            "DATABASE_REPLICA_URL": self.db_url("replica"),
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "MEDIA_ROOT": str(self.dir / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.dir / "private-media"),
            "LOG_LEVEL": "WARNING",
            "AXES_FAILURE_LIMIT": "1000000",
            "WEB_CONCURRENCY": str(self.gunicorn_workers),
            **extra,
        }

    secret = "scale-" + secrets.token_urlsafe(48)

    def manage(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env or self.env(), capture_output=True,
                              text=True)  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def redis_up(self) -> None:
        (self.dir / "redis").mkdir()
        self.spawn("redis", ["redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(self.dir / "redis")], os.environ.copy())  # fmt: skip
        if not wait_until(lambda: port_open(self.ports["redis"]), 10):
            raise RuntimeError("redis-server did not start")

    def app_host(self, name: str) -> None:
        host_dir = self.dir / f"host-{name}"
        host_dir.mkdir(exist_ok=True)
        args = [
            PY, "-m", "gunicorn", "portal.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{self.ports[name]}", "--timeout", "30", "--no-control-socket",
            "--access-logfile", str(host_dir / "access.log"), "--access-logformat", "%(m)s %(U)s %(s)s %(L)s",
        ]  # fmt: skip
        self.spawn(f"host-{name}", args, self.env())

    def wait_http(self, port: int, timeout: float = 90) -> None:
        def answers() -> bool:
            try:
                return request("GET", f"http://127.0.0.1:{port}", "/bare")[0] == 200
            except OSError:
                return False

        if not wait_until(answers, timeout, 0.5):
            raise RuntimeError(f"nothing answers on {port}")

    def nginx_up(self) -> None:
        conf_dir = self.dir / "nginx"
        conf_dir.mkdir()
        (conf_dir / "html").mkdir()
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf_dir / sub).mkdir()
        (conf_dir / "nginx.conf").write_text(NGINX_CONF.format(dir=conf_dir, **self.ports))
        shutil.copy(self.dir / "502.html", conf_dir / "html" / "502.html")
        self.spawn("nginx", [NGINX, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"), "-g", "daemon off;"],
                   os.environ.copy())  # fmt: skip
        self.wait_http(self.ports["nginx"], 20)

    def down(self) -> None:
        for name in list(self.procs)[::-1]:
            self.kill(name, signal.SIGTERM)
        for data in self.clusters:
            with contextlib.suppress(Exception):
                if (data / "postmaster.pid").exists():
                    self._pg(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop")
            if (data / "postmaster.pid").exists():  # pg_ctl could not stop it: the postmaster we started, by pid
                with contextlib.suppress(Exception):
                    os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


# `proxy_next_upstream`: a GET or HEAD that meets a connection error, a timeout, or a 502/503 of one host is tried
# on the other. nginx never passes a POST on once it has been sent to a host (no `non_idempotent`): a POST whose
# host died under it gets the 502 page, and the resident sends the form again (its idempotency key makes that
# safe). A POST whose connection was refused was never sent, so nginx passes it on.
NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format scale '$request_method $uri $status $upstream_addr $upstream_status $request_time';
    access_log {dir}/access.log scale;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 12m;
    upstream portal {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=10s;
    }}
    server {{
        listen 127.0.0.1:{nginx};
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout 10s;
            error_page 502 504 /502.html;
        }}
        location = /502.html {{
            internal;
            root {dir}/html;
        }}
    }}
}}
"""


def port_open(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- HTTP -----------------------------------------------------------------------------------------------------------


def request(method: str, base: str, path: str, cookies: dict | None = None, body: dict | None = None, timeout=30):
    """(status, body text, Set-Cookie {name: value}, Location)."""
    host, port = base.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    headers = {"Accept-Language": "zh-hans"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        set_cookies = {}
        for header in resp.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            set_cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, text, set_cookies, resp.getheader("Location")
    finally:
        conn.close()


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


@dataclass
class Hit:
    phase: str
    kind: str  # "get" / "post"
    path: str
    status: int
    seconds: float
    error: str = ""


@dataclass
class Load:
    base: str
    info: dict
    phase: str = "both hosts"
    stop: threading.Event = field(default_factory=threading.Event)
    hits: list[Hit] = field(default_factory=list)
    submissions: dict[str, dict] = field(default_factory=dict)  # title → what happened to it
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def timed(self, kind: str, method: str, path: str, **kwargs):
        started = time.monotonic()
        phase = self.phase
        try:
            answer = request(method, self.base, path, **kwargs)
        except (OSError, http.client.HTTPException) as exc:
            self.record(Hit(phase, kind, path, 0, time.monotonic() - started, repr(exc)))
            return None
        self.record(Hit(phase, kind, path, answer[0], time.monotonic() - started))
        return answer

    # readers: the public lists and the reports (on the replica), and a few ordinary pages (on the primary)
    def reader(self, n: int) -> None:
        slug = self.info["slug"]
        district = {"sessionid": self.info["district"]}
        pages = [
            (f"/councils/c/{slug}/suggestions/", None),
            (f"/councils/c/{slug}/minutes/", None),
            ("/notices/", None),
            ("/services/", None),
            ("/", None),
            ("/district/", district),
            (f"/dashboard/?community={slug}", district),
            ("/healthz", None),
        ]
        i = n
        while not self.stop.is_set():
            path, cookies = pages[i % len(pages)]
            i += 1
            self.timed("get", "GET", path, cookies=cookies)

    # writers: residents filling in the suggestion and the case forms, as a browser does (form, then POST)
    def writer(self, n: int) -> None:
        cookies = {"sessionid": self.info["writers"][n]}
        count = 0
        bookings = list(self.info["bookings"][n])
        while not self.stop.is_set():
            count += 1
            if count % 3 == 0 and bookings:
                self.book(n, count, cookies, *bookings.pop(0))
                continue
            case = count % 3 == 1 and self.info["repair"]
            path = "/services/cases/new/" if case else "/councils/suggest/"
            page = self.timed("get", "GET", path, cookies=cookies)
            if page is None or page[0] != 200:
                time.sleep(0.2)
                continue
            cookies.update(page[2])
            key = KEY_RE.search(page[1]).group(1)
            title = f"压测{n}-{count}-{key[:6]}"
            form = {"csrfmiddlewaretoken": CSRF_RE.search(page[1]).group(1), "idempotency_key": key, "title": title}
            if case:
                form.update({"kind": "repair", "item": self.info["repair"], "description": "负载测试", "location": ""})
            else:
                form.update({"category": "environment", "text": "负载测试的建议。", "location": "1号楼"})
            twice = count % 5 == 0  # a double tap: the same form sent twice at once
            self.submit(path, form, cookies, title, twice)

    def book(self, n: int, count: int, cookies: dict, item: int, slot: int) -> None:
        """An appointment: the confirm page, then the form (the note carries the title)."""
        path = f"/services/items/{item}/book/{slot}/"
        page = self.timed("get", "GET", path, cookies=cookies)
        if page is None or page[0] != 200 or not KEY_RE.search(page[1]):
            return
        cookies.update(page[2])
        key = KEY_RE.search(page[1]).group(1)
        title = f"压测{n}-{count}-{key[:6]}"
        form = {
            "csrfmiddlewaretoken": CSRF_RE.search(page[1]).group(1),
            "idempotency_key": key,
            "documents_ready": "on",
            "note": title,
        }
        self.submit(path, form, cookies, title, count % 5 == 0)

    def submit(self, path: str, form: dict, cookies: dict, title: str, twice: bool) -> None:
        outcome = {"path": path, "tries": 0, "retry_pages": 0, "locations": set(), "twice": twice, "failed": ""}
        with self.lock:
            self.submissions[title] = outcome
        sends = 2 if twice else 1
        while sends and outcome["tries"] < 12:
            outcome["tries"] += 1
            answer = self.timed("post", "POST", path, cookies=cookies, body=form)
            if answer is not None and answer[0] == 302:
                outcome["locations"].add(answer[3])
                sends -= 1
                continue
            if answer is not None and answer[0] in (502, 504) and RETRY_TEXT in answer[1]:
                outcome["retry_pages"] += 1  # the host died under it: the resident sends the same form again
            else:
                outcome["failed"] = f"{answer[0] if answer else 'no answer'}"
            time.sleep(0.3)
        if sends:
            outcome["failed"] = outcome["failed"] or "not applied after 12 tries"


def figures(hits: list[Hit], phase: str) -> dict:
    mine = [h for h in hits if h.phase == phase]
    gets = [h for h in mine if h.kind == "get"]
    posts = [h for h in mine if h.kind == "post"]
    lat = sorted(h.seconds for h in gets if h.status == 200)
    return {
        "phase": phase,
        "gets": len(gets),
        "get_failed": sum(1 for h in gets if h.status not in (200, 302)),
        "posts": len(posts),
        "post_302": sum(1 for h in posts if h.status == 302),
        "post_retry_page": sum(1 for h in posts if h.status in (502, 504)),
        "post_other": sum(1 for h in posts if h.status not in (302, 502, 504)),
        "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
        "p95_ms": round(lat[max(0, int(len(lat) * 0.95) - 1)] * 1000, 1) if lat else None,
    }


# --- the run --------------------------------------------------------------------------------------------------------


def run(args) -> list[str]:
    problems: list[str] = []
    top = Topology(args.workers)
    try:
        say(f"directory {top.dir}; ports {top.ports}")
        top.primary_up()
        say("primary up (initdb, wal_level=replica); migrate, seed the demo community, collect static files")
        env = top.env()
        collect = subprocess.Popen([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        top.manage("migrate", "--noinput", "-v0", env=env)
        top.manage("seed_demo", "--allow-production", env=env)
        collect.wait()
        script = SETUP_SCRIPT.replace("WRITERS", str(args.writers)).replace(
            "ERROR_PAGE", repr(str(top.dir / "502.html"))
        )
        info = json.loads(top.manage("shell", "-c", script, env=env).strip().splitlines()[-1])
        say("replica: pg_basebackup -R from the primary, streaming")
        top.replica_up()
        top.redis_up()
        top.app_host("a")
        top.app_host("b")
        top.spawn("worker", [PY, "-m", "celery", "-A", "portal", "worker", "--loglevel=WARNING", "--concurrency", "1",
                             "-n", "scale-worker@%h"], env)  # fmt: skip
        top.spawn("beat", [PY, "-m", "celery", "-A", "portal", "beat", "--loglevel=WARNING", "--pidfile",
                           str(top.dir / "beat.pid"), "-s", str(top.dir / "beat-schedule")], env)  # fmt: skip
        top.wait_http(top.ports["a"])
        top.wait_http(top.ports["b"])
        top.nginx_up()
        health = json.loads(request("GET", top.base, "/healthz")[1])
        say(f"all up; /healthz {health}")
        if health.get("replica") != "ok":
            problems.append(f"/healthz before the load: replica {health.get('replica')!r}, not 'ok'")

        replica_reads_before = int(
            top.psql("replica", "SELECT xact_commit FROM pg_stat_database WHERE datname='portal'")
        )
        load = Load(top.base, info)
        threads = [threading.Thread(target=load.reader, args=(i,), daemon=True) for i in range(args.readers)]
        threads += [threading.Thread(target=load.writer, args=(i,), daemon=True) for i in range(args.writers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.phase)
        replica_reads = int(top.psql("replica", "SELECT xact_commit FROM pg_stat_database WHERE datname='portal'"))
        load.phase = "host A killed"
        say("kill app host A (SIGKILL: master and workers)")
        top.kill("host-a")
        time.sleep(args.phase)
        load.phase = "replica stopped"
        say("stop the replica (pg_ctl stop -m fast)")
        top.pg_stop("replica")
        time.sleep(args.phase)
        health_down = request("GET", top.base, "/healthz")
        load.stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.monotonic() - started

        # --- outcomes ---
        rows = {}
        for phase in ("both hosts", "host A killed", "replica stopped"):
            rows[phase] = figures(load.hits, phase)
            if rows[phase]["get_failed"]:
                bad = [h for h in load.hits if h.phase == phase and h.kind == "get" and h.status not in (200, 302)]
                problems.append(f"{phase}: {len(bad)} GET failed, e.g. {bad[:3]}")
        failed = {t: o for t, o in load.submissions.items() if o["failed"]}
        if failed:
            problems.append(f"{len(failed)} forms not applied: {list(failed.items())[:3]}")
        titles = list(load.submissions)
        counts = dict(
            line.split("|")
            for line in top.psql(
                "primary",
                "SELECT title, count(*) FROM councils_suggestion WHERE title LIKE '压测%' GROUP BY title "
                "UNION ALL SELECT title, count(*) FROM services_case WHERE title LIKE '压测%' GROUP BY title "
                "UNION ALL SELECT note, count(*) FROM services_booking WHERE note LIKE '压测%' GROUP BY note",
            ).splitlines()
            if line
        )
        applied_twice = {t: n for t, n in counts.items() if int(n) != 1}
        applied_missing = [t for t in titles if t not in counts and not load.submissions[t]["failed"]]
        if applied_twice:
            problems.append(f"applied more than once: {applied_twice}")
        if applied_missing:
            problems.append(f"answered as done but not in the database: {applied_missing[:5]}")
        two_answers = [t for t, o in load.submissions.items() if len(o["locations"]) > 1]
        if two_answers:
            problems.append(f"one form, two different outcomes: {two_answers[:3]}")
        if replica_reads <= replica_reads_before:
            problems.append("the replica served no reads while it was up")
        body = json.loads(health_down[1])
        if health_down[0] != 200 or body.get("replica") != "down":
            problems.append(f"/healthz with the replica stopped: {health_down[0]} {body}")

        fallbacks = sum(
            log.read_text(errors="replace").count("failed on the replica, run on the primary")
            for log in top.dir.glob("host-*.log")
        )
        report(rows, load, elapsed, replica_reads - replica_reads_before, body, args)
        print(f"reports run again on the primary after the replica failed under them: {fallbacks}")
        say("read-your-writes on a lagging replica")
        ryw = read_your_writes(top, info, problems)
        print(f"read-your-writes (replica replay paused): {ryw}")
    finally:
        say("clean up: processes, clusters, directories")
        top.down()
    return problems


def replayed(top: Topology, sql: str) -> str:
    try:
        return top.psql("replica", sql)
    except RuntimeError:  # not replayed yet
        return ""


def read_your_writes(top: Topology, info: dict, problems: list[str]) -> dict:
    """The replica back, its replay paused (it lags): the director sends a suggestion from one phone and looks at
    the community dashboard there (pinned: the primary, the new count) and on another device (the replica: the
    count before)."""
    top.pg_start("replica")
    wait_until(lambda: json.loads(request("GET", top.base, "/healthz")[1]).get("replica") == "ok", 30)
    # A fresh transaction replayed just before the pause: the lag then counts from now, under the 30 s bound.
    top.psql("primary", "CREATE TABLE IF NOT EXISTS scale_tick (at timestamptz); INSERT INTO scale_tick VALUES (now())")
    wait_until(lambda: replayed(top, "SELECT count(*) FROM scale_tick") == "1", 30)
    top.psql("replica", "SELECT pg_wal_replay_pause()")
    time.sleep(6)  # every worker's check of the replica (CHECK_EVERY) has seen it back
    slug = info["slug"]
    phone = {"sessionid": info["director"][0]}
    tablet = {"sessionid": info["director"][1]}
    count_sql = "SELECT count(*) FROM councils_suggestion WHERE created_at > now() - interval '365 days'"
    before = int(top.psql("primary", count_sql))
    page = request("GET", top.base, "/councils/suggest/", cookies=phone)
    phone.update(page[2])
    form = {
        "csrfmiddlewaretoken": CSRF_RE.search(page[1]).group(1),
        "idempotency_key": KEY_RE.search(page[1]).group(1),
        "category": "environment",
        "title": "读写一致性测试",
        "text": "刚写入的数据，本人马上能看到。",
        "location": "2号楼",
    }
    posted = request("POST", top.base, "/councils/suggest/", cookies=phone, body=form)
    phone.update(posted[2])
    after = int(top.psql("primary", count_sql))
    on_replica = int(top.psql("replica", count_sql))
    pinned_page = request("GET", top.base, f"/dashboard/?community={slug}", cookies=phone)[1]
    other_page = request("GET", top.base, f"/dashboard/?community={slug}", cookies=tablet)[1]
    top.psql("replica", "SELECT pg_wal_replay_resume()")

    def shows(html: str, n: int) -> bool:
        """Whether the dashboard's suggestions panel gives `n` suggestions."""
        panel = html.split("近12个月居民建议答复情况", 1)[-1].split("</section>", 1)[0]
        return re.search(rf'<th scope="row" class="fw-normal">{n}</th>', panel) is not None

    result = {
        "before": before,
        "after": after,
        "replica_count": on_replica,
        "pin_cookie": "rw_primary" in posted[2],
        "writer_sees_new": shows(pinned_page, after),
        "other_device_sees_replica": shows(other_page, before) and not shows(other_page, after),
    }
    if not (after == before + 1 and on_replica == before):
        problems.append(f"read-your-writes: the replica did not lag as arranged: {result}")
    if not (result["pin_cookie"] and result["writer_sees_new"] and result["other_device_sees_replica"]):
        problems.append(f"read-your-writes: {result}")
    return result


def report(rows: dict, load: Load, elapsed: float, replica_reads: int, health: dict, args) -> None:
    subs = load.submissions.values()
    print()
    print(f"Load: {args.readers} readers, {args.writers} residents sending forms, {args.phase:.0f} s a phase, "
          f"{elapsed:.0f} s in all; gunicorn {args.workers} workers a host")  # fmt: skip
    print(
        f"{'phase':<18}{'GET':>7}{'GET/s':>7}{'GET failed':>12}{'p50 ms':>9}{'p95 ms':>9}{'POST':>7}{'302':>6}"
        f"{'502 page':>10}"
    )
    for row in rows.values():
        print(
            f"{row['phase']:<18}{row['gets']:>7}{row['gets'] / args.phase:>7.1f}{row['get_failed']:>12}"
            f"{row['p50_ms'] or '-':>9}"
            f"{row['p95_ms'] or '-':>9}{row['posts']:>7}{row['post_302']:>6}{row['post_retry_page']:>10}"
        )
    kinds = {"/councils/suggest/": "suggestions", "/services/cases/new/": "cases"}
    per_kind: dict[str, int] = {}
    for sub in subs:
        kind = kinds.get(sub["path"], "bookings")
        per_kind[kind] = per_kind.get(kind, 0) + 1
    print(
        f"forms: {len(load.submissions)} filled in ({per_kind}), {sum(1 for s in subs if not s['failed'])} applied once each; "
        f"{sum(1 for s in subs if s['retry_pages'])} met the 'send again' page and were sent again "
        f"({sum(s['retry_pages'] for s in subs)} pages); {sum(1 for s in subs if s['twice'])} sent twice on purpose"
    )
    print(f"replica: {replica_reads} transactions served while up; /healthz with it stopped: {health}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase", type=float, default=15, help="seconds of load in each phase")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app host")
    args = parser.parse_args()
    if os.geteuid() != 0 and shutil.which("runuser") is None:
        print("scale-test: needs root (runuser -u postgres) for the private PostgreSQL clusters", file=sys.stderr)
        return 2
    for tool in (PG_BIN / "initdb", Path(NGINX)):
        if not Path(tool).exists():
            print(f"scale-test: {tool} not found", file=sys.stderr)
            return 2
    problems = run(args)
    print()
    if problems:
        print("SCALE TEST FAILED:")
        for problem in problems:
            print(" -", problem)
        return 1
    print("SCALE TEST PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
