"""On a phone: a resident joins the waiting list (排队候补) of a full hall slot and sees their place; another resident
cancels in their own browser; the first has moved up and sees it (the page and the message). Then they make their
private calendar address on 我的, and the address is fetched without a session and parsed."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _phone_context(browser, live_server):
    return browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


def test_waiting_list_promotion_and_the_calendar_feed_on_a_phone(
    phone, browser, live_server, community, make_user, password, screenshot, transactional_db
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    start = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
    slot = SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=1)
    waiter, holder = make_user(community=community), make_user(community=community)

    # The holder takes the only place, in their own phone browser.
    other = _phone_context(browser, live_server)
    holder_page = other.new_page()
    login(holder_page, holder.phone, password)
    holder_page.goto(f"/services/items/{item.pk}/book/{slot.pk}/")
    holder_page.locator("#id_documents_ready").check()
    holder_page.locator("#confirm-booking").click()
    holder_page.wait_for_selector("#booking-code")
    held = holder_page.locator("#booking-code").inner_text().strip()

    # The waiter finds the slot full and joins its waiting list.
    login(phone, waiter.phone, password)
    phone.goto(f"/services/items/{item.pk}/book/?day={day.isoformat()}")
    full = phone.locator("a.slot-full").first
    assert "可候补" in full.inner_text()
    screenshot(phone, "seats-full-slot-phone")
    assert _fits(phone)
    full.click()
    phone.wait_for_selector("#join-waitlist")
    assert "排队候补" in phone.locator("#join-waitlist").inner_text()
    screenshot(phone, "seats-join-waitlist-phone")
    assert _fits(phone)
    phone.locator("#id_documents_ready").check()
    phone.locator("#join-waitlist").click()
    phone.wait_for_selector("#waiting-place")
    assert "第 1 位" in phone.locator("#waiting-place").inner_text()
    code = phone.locator("#booking-code").inner_text().strip()
    assert Booking.objects.get(code=code).status == "waiting"
    screenshot(phone, "seats-waiting-place-phone")
    assert _fits(phone)

    # The holder cancels through the confirmation step.
    holder_page.goto(f"/services/bookings/{held}/cancel/")
    holder_page.locator("#confirm-yes").click()
    holder_page.wait_for_load_state()
    other.close()
    assert Booking.objects.get(code=held).status == "cancelled"

    # The waiter has moved up: the page shows the appointment, the inbox says so.
    phone.reload()
    phone.wait_for_selector("#booking-status")
    assert phone.locator("#waiting-place").count() == 0
    assert phone.locator("#cancel-booking").count() == 1
    screenshot(phone, "seats-promoted-phone")
    phone.goto("/my/")
    assert "候补成功" in phone.locator("#inbox-title + ul").inner_text()

    # 我的: make the private calendar address, then fetch it with no session and parse it.
    phone.locator("#feed-new").click()
    phone.wait_for_selector("#confirm-yes")
    phone.locator("#confirm-yes").click()
    phone.wait_for_selector("#feed-url")
    address = phone.locator("#feed-url").input_value()
    assert address.startswith(live_server.url) and address.endswith(".ics")
    phone.locator("#calendar summary").click()
    screenshot(phone, "seats-calendar-feed-phone")
    assert _fits(phone)

    anonymous = browser.new_context()
    answer = anonymous.request.get(address)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.body())
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"booking-{code}@community-portal"]
    assert events[0]["DTSTART"].dt == start and str(events[0]["STATUS"]) == "CONFIRMED"

    # Stopping the address: the next fetch finds nothing.
    phone.locator("#feed-stop").click()
    phone.locator("#confirm-yes").click()
    phone.wait_for_selector("#feed-new")
    assert anonymous.request.get(address).status == 404
    anonymous.close()
    assert not errors, errors


def test_my_page_calendar_section_at_1280(desktop, community, make_user, password, screenshot, transactional_db):
    user = make_user(community=community)
    login(desktop, user.phone, password)
    desktop.goto("/my/calendar/new/")
    desktop.locator("#confirm-yes").click()
    desktop.wait_for_selector("#feed-url")
    screenshot(desktop, "seats-calendar-feed-desktop")
    assert desktop.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_free_physical_offers_its_waiting_list_on_a_phone(
    phone, community, make_user, password, screenshot, transactional_db
):
    from services.health.actions import campaign_invite, checkup_book
    from services.tests.factories_stations import CheckupCampaignFactory, CheckupSlotFactory, at

    campaign = CheckupCampaignFactory(community=community, title="2026年退休人员免费体检", place="社区卫生服务站")
    full = CheckupSlotFactory(campaign=campaign, capacity=1)
    CheckupSlotFactory(campaign=campaign, capacity=1, starts_at=at(3, 9), ends_at=at(3, 10))
    holder, waiter = make_user(community=community), make_user(community=community)
    for user in (holder, waiter):
        user.resident.is_retiree = True
        user.resident.save()
    campaign_invite(campaign=campaign, by=None)
    checkup_book(slot=full, resident=holder.resident)

    login(phone, waiter.phone, password)
    phone.goto("/services/health/my/checkup/")
    phone.get_by_role("button", name="排队候补").click()
    phone.wait_for_selector("#checkup-waiting")
    assert "第 1 位" in phone.locator("#checkup-waiting").inner_text()
    screenshot(phone, "seats-checkup-waiting-phone")
    assert _fits(phone)
