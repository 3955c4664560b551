"""Page weight for residents on weak mobile networks: the home page, the booking page and the staff workbench, on
a first visit in Chromium on a phone, transfer under 50 KB each.

The portal runs as deployed (gunicorn, production settings: static files collected with hashed names and served
pre-compressed by WhiteNoise), and every byte the browser receives for the page is counted: the HTML, styles,
scripts, fonts and images, with their headers. The HTML is counted as gunicorn sends it, uncompressed: nginx
compresses it in production, so the real figure is lower. Every static file must have a hashed name and a cache
lifetime of a year, so that a second visit fetches none of them.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection

from portal.core import roles
from tests.faults.servers import collectstatic, gunicorn, production_env, redis_server

pytestmark = pytest.mark.e2e

LIMIT_KB = 50
YEAR = 365 * 24 * 3600
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "page-weight.json"


def first_visit(browser, base: str, path: str, session: str | None = None) -> list[dict]:
    """Every response of a first visit to `path` on a phone: url, status, bytes received, cache lifetime."""
    context = browser.new_context(
        base_url=base, locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, device_scale_factor=2
    )
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(path, wait_until="networkidle")
    assert response.status == 200, f"{path}: {response.status}"
    rows = []
    for request in finished:
        answer = request.response()
        sizes = request.sizes()
        cache_control = answer.headers.get("cache-control", "")
        max_age = re.search(r"max-age=(\d+)", cache_control)
        rows.append(
            {
                "url": request.url.removeprefix(base),
                "status": answer.status,
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "encoding": answer.headers.get("content-encoding", ""),
                "max_age": int(max_age.group(1)) if max_age else 0,
            }
        )
    context.close()
    return rows


def session_of(community, role: str) -> str:
    """A session of one of the seeded people of `role` (a resident: an account with its resident record)."""
    from portal.core.models import User
    from portal.core.sessions import SessionStore

    users = User.objects.filter(groups__name=role, community=community, is_active=True).order_by("pk")
    user = (users.filter(resident__isnull=False) if role == roles.RESIDENT else users).first()
    assert user is not None, f"the seed has no {role} with an account"
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "portal.core.backends.PortalModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def test_home_booking_page_and_workbench_weigh_under_50_kb_on_a_first_visit(
    browser, transactional_db, tmp_path, settings
):
    from portal.core import seeding
    from portal.core.models import Community
    from services.models import ServiceItem

    seeding.run(communities=1)
    community = Community.objects.get()
    item = ServiceItem.objects.filter(community=community, needs_appointment=True, counter__isnull=False).first()
    assert item is not None
    settings.SECRET_KEY = "page-weight-" + secrets.token_urlsafe(48)  # strong, as production requires
    session = session_of(community, roles.RESIDENT)  # signed with it, and gunicorn gets the same
    staff_session = session_of(community, roles.HALL_STAFF)
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    with redis_server(tmp_path / "redis") as redis:
        env = production_env(database_url, redis.url, tmp_path, SECRET_KEY=settings.SECRET_KEY)
        assert collectstatic(env, tmp_path / "collectstatic.log").wait(timeout=300) == 0, (
            tmp_path / "collectstatic.log"
        ).read_text()[-3000:]
        with gunicorn(env, tmp_path, workers=2) as server:
            pages = {
                "home (anonymous)": first_visit(browser, server.base, "/"),
                "booking page (resident)": first_visit(
                    browser, server.base, f"/services/items/{item.pk}/book/", session
                ),
                "workbench (hall staff)": first_visit(browser, server.base, "/work/", staff_session),
            }

    report = {}
    for name, rows in pages.items():
        total = sum(row["bytes"] for row in rows) / 1024
        report[name] = {"kb": round(total, 1), "responses": rows}
        assert [row["status"] for row in rows if row["status"] not in (200, 204)] == [], rows[:2]
        statics = [row for row in rows if row["url"].startswith("/static/")]
        assert statics, f"{name}: no static files?"
        for row in statics:
            assert HASHED.search(row["url"].split("?")[0]), f"{name}: {row['url']} has no hashed name"
            assert row["max_age"] >= YEAR, f"{name}: {row['url']} is cached for {row['max_age']} s only"
            if row["url"].endswith((".css", ".js")):
                assert row["encoding"] in ("br", "gzip"), f"{name}: {row['url']} is sent uncompressed"
        assert total < LIMIT_KB, f"{name}: {total:.1f} KB transferred: {json.dumps(rows, indent=1)}"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print({name: value["kb"] for name, value in report.items()})
