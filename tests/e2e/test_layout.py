"""Layouts that hold: every resident and staff page, as a person who may use it, at 375 px and at 1280 px.

The pages are generated from the permission matrix (tests/security/test_url_matrix.py) and its path parameters, so a
new page is visited without a line here. Each is screenshotted under test-artifacts/screens/layout/<width>/ (a CI
artifact) and checked in the page (tests/e2e/layout_checks.js): no sideways scrolling of the page, no button whose
label wraps, no table cell narrower than two Chinese characters with its text broken over lines, no date broken
mid-string, and at 1280 px no table that scrolls sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM, SCREENS
from tests.security.conftest import build_world
from tests.security.params import PARAMS
from tests.security.test_url_matrix import Rule, all_expected, may

pytestmark = pytest.mark.e2e

CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()
WIDTHS = {375: {"width": 375, "height": 812}, 1280: {"width": 1280, "height": 900}}
# Who visits a page: a resident where a resident may, else the staff member whose work the page is (by the start of
# its URL name), else the first in this order who may open it.
VISITORS = ("resident_a", "hall_a", "health_a", "culture_a", "council_sec_a", "branch_sec_a", "director_a")
VISITORS += ("volunteer_a", "district")
OWNERS = {
    "councils:": "council_sec_a",
    "admin:councils": "council_sec_a",
    "services:health:": "health_a",
    "admin:services_health": "health_a",
    "services:culture:": "culture_a",
    "volunteers:": "director_a",
    "portal:dashboard": "director_a",
}
# Answers that are files, not pages.
FILES = {
    "services:booking_ics",
    "services:stations:ical",
    "services:attachment",
    "services:health:my_download",
    "portal:my_data",
    "portal:calendar_feed",
    "portal:contact_photo",
    "portal:notice_attachment",
    "portal:indicator_file",
    "portal:board_poster",
    "councils:minutes_pdf",
    "councils:meeting_export",
    "councils:survey_export",
    "volunteers:badge_image",
    "volunteers:export_hours",
    "volunteers:my_badge_status",
    "volunteers:summary_file",
    "services:grids:patrol_photo",
    "healthz",
    "bare",
    "set_language",
}
# Lists staff read at a desk: beside the sample of the matrix, the bookings.
MORE_ADMIN = {"admin:services_booking_changelist": Rule("perm:services.view_booking", scoped=False)}


def pages(world) -> dict[str, list[tuple[str, str]]]:
    """{who: [(url name, url)]}: every page that answers GET, under the first person who may open it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, rule in {**all_expected(), **MORE_ADMIN}.items():
        if rule.post_only or name in FILES:
            continue
        owner = [who for start, who in OWNERS.items() if name.startswith(start)]
        who = next((w for w in ("resident_a", *owner, *VISITORS) if may(rule.get, rule, w, world.users[w])), None)
        if who is None or name == "login":
            continue
        kwargs = PARAMS[name](world.objects) if name in PARAMS else None
        out.setdefault(who, []).append((name, reverse(name, kwargs=kwargs)))
    return out


def test_every_page_holds_at_375_and_1280_px(browser, live_server, transactional_db):
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    world = build_world(communities=1)
    problems: dict[str, list[str]] = {}
    visited = 0
    for width, viewport in WIDTHS.items():
        folder = SCREENS / "layout" / str(width)
        folder.mkdir(parents=True, exist_ok=True)
        for who, named in pages(world).items():
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
            )
            context.add_cookies([{"name": "sessionid", "value": world.cookies[who], "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(20000)
            try:
                for name, url in named:
                    response = page.goto(url)
                    assert response is not None and response.status < 500, f"{url} as {who}: {response}"
                    if not response.headers.get("content-type", "").startswith("text/html"):
                        continue
                    visited += 1
                    page.screenshot(
                        path=str(folder / f"{who}--{name.replace(':', '-')}.jpg"), full_page=True, quality=70
                    )
                    found = page.evaluate(CHECKS, {"desktop": width >= 1280})
                    if found:
                        problems[f"{width}px {who} {url} ({name})"] = found
            finally:
                context.close()
    report = "\n".join(f"{where}\n  " + "\n  ".join(found) for where, found in problems.items())
    (SCREENS / "layout" / "problems.txt").write_text(report + "\n")
    assert visited > 200
    assert problems == {}, f"{len(problems)} pages do not hold:\n{report}"
