"""Stations on a phone: a resident books a room and registers for an event; a health worker opens the resident's
file, and the resident then sees that read in their access log."""

import pytest
from django.conf import settings
from django.test import Client

from portal.core import roles
from portal.core.models import SensitiveAccessLog
from services.models import EventRegistration, RoomBooking
from services.tests.factories_stations import HealthFileFactory, ReadingFactory, RoomFactory, StationEventFactory, at

pytestmark = pytest.mark.e2e


def sign_in(page, user, base_url):
    """A session for `user` in this browser (the login form itself is covered by the foundation journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_resident_books_registers_and_sees_who_read_their_file(
    phone, desktop, live_server, community, make_user, screenshot, transactional_db
):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    resident_user = make_user(roles.RESIDENT, community, name="刘芳")
    worker = make_user(roles.HEALTH_STAFF, community, name="李医生")
    room = RoomFactory(community=community, name="书画室", rules="笔墨纸砚用后归位。")
    event = StationEventFactory(community=community, title="社区趣味运动会", capacity=30)
    file = HealthFileFactory(consent__resident=resident_user.resident, allergies="青霉素过敏")
    for i, (sys, dia) in enumerate([(150, 95), (142, 90), (138, 86), (131, 82)]):
        ReadingFactory(file=file, value=sys, value2=dia, taken_on=at(-90 * (4 - i), 9).date())

    # The resident books the calligraphy room for tomorrow morning.
    sign_in(phone, resident_user, live_server.url)
    phone.goto("/services/culture/rooms/")
    screenshot(phone, "stations-rooms-phone")
    day = at(1, 9).date().isoformat()
    phone.goto(f"/services/culture/rooms/{room.pk}/?day={day}")
    phone.locator("#id_day").fill(day)
    phone.locator("#id_start").fill("09:00")
    phone.locator("#id_end").fill("10:30")
    phone.locator("#id_purpose").fill("练习书法")
    screenshot(phone, "stations-room-booking-phone")
    phone.locator("#book-room").click()
    phone.wait_for_url("**/services/culture/my/")
    assert "书画室" in phone.locator("#my-room-bookings").inner_text()
    screenshot(phone, "stations-my-bookings-phone")
    assert RoomBooking.objects.filter(room=room, resident=resident_user.resident, status="active").count() == 1

    # A second booking that overlaps gets a clear message, not an error page.
    phone.goto(f"/services/culture/rooms/{room.pk}/?day={day}")
    phone.locator("#id_day").fill(day)
    phone.locator("#id_start").fill("10:00")
    phone.locator("#id_end").fill("11:00")
    phone.locator("#id_purpose").fill("再练一会")
    phone.locator("#book-room").click()
    phone.wait_for_load_state()
    assert "09:00" in phone.locator("#room-booking-form").inner_text()
    screenshot(phone, "stations-room-overlap-phone")

    # … and registers for the fun games.
    phone.goto(f"/services/events/{event.pk}/")
    phone.locator("#register").click()
    phone.locator("#my-registration").wait_for()
    assert EventRegistration.objects.filter(event=event, resident=resident_user.resident, status="active").exists()
    screenshot(phone, "stations-event-registered-phone")

    # Nobody has read the file yet.
    phone.goto("/services/health/my/access-log/")
    assert "李医生" not in phone.content()

    # The health worker opens the file, stating why.
    sign_in(desktop, worker, live_server.url)
    desktop.goto(f"/services/health/files/{file.pk}/")
    desktop.locator("#id_purpose").select_option("follow_up")
    desktop.locator("#open-file").click()
    desktop.wait_for_load_state()
    assert "青霉素过敏" in desktop.content()
    screenshot(desktop, "stations-health-file-desktop")
    assert SensitiveAccessLog.objects.filter(subject=resident_user.resident, actor=worker, denied=False).count() == 1

    # The resident sees that read, with who and when.
    phone.goto("/services/health/my/access-log/")
    log = phone.locator("#access-log").inner_text()
    assert "李医生" in log
    screenshot(phone, "stations-access-log-phone")
    phone.goto("/services/health/my/")
    assert "青霉素过敏" in phone.content()
    screenshot(phone, "stations-my-health-file-phone")
    phone.goto(f"/services/calendar/{community.slug}/?month={at(7, 9):%Y-%m}")
    screenshot(phone, "stations-calendar-phone")
    assert not [e for e in errors if "Content Security Policy" in e], errors
