"""The 1000-point assessment page of a community and the form of a hand-entered indicator, at 375 px and 1280 px:
the layout checks of test_layout (no sideways scrolling, no wrapped button …) and screenshots for a human."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from portal.core import roles
from portal.core.metrics import Section
from portal.site.assessment import assessment_snapshot_take
from portal.site.indicators import indicator_enter
from portal.site.models import Criterion, FacilityItem, Indicator, Rubric
from portal.tests.factories import UserFactory
from tests.e2e.test_councils import login

pytestmark = pytest.mark.e2e

CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()


@pytest.fixture
def assessed(community, transactional_db):
    year = dt.date.today().year
    director = UserFactory(role=roles.COMMITTEE_DIRECTOR, community=community, name="主任老张")
    rubrics = {}
    for y in (year - 1, year):
        rubric = Rubric.objects.create(year=y, title=f"{y}年度社区千分考核")
        for i, (indicator, points, target, rule) in enumerate(
            [
                (Indicator.RESERVE_CADRES, 30, 1, "threshold"),
                (Indicator.GRADUATES, 30, 2, "proportional"),
                (Indicator.WORKERS_4050, 20, 3, "proportional"),
                (Indicator.OFFICE_AREA, 50, 300, "threshold"),
                (Indicator.FACILITIES, 70, 15, "proportional"),
            ]
        ):
            Criterion.objects.create(
                rubric=rubric,
                name=str(indicator.label),
                points=points,
                kind="computed",
                metric=indicator.value,
                target=target,
                rule=rule,
                order=i,
            )
        Criterion.objects.create(
            rubric=rubric,
            name="三会按期召开",
            points=400,
            kind="computed",
            metric="meetings_on_time",
            target=1.0,
            order=6,
        )
        Criterion.objects.create(rubric=rubric, name="平安建设", points=400, section=Section.GOVERNANCE, order=7)
        rubrics[y] = rubric
    for rubric in rubrics.values():
        for indicator, value in [(Indicator.RESERVE_CADRES, 1), (Indicator.GRADUATES, 3), (Indicator.OFFICE_AREA, 360)]:
            indicator_enter(
                rubric=rubric,
                community_id=community.pk,
                indicator=indicator,
                value=Decimal(value),
                note="社区花名册（示例）",
                by=director,
            )
        indicator_enter(
            rubric=rubric,
            community_id=community.pk,
            indicator=Indicator.FACILITIES,
            value=None,
            items=FacilityItem.values[:13],
            note="现场检查：缺市民学校、文体活动场地",
            by=director,
        )
    assessment_snapshot_take(rubric=rubrics[year - 1], community_ids=[community.pk], by=None)  # last year: final
    return {"director": director, "year": year}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_assessment_page_and_its_form_hold_on_phone_and_desktop(
    request, device, assessed, community, live_server, screenshot
):
    page = request.getfixturevalue(device)
    login(page, assessed["director"], live_server.url)
    year = assessed["year"]
    url = reverse("portal:assessment", args=[community.slug])
    for name, path in [
        ("assessment", f"{url}?year={year}"),
        ("assessment-frozen", f"{url}?year={year - 1}"),
        ("indicator-form", reverse("portal:indicator_enter", args=[community.slug, year, "office_facilities"])),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        screenshot(page, f"{name}-{device}")
        assert page.evaluate(CHECKS, {"desktop": device == "desktop"}) == [], f"{name} on {device}"
    # Enter the missing 4050 count through the form on this device: the page then shows it.
    page.goto(reverse("portal:indicator_enter", args=[community.slug, year, "staff_4050"]))
    page.fill("#id_value", "4")
    page.fill("#id_note", "社区公益岗位花名册")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("#entered")
    assert page.locator("#entered").is_visible()
