"""The property hotline (物业进社区) in chromium: a resident phones about a burst pipe; hall staff enter the call at a
desktop and it goes to the company serving the courtyard; the company's repairer, on a phone, marks it arrived and
fixed within the promise; the resident rates it from 我的 on the phone; the company's appraisal score moves."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.core import roles
from services.property.models import PropertyAppraisal, PropertyCompany, PropertyCoverage, PropertyStaff, Repair
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _score(page, company: str) -> str:
    page.goto("/services/property/ranking/")
    row = page.locator("#ranking tbody tr", has=page.locator("th", has_text=company))
    return row.locator("td.score").inner_text()


def test_a_burst_pipe_by_phone_is_fixed_in_time_rated_and_moves_the_companys_score(
    phone, desktop, browser, live_server, community, make_user, password, screenshot, transactional_db
):
    resident = make_user(community=community, name="王大妈")
    building = resident.resident.household.building
    company = PropertyCompany.objects.create(
        community=community, name="安居物业", hotline="0317-2151234", arrive_hours=2, fix_hours=24
    )
    PropertyCoverage.objects.create(company=company, building=building)
    repairer = make_user(roles.PROPERTY_STAFF, community, name="李师傅")
    PropertyStaff.objects.create(company=company, user=repairer)
    staff = make_user(roles.HALL_STAFF, community)
    director = make_user(roles.COMMITTEE_DIRECTOR, community)
    today = timezone.localdate()
    PropertyAppraisal.objects.create(
        name="本季度", starts_on=today - dt.timedelta(days=10), ends_on=today + dt.timedelta(days=30)
    )

    login(desktop, director.phone, password)
    assert _score(desktop, "安居物业") == "0.0"  # nothing to measure yet

    # The resident phones the community; staff take the call on the repair desk.
    desktop.context.clear_cookies()
    login(desktop, staff.phone, password)
    desktop.goto("/services/property/desk/")
    desktop.select_option("#id_source", "phone")
    desktop.fill("#id_caller", "王大妈")
    desktop.fill("#id_caller_phone", resident.phone)
    desktop.check("#id_kind_0")  # water
    desktop.select_option("#id_building", str(building.pk))
    desktop.fill("#id_location", "2单元301")
    desktop.fill("#id_description", "厨房水管爆裂，水漫到客厅")
    screenshot(desktop, "property-desk-desktop")
    desktop.get_by_role("button", name="登记并派单").click()
    desktop.wait_for_selector("#repair-status")
    repair = Repair.objects.get()
    assert (repair.status, repair.company, repair.resident) == ("dispatched", company, resident.resident)
    assert "安居物业" in desktop.content()

    # The repairer sees it on the workbench, on a phone, and marks it arrived, then fixed.
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 375, "height": 812}
    )
    worker = context.new_page()
    worker.set_default_timeout(15000)
    login(worker, repairer.phone, password)
    worker.goto("/work/")
    worker.locator("section[aria-labelledby='block-property.repairs']").get_by_role(
        "link", name=repair.number, exact=False
    ).first.click()
    worker.wait_for_selector("#mark-arrived")
    screenshot(worker, "property-repair-company-phone")
    worker.click("#mark-arrived")
    worker.wait_for_selector("#mark-fixed")
    worker.fill("#id_note", "更换了三通阀门")
    worker.click("#mark-fixed")
    worker.wait_for_selector("text=在承诺时限内")
    context.close()
    repair.refresh_from_db()
    assert repair.status == "fixed" and repair.within_promise

    # The resident follows it in 我的 and rates it.
    login(phone, resident.phone, password)
    phone.goto("/my/")
    phone.get_by_role("link", name="我的报修").click()
    phone.get_by_role("link", name=repair.number, exact=False).click()
    phone.check("#id_rating_0")  # five stars
    phone.fill("#id_comment", "师傅来得很快")
    screenshot(phone, "property-rate-phone")
    phone.get_by_role("button", name="评价").click()
    phone.wait_for_selector("#repair-rating")
    repair.refresh_from_db()
    assert (repair.rating, repair.status) == (5, "closed")

    # The company's score for the period moves: within the promise and five stars.
    desktop.context.clear_cookies()
    login(desktop, director.phone, password)
    assert _score(desktop, "安居物业") == "100.0"
    screenshot(desktop, "property-ranking-desktop")
