"""QR self check-in in the browser: a resident's appointment page on a phone shows the check-in QR code; staff at
1280 px scan it on the scan page (a USB scanner types the code and Enter) and the resident is checked in."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.core import roles
from services.checkin.kinds import checkin_token
from services.checkin.qr import qr_data_uri
from services.hall import actions
from services.models import Booking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_shows_the_qr_and_staff_scan_it(
    phone, desktop, community, make_user, password, screenshot, transactional_db
):
    errors = []
    for page in (phone, desktop):
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    now = timezone.localtime()
    slot = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(hours=3), capacity=5)
    resident_user = make_user(community=community)
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)

    login(phone, resident_user.phone, password)
    phone.goto(f"/services/bookings/{booking.code}/")
    qr = phone.locator("#checkin-qr img")
    qr.wait_for()
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert phone.evaluate("document.querySelector('#checkin-qr img').naturalWidth") > 0  # the SVG rendered
    # The image is the QR of the booking's signed check-in token (not of its code or id).
    token = checkin_token(booking)
    assert qr.get_attribute("src") == qr_data_uri(token)
    screenshot(phone, "checkin-qr-phone")
    assert _fits(phone)

    staff = make_user(roles.HALL_STAFF, community)
    login(desktop, staff.phone, password)
    desktop.goto("/services/scan/")
    field = desktop.locator("#id_code")
    assert field.evaluate("el => el === document.activeElement")  # ready for the scanner
    screenshot(desktop, "checkin-scan-desktop")
    field.type(token)  # a USB scanner types, then presses Enter
    field.press("Enter")
    desktop.wait_for_selector(".alert-success")
    booking.refresh_from_db()
    assert booking.desk == Booking.Desk.CHECKED_IN and booking.queue_number == 1
    assert booking.ticket in desktop.content()
    screenshot(desktop, "checkin-scanned-desktop")

    # The same code again: refused next to the field, the code still typed.
    desktop.locator("#id_code").fill(token)
    desktop.locator("#id_code").press("Enter")
    desktop.wait_for_selector("#id_code.is-invalid")
    assert desktop.locator("#id_code").input_value() == token
    screenshot(desktop, "checkin-again-desktop")

    # The resident's page no longer offers the QR: checked in, with the queue number.
    phone.reload()
    assert phone.locator("#checkin-qr").count() == 0
    assert booking.ticket in phone.content()
    assert errors == []
