"""Hall staff log in, land on their workbench, and work the first case waiting for them: counted in clicks, on a
phone (375 px) and on a desktop (1280 px), with screenshots of the workbench at both widths."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.core import roles
from services.hall import actions
from services.models import Case, Mediation
from services.seed import seed_catalogue
from services.tests.factories import CaseFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _waiting_work(community, make_user):
    seed_catalogue(community)
    staff = make_user(roles.HALL_STAFF, community)
    resident = make_user(community=community).resident
    today = timezone.localdate()
    CaseFactory(community=community, resident=resident, assignee=staff, deadline=today - dt.timedelta(days=1))
    CaseFactory(community=community, resident=resident, deadline=today + dt.timedelta(days=1))
    mediation = CaseFactory(community=community, resident=resident, kind="mediation", assignee=staff)
    Mediation.objects.create(case=mediation, parties="甲\n乙", follow_up_due=today)
    first = actions.case_file(
        resident=resident, kind="repair", title="楼道灯不亮", description="3号楼2单元楼道灯坏了", filed_by=resident.user
    )
    Case.objects.filter(pk=first.pk).update(deadline=today - dt.timedelta(days=3))  # the most urgent: listed first
    return staff, first


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_hall_staff_work_their_first_case_in_three_clicks(
    request, size, community, make_user, password, screenshot, transactional_db
):
    page = request.getfixturevalue(size)
    staff, first = _waiting_work(community, make_user)
    clicks = 0

    login(page, staff.phone, password)  # click 1: 登录
    clicks += 1
    assert page.url.endswith("/work/")
    assert (
        page.locator("section[aria-labelledby='block-hall.cases'] .tally").first.inner_text() == "2"
    )  # mine: the overdue case, mediation
    screenshot(page, f"workbench-hall-{size}")
    assert _fits(page), "the workbench scrolls sideways"

    page.locator(
        "section[aria-labelledby='block-hall.cases'] .list-group-item a"
    ).first.click()  # click 2: the case at the top
    clicks += 1
    page.wait_for_selector("#case-work-title")
    screenshot(page, f"case-work-{size}")
    page.locator("form.case-step button", has_text="受理").click()  # click 3: 受理
    clicks += 1
    page.wait_for_selector(".messagelist")
    first.refresh_from_db()
    assert first.status == "accepted" and first.assignee == staff
    assert clicks == 3


STAFF_LANDINGS = [
    (roles.HALL_STAFF, "hall", "/work/"),
    (roles.HEALTH_STAFF, "health", "/work/"),
    (roles.CULTURE_STAFF, "culture", "/work/"),
    (roles.COUNCIL_SECRETARY, "council-secretary", "/work/"),
    (roles.BRANCH_SECRETARY, "branch-secretary", "/work/"),
    (roles.COMMITTEE_DIRECTOR, "director", "/work/"),
    (roles.DISTRICT_ADMIN, "district", "/district/"),
]


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize(("role", "slug", "landing"), STAFF_LANDINGS, ids=[s for _, s, _ in STAFF_LANDINGS])
def test_every_staff_role_lands_on_its_workbench_at_both_widths(
    request, size, role, slug, landing, community, make_user, password, screenshot, transactional_db
):
    """Each staff role's first page after login, kept as a screenshot (test-artifacts) at 375 px and 1280 px."""
    page = request.getfixturevalue(size)
    seed_catalogue(community)
    user = make_user(role, None if role == roles.DISTRICT_ADMIN else community)
    login(page, user.phone, password)
    assert page.url.endswith(landing)
    screenshot(page, f"workbench-{slug}-{size}")
    assert _fits(page), f"the {slug} landing page scrolls sideways at {size} width"
