"""A resident on a phone books an appointment at the hall, finds it under "my appointments", and cancels it."""

import datetime as dt

import pytest
from django.utils import timezone

from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday

pytestmark = pytest.mark.e2e


def _login(page, phone_number, password):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(phone_number)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


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
    phone.wait_for_url("**/services/my/bookings/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    screenshot(phone, "hall-cancelled-phone")
    assert not [e for e in errors if "Content Security Policy" in e], errors
