"""The sign-in-free link of the confirmation SMS: it opens one appointment, to view or cancel it; it stops working
after cancel, after a move, after the slot; forged or altered links are a plain 404, never a 500."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Notification
from portal.core.sms import MemoryBackend
from services.hall import actions
from services.hall.links import manage_token
from services.models import Booking, Slot
from services.tests.factories import SlotFactory

LINK = re.compile(r"(https://portal\.example\.cn)?(/services/b/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://portal.example.cn"
    MemoryBackend.outbox.clear()


@pytest.fixture
def booking(resident, item, slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.booking_create(resident=resident, item=item, slot=slot, booked_by=resident.user)


def _link(booking) -> str:
    note = Notification.objects.filter(recipient=booking.resident.user).latest("pk")
    return LINK.search(note.body).group(2)


def test_the_confirmation_sms_carries_the_link(booking):
    sms = MemoryBackend.outbox[-1]["text"]
    match = LINK.search(sms)
    assert match and match.group(1) == "https://portal.example.cn"
    assert booking.code in sms


def test_the_link_opens_that_appointment_without_signing_in(client, booking):
    response = client.get(_link(booking))
    assert response.status_code == 200
    page = response.content.decode()
    assert booking.code in page and booking.item.name in page
    assert booking.resident.name not in page  # whoever holds the phone sees the appointment, not the person
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_cancel_through_the_link_asks_first_then_the_link_stops_working(client, booking):
    link = _link(booking)
    cancel = link + "cancel/"
    assert client.get(cancel).status_code == 200  # the question
    assert Booking.objects.get(pk=booking.pk).status == "active"
    response = client.post(cancel)
    assert response.status_code == 200 and 'id="link-gone"' in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
    assert client.get(link).status_code == 410
    assert client.post(cancel).status_code == 410  # reused after cancel: nothing happens


def test_the_link_stops_after_the_slot(client, booking):
    link = _link(booking)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert client.get(link).status_code == 410


def test_the_link_expires_with_its_token(client, booking, monkeypatch):
    link = _link(booking)
    later = timezone.now() + dt.timedelta(days=30)
    monkeypatch.setattr("portal.core.tokens.timezone.now", lambda: later)
    assert client.get(link).status_code == 410


def test_a_move_ends_the_old_link_and_sends_a_new_one(client, booking, item, day, django_capture_on_commit_callbacks):
    old = _link(booking)
    other = SlotFactory(
        counter=item.counter,
        date=day,
        starts_at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone()),
    )
    with django_capture_on_commit_callbacks(execute=True):
        moved = actions.booking_reschedule(booking=booking, slot=other, by=booking.resident.user)
    assert client.get(old).status_code == 410
    new = _link(moved)
    assert new != old and client.get(new).status_code == 200


def test_too_late_to_cancel_online_says_so(client, booking):
    link = _link(booking)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=timezone.now() + dt.timedelta(minutes=30), ends_at=timezone.now() + dt.timedelta(minutes=60)
    )
    client.post(link + "cancel/")
    assert Booking.objects.get(pk=booking.pk).status == "active"


@pytest.mark.parametrize(
    "token",
    ["x", "b.1.ff:abc", "a" * 300, "b.1.ffffffffff:" + "A" * 43, "%3Cscript%3E", "..", "b.1.ff:abc:def"],
)
def test_forged_links_are_a_plain_404(client, booking, token):
    assert client.get(reverse("services:booking_link", args=[token])).status_code == 404
    assert client.post(reverse("services:booking_link_cancel", args=[token])).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == "active"


def test_a_checkin_token_does_not_open_the_link(client, booking):
    from services.checkin.kinds import checkin_token

    assert client.get(reverse("services:booking_link", args=[checkin_token(booking)])).status_code == 404


def test_a_link_opens_only_its_own_appointment(client, booking, item, other_resident_user, slot):
    other = actions.booking_create(resident=other_resident_user.resident, item=item, slot=slot, booked_by=None)
    token = manage_token(booking)
    response = client.get(reverse("services:booking_link", args=[token]))
    assert other.code not in response.content.decode()
