"""Private servers for the fault tests: a throwaway PostgreSQL cluster, a private redis-server and gunicorn.

The shared PostgreSQL (5432) and Redis (6379) of the machine keep serving everyone else's tests; the faults are
made on servers that only the test owns, on free ports, and every one of them is stopped in a `finally`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
# What a test's subprocesses must not inherit from the pytest process (which runs on portal.test_settings).
INHERITED_NOT = ("DJANGO_SETTINGS_MODULE", "PORTAL_ENV", "DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in INHERITED_NOT}
    env.update(extra)
    return env


def missing_tool(message: str) -> None:
    """No skip with CI=true: the fault test must run there, so a missing server binary is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _terminate(proc: subprocess.Popen, timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group this test started (start_new_session)
        proc.wait(timeout=10)


# --- PostgreSQL -----------------------------------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian keeps them off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """A throwaway cluster in a temporary directory (data, log and unix socket), on a free TCP port of 127.0.0.1."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = free_port()
        self.user = "postgres"
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root: the cluster belongs to the postgres user
            shutil.chown(self.dir, user="postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://{self.user}@127.0.0.1:{self.port}/portal"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self._as, *args], capture_output=True, text=True, timeout=timeout, check=False, cwd=self.dir
        )

    def _check(self, proc: subprocess.CompletedProcess, what: str) -> None:
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{what} failed ({proc.returncode}): {proc.stdout}{proc.stderr}\n{log}")

    def init(self) -> None:
        proc = self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._check(proc, "initdb")
        self.start()
        proc = self._run(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "portal"
        )
        self._check(proc, "createdb")

    def start(self) -> None:
        # A test cluster: durability off (it is thrown away), the socket in our own directory.
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=40"
        )
        pg_ctl = str(self.bindir / "pg_ctl")
        proc = self._run(pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", "-o", options, "start")
        self._check(proc, "pg_ctl start")

    def stop(self, mode: str = "fast") -> None:
        proc = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")
        self._check(proc, f"pg_ctl stop -m {mode}")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        try:
            if self.running():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            if self.running():  # pg_ctl could not stop it: end the postmaster this test started, by its pid
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    bindir = postgres_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        missing_tool("initdb/pg_ctl not found (apt-get install postgresql): the PostgreSQL restart test needs them")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing_tool("running as root and there is no postgres user: initdb cannot run as root")
        if shutil.which("runuser") is None:
            missing_tool("running as root without runuser: initdb cannot run as root")
    cluster = PostgresCluster(bindir)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.destroy()


# --- Redis ----------------------------------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port, no persistence: stopping it loses everything, as a crash would."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = self.dir / f"redis-{self.starts}.log"
        self.proc = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.dir), "--logfile", str(log), "--daemonize", "no",
            ],
            start_new_session=True,
        )  # fmt: skip
        if not wait_until(lambda: self.ping(), 10):
            raise RuntimeError(f"redis-server did not start on {self.port}: {log.read_text(errors='replace')}")

    def ping(self) -> bool:
        proc = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True, timeout=5, check=False
        )
        return proc.stdout.strip() == "PONG"

    def shutdown(self) -> None:
        """What an operator's `redis-cli shutdown nosave` does: the server goes away, its data with it."""
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=10)
        if self.proc is not None:
            self.proc.wait(timeout=10)
        if not wait_until(lambda: not port_open(self.port), 10):
            raise RuntimeError(f"redis-server on {self.port} did not stop")

    def stop(self) -> None:
        if self.proc is not None:
            _terminate(self.proc)


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        missing_tool("redis-server/redis-cli not found (apt-get install redis-server): the Redis stop test needs them")
    server = RedisServer(workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- the portal as deployed -----------------------------------------------------------------------------------------

PRODUCTION_SETTINGS = """\
import os

from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["FAULTS_STATIC_ROOT"]  # collected for this test only
"""


def production_env(database_url: str, redis_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """bench/run.py's production variables (DEBUG off, hashed and compressed static files, secure settings but
    plain HTTP) on the given database and Redis, with static files collected under `workdir`."""
    import secrets

    (workdir / "faults_settings.py").write_text(PRODUCTION_SETTINGS)
    variables = {
        "PYTHONPATH": f"{workdir}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "faults_settings",
        "FAULTS_STATIC_ROOT": str(workdir / "static"),
        "PORTAL_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": "faults-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        "SMS_BACKEND": "portal.core.sms.ConsoleBackend",
    }
    return clean_env(**{**variables, **extra})


def collectstatic(env: dict[str, str], log: Path) -> subprocess.Popen:
    """collectstatic into the environment's static root, started (it needs no database): wait() on it."""
    return subprocess.Popen(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 - the process owns it
    )


# --- a network that can be cut ----------------------------------------------------------------------------------------


class CuttableLink:
    """A TCP relay to a local server that can be cut like a network: `cut()` drops every connection and refuses new
    ones while the server itself runs on with its data; `restore()` lets connections through again."""

    def __init__(self, target_port: int) -> None:
        import threading

        self.target_port = target_port
        self.port = free_port()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener: socket.socket | None = None
        self._threads = threading

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._threads.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._pairs.append((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                self._threads.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


# --- gunicorn -------------------------------------------------------------------------------------------------------

# The access log names the worker (pid) that answered each request, and the request's query string (our tag).
ACCESS_FORMAT = "%(p)s %(s)s %(U)s?%(q)s"


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workdir: Path, workers: int = 3) -> Iterator[Gunicorn]:
    server = Gunicorn(env, workdir, workers)
    try:
        server.start()
        yield server
    finally:
        server.stop()


class Gunicorn:
    """The portal as deployed: gunicorn sync workers, as bench/run.py serves it."""

    def __init__(self, env: dict[str, str], workdir: Path, workers: int) -> None:
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.access_log = workdir / "gunicorn-access.log"
        self.error_log = workdir / "gunicorn-error.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                PY, "-m", "gunicorn", "portal.wsgi", "--workers", str(self.workers), "--bind",
                f"127.0.0.1:{self.port}", "--timeout", "30", "--access-logfile", str(self.access_log),
                "--access-logformat", ACCESS_FORMAT, "--error-logfile", str(self.error_log), "--log-level", "info",
                "--no-control-socket",  # else every gunicorn on the machine shares ~/.gunicorn/gunicorn.ctl
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(self.error_log, "a"),  # noqa: SIM115 - Django's log goes to stderr; the process owns it
        )  # fmt: skip

        def answers() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.error_log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + "/bare", timeout=5):  # noqa: S310 - our own local server
                    return True
            except (urllib.error.URLError, OSError):
                return False

        if not wait_until(answers, 60, 0.2):
            raise RuntimeError(f"gunicorn did not answer: {self.error_log.read_text(errors='replace')[-3000:]}")
        wait_until(lambda: len(self.worker_pids()) == self.workers, 20)

    def worker_pids(self) -> set[int]:
        """The master's children, read from /proc (each worker is a process of its own)."""
        pids = set()
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.proc.pid:
                    pids.add(int(Path(stat).parent.name))
        return pids

    def served_by(self) -> dict[str, tuple[int, int]]:
        """tag → (worker pid, status), from the access log."""
        out = {}
        for line in self.access_log.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and "n=" in parts[2]:
                tag = parts[2].rsplit("n=", 1)[1]
                out[tag] = (int(parts[0].strip("<>")), int(parts[1]))
        return out

    def stop(self) -> None:
        if self.proc is not None:
            _terminate(self.proc)
