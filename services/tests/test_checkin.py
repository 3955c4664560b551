"""QR self check-in: signed, expiring, single-purpose tokens; the staff scan page checks residents in through each
station's own action (hall desk, checkup attendance, event door), only in the staff member's own community."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from portal.core import roles, tokens
from portal.core.capacity import SeatStatus
from residents.tests.factories import ResidentFactory
from services.checkin.kinds import PURPOSE, checkin_token
from services.events.actions import event_register
from services.hall import actions
from services.health.actions import checkup_book
from services.health.models import CampaignInvitation
from services.models import Booking
from services.tests.factories import SlotFactory
from services.tests.factories_stations import CheckupCampaignFactory, CheckupSlotFactory, StationEventFactory

HOSTILE = [
    "",
    " ",
    ":",
    "h.1.ffffffff",
    "h.1.ffffffff:",
    "h.1.ffffffff:AAAA",
    "x" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>:x",
    "h.-1.ff:sig",
    "\x00:\x00",
    "预约:码",
    "h.99999999999999999999999.ff:abc",
    "%s:%d",
]


# ---- tokens ---------------------------------------------------------------------------------------------------


def _later(hours=1):
    return timezone.now() + dt.timedelta(hours=hours)


def test_a_token_reads_back_for_its_purpose_only(db):
    token = tokens.make(purpose="checkin", kind="h", pk=42, expires=_later())
    assert tokens.read(token, purpose="checkin") == ("h", 42)
    with pytest.raises(tokens.BadToken) as exc:
        tokens.read(token, purpose="booking-manage")
    assert exc.value.reason == "signature"


def test_a_token_expires(db):
    token = tokens.make(purpose="checkin", kind="h", pk=42, expires=_later())
    with pytest.raises(tokens.BadToken) as exc:
        tokens.read(token, purpose="checkin", now=_later(2))
    assert exc.value.reason == "expired"


def test_a_tampered_token_is_refused(db):
    token = tokens.make(purpose="checkin", kind="h", pk=42, expires=_later())
    value, signature = token.rsplit(":", 1)
    for forged in (
        value.replace(".42.", ".43.") + ":" + signature,  # another record
        value.rsplit(".", 1)[0] + ".ffffffffff:" + signature,  # a later expiry
        value + ":" + signature[:-1] + ("A" if signature[-1] != "A" else "B"),
        signing.Signer(salt="another").sign(value),
        signing.Signer(key="not-the-secret", salt=f"portal.token.{PURPOSE}").sign(value),
    ):
        with pytest.raises(tokens.BadToken):
            tokens.read(forged, purpose="checkin")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_a_bad_token_never_an_error(db, hostile):
    with pytest.raises(tokens.BadToken):
        tokens.read(hostile, purpose="checkin")


def test_a_token_is_not_a_guessable_id(db):
    token = tokens.make(purpose="checkin", kind="h", pk=1, expires=_later())
    assert len(token) > 40 and token != "1"


# ---- the scan page --------------------------------------------------------------------------------------------


@pytest.fixture
def today_booking(community, item):
    now = timezone.localtime()
    slot = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(hours=1), capacity=5)
    return actions.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)


def test_hall_staff_check_in_by_scanning_the_qr_token(client, hall_staff, today_booking):
    client.force_login(hall_staff)
    response = client.post(reverse("services:scan"), {"code": checkin_token(today_booking)}, follow=True)
    assert response.status_code == 200
    booking = Booking.objects.get(pk=today_booking.pk)
    assert booking.desk == Booking.Desk.CHECKED_IN and booking.queue_number == 1
    assert booking.ticket in response.content.decode()
    # The same code again: already checked in, said next to the field, no second number.
    again = client.post(reverse("services:scan"), {"code": checkin_token(today_booking)})
    assert again.status_code == 200 and again.context["form"].errors["code"]
    assert Booking.objects.get(pk=today_booking.pk).queue_number == 1


def test_a_typed_booking_code_also_checks_in(client, hall_staff, today_booking):
    client.force_login(hall_staff)
    client.post(reverse("services:scan"), {"code": today_booking.code.lower()})
    assert Booking.objects.get(pk=today_booking.pk).desk == Booking.Desk.CHECKED_IN


def test_another_communitys_token_is_refused(client, other_hall_staff, today_booking):
    client.force_login(other_hall_staff)
    response = client.post(reverse("services:scan"), {"code": checkin_token(today_booking)})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Booking.objects.get(pk=today_booking.pk).desk == Booking.Desk.BOOKED


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_scans_are_told_next_to_the_field(client, hall_staff, hostile):
    client.force_login(hall_staff)
    response = client.post(reverse("services:scan"), {"code": hostile})
    if "\x00" in hostile:
        assert response.status_code == 400  # the site's malformed-input guard answers first
        return
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_manage_link_token_does_not_check_in(client, hall_staff, today_booking):
    from services.hall.links import manage_token

    client.force_login(hall_staff)
    response = client.post(reverse("services:scan"), {"code": manage_token(today_booking)})
    assert response.context["form"].errors["code"]
    assert Booking.objects.get(pk=today_booking.pk).desk == Booking.Desk.BOOKED


def test_who_may_open_the_scan_page(client, make_user, community, resident_user, district_admin):
    url = reverse("services:scan")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(resident_user)
    assert client.get(url).status_code == 403
    client.force_login(district_admin)
    assert client.get(url).status_code == 403  # no community of their own: nobody to check in
    client.force_login(make_user(roles.COMMITTEE_DIRECTOR, community))
    assert client.get(url).status_code == 403
    for role in (roles.HALL_STAFF, roles.HEALTH_STAFF, roles.CULTURE_STAFF):
        client.force_login(make_user(role, community))
        assert client.get(url).status_code == 200


def test_a_role_checks_in_only_its_own_kind(client, health_staff, today_booking):
    client.force_login(health_staff)
    response = client.post(reverse("services:scan"), {"code": checkin_token(today_booking)})
    assert response.context["form"].errors["code"]
    assert Booking.objects.get(pk=today_booking.pk).desk == Booking.Desk.BOOKED


def test_a_checkup_appointment_is_checked_in_as_attended(client, health_staff, community, resident):
    campaign = CheckupCampaignFactory(community=community)
    now = timezone.now()
    slot = CheckupSlotFactory(
        campaign=campaign, starts_at=now + dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=1)
    )
    CampaignInvitation.objects.create(campaign=campaign, resident=resident)
    booking = checkup_book(slot=slot, resident=resident).seat
    client.force_login(resident.user)
    page = client.get(reverse("services:health:my_checkup"))
    assert 'id="checkin-qr"' in page.content.decode()
    client.force_login(health_staff)
    client.post(reverse("services:scan"), {"code": checkin_token(booking)})
    booking.refresh_from_db()
    assert booking.attended is True
    again = client.post(reverse("services:scan"), {"code": checkin_token(booking)})
    assert again.context["form"].errors["code"]


def test_an_event_registration_is_checked_in_at_the_door(client, culture_staff, community, resident):
    now = timezone.now()
    event = StationEventFactory(
        community=community, starts_at=now + dt.timedelta(minutes=10), ends_at=now + dt.timedelta(hours=2)
    )
    registration = event_register(event=event, resident=resident).seat
    client.force_login(resident.user)
    page = client.get(reverse("services:stations:event", args=[event.pk]))
    assert 'id="checkin-qr"' in page.content.decode()
    client.force_login(culture_staff)
    client.post(reverse("services:scan"), {"code": checkin_token(registration)})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_a_waiting_list_place_is_not_checked_in(client, culture_staff, community, resident):
    now = timezone.now()
    event = StationEventFactory(community=community, starts_at=now, ends_at=now + dt.timedelta(hours=2), capacity=1)
    event_register(event=event, resident=ResidentFactory(community=community))
    registration = event_register(event=event, resident=resident).seat
    assert registration.status == SeatStatus.WAITING
    client.force_login(culture_staff)
    response = client.post(reverse("services:scan"), {"code": checkin_token(registration)})
    assert response.context["form"].errors["code"]


def test_the_booking_page_shows_the_qr_until_checked_in(client, resident, item, community, hall_staff):
    now = timezone.localtime()
    slot = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(hours=3), capacity=5)
    booking = actions.booking_create(resident=resident, item=item, slot=slot, booked_by=resident.user)
    client.force_login(resident.user)
    url = reverse("services:booking", args=[booking.code])
    page = client.get(url).content.decode()
    assert 'id="checkin-qr"' in page and "data:image/svg+xml;base64," in page
    actions.booking_check_in(community_id=community.pk, code=booking.code, by=hall_staff)
    assert 'id="checkin-qr"' not in client.get(url).content.decode()


def test_a_scan_typed_after_a_refused_code_counts_alone(client, hall_staff, today_booking):
    client.force_login(hall_staff)
    token = checkin_token(today_booking)
    client.post(reverse("services:scan"), {"code": "h.1.ff:old-refused-code" + token})
    assert Booking.objects.get(pk=today_booking.pk).desk == Booking.Desk.CHECKED_IN
