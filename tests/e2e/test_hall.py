"""A resident on a phone books an appointment at the hall, finds it under "my appointments", and cancels it through
the confirmation step."""

import datetime as dt

import pytest
from django.utils import timezone

from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from tests.e2e.conftest import login  # noqa: E402

pytestmark = pytest.mark.e2e


def _login(page, phone_number, password):
    login(page, phone_number, password)


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_books_sees_and_cancels_an_appointment_on_a_phone(
    phone, community, make_user, password, screenshot, transactional_db
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    tz = timezone.get_current_timezone()
    for hour in (9, 10, 11):
        SlotFactory(counter=item.counter, date=day, starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=tz))
    user = make_user(community=community)

    _login(phone, user.phone, password)
    phone.goto(f"/services/items/{item.pk}/")
    assert "户口簿原件及复印件" in phone.content()
    screenshot(phone, "hall-item-phone")
    assert _fits_the_phone(phone)

    phone.locator("#book-link").click()
    phone.locator(f"a.day[href*='day={day.isoformat()}']").click()
    phone.wait_for_url(f"**day={day.isoformat()}**")
    screenshot(phone, "hall-day-phone")
    assert _fits_the_phone(phone)
    phone.locator("a.slot").first.click()

    phone.wait_for_selector("#confirm-booking")
    screenshot(phone, "hall-confirm-phone")
    phone.locator("#id_documents_ready").check()
    phone.locator("#id_note").fill("需要轮椅")
    phone.locator("#confirm-booking").click()
    phone.wait_for_selector("#booking-code")
    code = phone.locator("#booking-code").inner_text().strip()
    booking = Booking.objects.get(code=code)
    assert booking.resident == user.resident and booking.status == "active" and booking.note == "需要轮椅"
    screenshot(phone, "hall-booked-phone")
    assert _fits_the_phone(phone)

    phone.goto("/services/my/bookings/")
    assert code in phone.content()
    screenshot(phone, "hall-my-bookings-phone")
    assert _fits_the_phone(phone)

    phone.locator("a.booking-card").first.click()
    phone.locator("#cancel-booking").click()
    # The confirmation step: what will happen, and nothing has happened yet.
    phone.wait_for_selector("#confirm-yes")
    assert code in phone.content()
    screenshot(phone, "hall-cancel-confirm-phone")
    assert _fits_the_phone(phone)
    booking.refresh_from_db()
    assert booking.status == "active"
    phone.locator("#confirm-no").click()  # "no, go back" keeps it
    phone.wait_for_selector("#booking-code")
    phone.locator("#cancel-booking").click()
    phone.locator("#confirm-yes").click()
    phone.wait_for_url("**/services/my/bookings/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    screenshot(phone, "hall-cancelled-phone")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_staff_check_in_call_next_and_the_board_shows_the_number(
    desktop, community, make_user, password, screenshot, transactional_db
):
    from portal.core import roles
    from residents.tests.factories import ResidentFactory
    from services.hall import actions

    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    now = timezone.localtime()
    slot = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(hours=1), capacity=5)
    bookings = [
        actions.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
        for _ in range(2)
    ]
    staff = make_user(roles.HALL_STAFF, community)

    _login(desktop, staff.phone, password)
    desktop.goto(f"/services/desk/counters/{item.counter_id}/")
    for booking in bookings:
        desktop.locator("#id_code").fill(booking.code)
        desktop.locator("#id_code").press("Enter")
        desktop.wait_for_load_state()
    desktop.locator("#call-next").click()
    desktop.wait_for_load_state()
    screenshot(desktop, "hall-desk-desktop")
    assert Booking.objects.get(pk=bookings[0].pk).desk == Booking.Desk.CALLED

    desktop.goto(f"/services/board/{community.slug}/")
    assert f"{item.counter.number}-001" in desktop.content()
    screenshot(desktop, "hall-board-desktop")


def test_resident_reports_a_repair_with_a_photo_and_follows_it_on_a_phone(
    phone, community, make_user, password, screenshot, transactional_db, tmp_path
):
    from PIL import Image

    from services.models import Case

    seed_catalogue(community)
    item = ServiceItem.objects.get(community=community, name="自来水管道维修")
    user = make_user(community=community)
    photo = tmp_path / "leak.jpg"
    Image.new("RGB", (64, 48), "blue").save(photo, "JPEG")

    _login(phone, user.phone, password)
    phone.goto(f"/services/items/{item.pk}/")
    phone.locator(f"a[href$='?item={item.pk}']").click()
    phone.locator("#id_description").fill("厨房水池下水管漏水")
    phone.locator("#id_location").fill("3号楼2单元501")
    phone.locator("#id_attachment").set_input_files(str(photo))
    screenshot(phone, "hall-case-new-phone")
    assert _fits_the_phone(phone)
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_selector("#case-status")
    case = Case.objects.get(resident=user.resident)
    assert case.kind == "repair" and case.attachments.count() == 1
    screenshot(phone, "hall-case-phone")
    assert _fits_the_phone(phone)
