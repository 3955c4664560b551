"""Browser journeys of the councils: minutes recorded, submitted, approved and read by anyone; a resident's
suggestion followed to a resolution through the inbox. Selectors by id: the UI language may change."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from councils import actions
from councils.models import Council, Meeting, MinutesItem, Resolution, Suggestion
from councils.tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory
from portal.core import roles
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def login(page, user, base_url):
    """Sign in by session cookie (the login form has its own journey in test_foundation)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def csp_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


@pytest.fixture
def staff(community, transactional_db):
    secretary = UserFactory(role=roles.COUNCIL_SECRETARY, community=community, name="秘书小王")
    convenor = UserFactory(role=roles.BRANCH_SECRETARY, community=community, name="书记老李")
    director = UserFactory(role=roles.COMMITTEE_DIRECTOR, community=community, name="主任老张")
    councils = {c.kind: c for c in actions.councils_ensure(community=community)}
    council = councils[Council.Kind.DELIBERATION]
    MemberFactory.create_batch(9, council=council)
    return {"secretary": secretary, "convenor": convenor, "director": director, "council": council}


def test_secretary_records_minutes_convenor_approves_and_anyone_reads_them(
    desktop, phone, browser, live_server, staff, screenshot
):
    council = staff["council"]
    meeting = MeetingFactory(
        council=council, title="2026年第四季度党居议事会", starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    AgendaItemFactory(meeting=meeting, title="供暖费收缴与困难户减免")
    AgendaItemFactory(meeting=meeting, title="楼院卫生费收取标准")
    members = list(council.members.values_list("pk", flat=True))
    actions.attendance_record(meeting=meeting, present_member_ids=members[:7], by=staff["secretary"])

    # The secretary records the minutes in the browser; autosave confirms as she types.
    errors = csp_errors(desktop)
    login(desktop, staff["secretary"], live_server.url)
    desktop.goto(f"/councils/work/meeting/{meeting.pk}/")
    desktop.click("#record-minutes")
    desktop.wait_for_selector("#minutes-form")
    items = list(MinutesItem.objects.filter(minutes__meeting=meeting).order_by("agenda_item__order"))
    desktop.fill("#id_summary", "会议由书记老李主持，应到9人，实到7人。")
    for n, item in enumerate(items):
        p = f"#id_item{item.pk}-"
        desktop.fill(p + "discussion", "代表们充分讨论，意见一致。")
        desktop.fill(p + "decision", f"通过第{n + 1}项：由居委会负责落实并公示。")
        desktop.fill(p + "votes_for", "6")
        desktop.fill(p + "votes_against", "1")
        desktop.fill(p + "votes_abstain", "0")
    first = f"#id_item{items[0].pk}-"
    desktop.check(first + "adopt_resolution")
    desktop.select_option(first + "executor", "committee")
    desktop.fill(first + "deadline", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    desktop.wait_for_selector("#autosave-status .text-success", timeout=15000)  # htmx autosave, no inline script
    assert MinutesItem.objects.get(pk=items[0].pk).discussion == "代表们充分讨论，意见一致。"
    screenshot(desktop, "councils-minutes-edit-desktop")
    desktop.click("#submit-minutes")
    desktop.wait_for_url(re.compile(r"/councils/minutes/\d+/$"))
    minutes = meeting.minutes
    minutes.refresh_from_db()
    assert minutes.status == "submitted"
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # The convenor approves and publishes.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    convenor = context.new_page()
    login(convenor, staff["convenor"], live_server.url)
    convenor.goto(f"/councils/minutes/{minutes.pk}/")
    screenshot(convenor, "councils-minutes-to-approve-desktop")
    convenor.click("#approve-minutes")
    convenor.click("#publish-minutes")
    convenor.wait_for_load_state()
    minutes.refresh_from_db()
    assert minutes.status == "published"
    resolution = Resolution.objects.get()
    context.close()

    # An anonymous visitor on a phone reads them on the open ledger.
    phone_errors = csp_errors(phone)
    phone.goto("/councils/")
    screenshot(phone, "councils-ledger-phone")
    phone.click(f"a[href='/councils/minutes/{minutes.pk}/']")
    phone.wait_for_url(re.compile(r"/councils/minutes/\d+/$"))
    assert "通过第1项" in phone.content() and resolution.number in phone.content()
    screenshot(phone, "councils-minutes-published-phone")
    phone.goto(f"/councils/minutes/{minutes.pk}/print/")
    assert phone.locator("[data-print]").count() == 1
    screenshot(phone, "councils-minutes-print-phone")
    assert not [e for e in phone_errors if "Content Security Policy" in e], phone_errors
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling


def test_a_residents_suggestion_becomes_a_resolution_and_the_inbox_shows_each_step(
    phone, live_server, community, staff, screenshot, transactional_db
):
    resident = UserFactory(role=roles.RESIDENT, community=community, name="刘芳")
    from residents.tests.factories import ResidentFactory

    ResidentFactory(community=community, user=resident, name="刘芳")
    errors = csp_errors(phone)
    login(phone, resident, live_server.url)
    phone.goto("/councils/suggest/")
    phone.select_option("#id_category", "parking")
    phone.fill("#id_title", "东门停车位不够")
    phone.fill("#id_text", "晚上车辆乱停，堵住消防通道，建议在东门空地划线增加车位。")
    phone.fill("#id_location", "华苑小区东门")
    screenshot(phone, "councils-suggest-phone")
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/councils/s/JY\w+/$"))
    number = phone.inner_text("#tracking-number")
    suggestion = Suggestion.objects.get(tracking_number=number)

    def inbox_has(count):
        phone.goto("/my/")
        assert phone.content().count(number) >= count, (count, phone.content())

    inbox_has(1)  # received
    secretary, convenor, director = staff["secretary"], staff["convenor"], staff["director"]
    council = staff["council"]
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=5))
    actions.agenda_item_add(meeting=meeting, title=suggestion.title, suggestion=suggestion, by=secretary)
    inbox_has(2)  # on the agenda
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    actions.attendance_record(
        meeting=meeting, present_member_ids=list(council.members.values_list("pk", flat=True)), by=secretary
    )
    minutes = actions.minutes_start(meeting=meeting, by=secretary)
    item = minutes.items.get()
    actions.minutes_save_draft(minutes=minutes, by=secretary, summary="", items={item.pk: {
        "decision": "在东门空地划设20个车位。", "votes_for": 9, "adopt_resolution": True, "executor": "committee",
        "deadline": timezone.localdate() + dt.timedelta(days=30)}})  # fmt: skip
    actions.minutes_submit(minutes=minutes, by=secretary)
    [resolution] = actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    inbox_has(3)  # decided
    actions.resolution_progress_add(resolution=resolution, text="车位已划线启用。", completes=True, by=director)
    inbox_has(4)  # carried out
    actions.suggestion_close(suggestion=suggestion, by=secretary)
    inbox_has(5)  # closed
    screenshot(phone, "councils-inbox-phone")

    phone.goto(f"/councils/s/{number}/")
    assert resolution.number in phone.content() and "车位已划线启用" in phone.content()
    phone.check("#id_rating_0")  # five stars
    phone.click("#rate")
    phone.wait_for_load_state()
    suggestion.refresh_from_db()
    assert suggestion.rating == 5
    screenshot(phone, "councils-suggestion-timeline-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    assert not [e for e in errors if "Content Security Policy" in e], errors
