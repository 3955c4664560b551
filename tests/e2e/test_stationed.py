"""On a phone: a stationed party member reports in, the office confirms them into a courtyard party group, the member
claims a resident's small wish and reports it fulfilled, the office confirms it, and the resident says thank you."""

import pytest

from portal.core import roles
from residents.tests.factories import PartyGroupFactory, StationedUnitFactory
from tests.e2e import test_volunteers
from tests.e2e.test_volunteers import log_in, no_horizontal_scroll
from volunteers.models import PartyTask, StationedReport, Wish
from volunteers.stationed import actions

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _base_url(live_server):
    test_volunteers.BASE[:] = [live_server.url]  # log_in signs in by cookie on the live server


def test_member_reports_in_claims_a_wish_and_the_office_confirms_it_fulfilled(
    phone, desktop, community, make_user, screenshot, transactional_db
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    unit = StationedUnitFactory(community=community, name="沧县实验学校", party_organisation="沧县实验学校党支部")
    group = PartyGroupFactory(community=community, name="3号楼院党小组")
    member_user = make_user(roles.RESIDENT, community, name="刘红")
    secretary = make_user(roles.BRANCH_SECRETARY, community, name="陆书记")
    wisher = make_user(roles.RESIDENT, community, name="王秀英")
    wish = actions.wish_post(resident=wisher.resident, title="帮忙把过冬的煤搬上楼", details="住4楼", by=wisher)
    actions.wish_publish(wish=wish, by=secretary, public_details="一位独居老人需要帮忙把煤搬上楼")

    # 1. The member reports in on the phone, from 我的.
    log_in(phone, member_user)
    phone.goto("/my/")
    phone.get_by_role("link", name="在职党员报到").click()
    phone.locator("#report-link").click()
    phone.locator("#id_unit").select_option(str(unit.pk))
    phone.locator("#id_offer").fill("周末可以帮忙搬东西")
    screenshot(phone, "stationed-report-phone")
    assert no_horizontal_scroll(phone)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url("**/volunteers/stationed/")
    report = StationedReport.objects.get(user=member_user)
    assert report.status == StationedReport.Status.SUBMITTED and report.unit == unit

    # 2. The office confirms the report-in into the courtyard party group (on a phone, too).
    log_in(desktop, secretary)
    desktop.set_viewport_size({"width": 375, "height": 812})
    desktop.goto("/work/")
    desktop.get_by_role("link", name="在职党员报到台账").first.click()
    desktop.get_by_role("link", name="刘红").first.click()
    desktop.locator("#id_group").select_option(str(group.pk))
    screenshot(desktop, "stationed-report-work-phone")
    desktop.get_by_role("button", name="确认报到").click()
    desktop.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == StationedReport.Status.CONFIRMED and report.member.group == group

    # 3. The member claims the wish and reports it fulfilled.
    phone.goto("/volunteers/stationed/")
    assert "王*英" in phone.locator(f"#wish-{wish.pk}").inner_text()
    assert "住4楼" not in phone.content()
    screenshot(phone, "stationed-home-member-phone")
    phone.locator(f"#wish-{wish.pk} button").click()
    phone.wait_for_load_state()
    mine = phone.locator(f"#mine-{wish.pk}")
    mine.locator("input[type=text]").fill("周六上午把两车煤搬上了楼")
    mine.get_by_role("button", name="报告已完成").click()
    phone.wait_for_load_state()
    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.FULFILLED
    assert no_horizontal_scroll(phone)

    # 4. The office confirms it fulfilled, with the hours.
    desktop.goto(f"/volunteers/office/wishes/{wish.pk}/")
    desktop.locator("#id_hours").fill("3")
    screenshot(desktop, "stationed-wish-work-phone")
    desktop.locator("#confirm-wish").click()
    desktop.wait_for_load_state()
    wish.refresh_from_db()
    assert wish.status == Wish.Status.CONFIRMED
    assert PartyTask.objects.get(pk=wish.task_id).hours == 3

    # 5. The resident says thank you on the phone.
    log_in(phone, wisher)
    phone.goto("/volunteers/wishes/")
    card = phone.locator(f"#my-wish-{wish.pk}")
    card.locator("input[type=text]").fill("谢谢党员同志！")
    card.get_by_role("button", name="说声谢谢").click()
    phone.wait_for_load_state()
    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.THANKED
    screenshot(phone, "stationed-my-wishes-phone")
    assert no_horizontal_scroll(phone)
    assert not [e for e in errors if "Content Security Policy" in e], errors
