#!/usr/bin/env python
"""`make scan`: the portal as deployed, scanned by wapiti (Debian's package) with every module it has — anonymous,
signed in as a resident, and signed in as hall staff. Fails on any finding (vulnerability or anomaly) and on any
5xx in gunicorn's access log.

The portal runs as in production: gunicorn with PORTAL_ENV=production (DEBUG off, secure cookies, HSTS), over TLS
with a throwaway self-signed certificate (as nginx would terminate it), on a scratch PostgreSQL database seeded with
seed_demo and Redis database 5. Reports (wapiti's JSON and HTML, the access log, a summary) go to
test-artifacts/scan/.

Usage: python bench/scan.py [--minutes 8] [--port 8943] [--who anonymous,resident,staff]
Needs: PostgreSQL, Redis, wapiti (apt-get install wapiti), openssl.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import deployed  # noqa: E402 - bench/ is not a package

ROOT = deployed.ROOT
OUT = ROOT / "test-artifacts" / "scan"
PY = sys.executable

# Never followed: they would end the scanner's own session half-way.
EXCLUDE = ["/accounts/logout/*", "/admin/logout/*", "/my/sessions/end/*", "/accounts/password_change/*"]
START = {"anonymous": ["/"], "resident": ["/", "/my/"], "staff": ["/", "/admin/", "/services/desk/"]}
SESSION_OF = {"resident": "resident", "staff": "hall"}
# wapiti 3.0.4 as Debian ships it, with one fix: its exclusion patterns end in a global regex flag, which Python
# 3.11 refuses ("global flags not at the start"), so any -x stops the scan before it starts.
WAPITI = r"""
import re, sys
from wapitiCore.net import crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z")
crawler.wildcard_translate = wildcard_translate
# The buster tries 31,545 names in each directory and hands control back only between directories, so the
# per-module time limit never stops it: the names it tries stop themselves once that time has passed.
import os, time
from wapitiCore.attack import mod_buster
class Until:
    def __init__(self, items, deadline):
        self.items, self.deadline = list(items), deadline
    def __iter__(self):
        return (item for item in self.items if time.monotonic() < self.deadline)
attack = mod_buster.mod_buster.attack
def bounded_attack(self):
    self.payloads = Until(self.payloads, time.monotonic() + float(os.environ["SCAN_MODULE_SECONDS"]))
    yield from attack(self)
mod_buster.mod_buster.attack = bounded_attack
# Django names its form token csrfmiddlewaretoken, which wapiti 3.0.4 does not know: without it every form is
# reported as lacking a token and never tested. With it, wapiti checks that a tampered token is refused.
from wapitiCore.attack import mod_csrf
mod_csrf.mod_csrf.TOKEN_FORM_STRINGS.append("csrfmiddlewaretoken")
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
"""
CRAWL_SHARE, MODULES = 0.25, 22  # of each identity's minutes: a quarter to crawl, the rest shared by the modules
LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(L)s'


def environment(port: int) -> dict[str, str]:
    return deployed.environment(
        os.environ.get("SCAN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_scan").rsplit("/", 1)[1],
        int(os.environ.get("SCAN_REDIS_URL", "redis://127.0.0.1:6379/5").rsplit("/", 1)[1]),
        OUT,
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
    )


def certificate() -> tuple[Path, Path]:
    cert, key = OUT / "cert.pem", OUT / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def cookie_file(who: str, session_key: str | None) -> Path | None:
    if session_key is None:
        return None
    path = OUT / f"cookies-{who}.json"
    cookie = {"value": session_key, "expires": None, "secure": True, "port": None, "version": 0}
    path.write_text(json.dumps({"127.0.0.1": {"/": {"sessionid": cookie}}}))
    return path


def scan(who: str, base: str, cookies: Path | None, minutes: float) -> dict:
    report = OUT / f"{who}.json"
    module_seconds = str(max(10, int((1 - CRAWL_SHARE) * minutes * 60 / MODULES)))
    cmd = [
        "/usr/bin/python3",
        "-c",
        WAPITI,
        "-u",
        base + "/",
        "--scope",
        "folder",
        "-m",
        "all",
        "-f",
        "json",
        "-o",
        str(report),
    ]
    cmd += ["--flush-session", "--store-session", str(OUT / "session"), "--no-bugreport", "-v", "1"]
    # wapiti's scan time bounds the crawl only; each of its 22 modules then has its own attack time.
    cmd += ["--max-scan-time", str(CRAWL_SHARE * minutes * 60), "--max-attack-time", module_seconds]
    cmd += ["-t", "15", "-d", "4", "--max-links-per-page", "60", "--max-files-per-dir", "40"]
    for path in START[who]:
        cmd += ["-s", base + path]
    for pattern in EXCLUDE:
        cmd += ["-x", base + pattern]
    if cookies:
        cmd += ["-c", str(cookies)]
    started = time.monotonic()
    with open(OUT / f"{who}.log", "w") as log:
        env = {**os.environ, "SCAN_MODULE_SECONDS": module_seconds}
        subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False, env=env)
    data = json.loads(report.read_text()) if report.exists() else {}
    data["_seconds"] = round(time.monotonic() - started)
    return data


# Findings accepted on purpose, each with its reason (reported, not failed on).
ACCEPTED = {
    # The header switched on old browsers' XSS auditors, which all have removed (and which opened leaks of their
    # own); the portal's protection is its Content-Security-Policy without 'unsafe-inline'. OWASP: do not set it.
    "X-XSS-Protection is not set",
}


def findings(data: dict) -> dict[str, Counter]:
    out = {"accepted": Counter()}
    for section in ("vulnerabilities", "anomalies", "additionals"):
        out[section] = Counter()
        for kind, items in (data.get(section) or {}).items():
            for item in items:
                where = "accepted" if item.get("info") in ACCEPTED else section
                out[where][f"{kind}: {item.get('info', '')[:80]}"] += 1
    return out


REQUEST = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S*) [^"]*" (?P<status>\d{3})')


def access_lines(log: Path, start: int) -> list[re.Match]:
    with open(log, errors="replace") as f:
        f.seek(start)
        return [m for m in map(REQUEST.search, f) if m]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SCAN_MINUTES", "8")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCAN_PORT", "8943")))
    parser.add_argument("--who", default="anonymous,resident,staff")
    args = parser.parse_args()
    if not shutil.which("wapiti"):
        print("wapiti is not installed: apt-get install wapiti", file=sys.stderr)
        return 2
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    base = f"https://127.0.0.1:{args.port}"
    env = environment(args.port)
    sessions = deployed.prepare(env)
    cert, key = certificate()
    access_log = OUT / "access.log"
    portal_log = open(OUT / "portal.log", "w")  # noqa: SIM115 - open while gunicorn runs
    gunicorn = subprocess.Popen(
        [PY, "-m", "gunicorn", "portal.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{args.port}"]
        + ["--certfile", str(cert), "--keyfile", str(key), "--access-logfile", str(access_log)]
        + ["--access-logformat", LOG_FORMAT, "--error-logfile", str(OUT / "error.log")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=portal_log,
        stderr=subprocess.STDOUT,
    )
    rows, failed = [], False
    try:
        deployed.wait_up(base, ssl._create_unverified_context())  # noqa: S323 - our own throwaway certificate
        for who in args.who.split(","):
            start = access_log.stat().st_size
            data = scan(who, base, cookie_file(who, sessions.get(SESSION_OF.get(who, ""))), args.minutes)
            lines = access_lines(access_log, start)
            server_errors = Counter(
                f"{m['status']} {m['method']} {m['path'][:120]}" for m in lines if m["status"] >= "500"
            )
            found = findings(data)
            info = data.get("infos") or {}
            # wapiti 3.0.4's JSON report has no crawl count: the distinct URLs it asked for, from the access log.
            crawled = info.get("crawled_pages_nbr") or len({m["path"] for m in lines})
            rows.append(
                {
                    "who": who,
                    "seconds": data["_seconds"],
                    "urls_crawled": crawled,
                    "requests": len(lines),
                    "status": dict(Counter(m["status"] for m in lines)),
                    "server_errors": dict(server_errors),
                    **{section: dict(counts) for section, counts in found.items()},
                }
            )
            failed |= bool(server_errors or found["vulnerabilities"] or found["anomalies"] or not data.get("infos"))
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        portal_log.close()
    (OUT / "summary.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    for row in rows:
        print(
            f"{row['who']:10} {row['seconds']:5d} s  {row['urls_crawled']:5} URLs crawled  {row['requests']:6} requests"
            f"  statuses {row['status']}"
        )
        for section in ("vulnerabilities", "anomalies", "server_errors", "accepted"):
            for kind, n in row[section].items():
                print(f"    {section}: {kind}: {n}")
    print("scan:", "FAILED" if failed else "clean", f"(reports in {OUT.relative_to(ROOT)}/)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
