"""The year's large fun events (大型趣味性活动) against the culture station's plan, on the community dashboard at a
phone's width and at a desk's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.core import roles
from portal.tests.factories import UserFactory
from services.culture.models import CulturePlan
from services.tests.factories_stations import StationEventFactory
from tests.e2e.conftest import SCREENS
from tests.e2e.test_councils import login

pytestmark = pytest.mark.e2e


def test_the_dashboard_counts_large_fun_events_against_the_plan(
    phone, desktop, live_server, community, transactional_db, screenshot
):
    today = timezone.localdate()
    CulturePlan.objects.create(community=community, year=today.year, large_events=3, note="全年2至3次大型趣味性活动")
    held = timezone.now() - dt.timedelta(days=1)
    StationEventFactory(community=community, large=True, title="“农行杯”趣味运动会", starts_at=held - dt.timedelta(hours=3),
                        ends_at=held)  # fmt: skip
    director = UserFactory(role=roles.COMMITTEE_DIRECTOR, community=community)
    for page, name in ((phone, "large-events-dashboard-375"), (desktop, "large-events-dashboard-1280")):
        login(page, director, live_server.url)
        page.goto("/dashboard/")
        panel = page.locator("section.card", has_text="大型趣味性活动完成情况")
        assert panel.is_visible()
        assert "计划" in panel.inner_text() and "已举办" in panel.inner_text()
        panel.scroll_into_view_if_needed()
        screenshot(page, name)
        panel.screenshot(path=str(SCREENS / f"{name}-panel.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
