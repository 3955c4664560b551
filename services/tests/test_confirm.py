"""Irreversible actions ask first (issue 15, part 3): a GET of a cancel URL shows what will happen and a button
that POSTs to it, and changes nothing; the POST acts. A move keeps the booking code and replaces the calendar event
(same UID, SEQUENCE + 1)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from services.culture.actions import class_enrol, room_book
from services.events.actions import event_register
from services.hall import actions
from services.health.actions import checkup_book
from services.models import Booking, CampaignInvitation, CheckupBooking, ClassEnrolment, EventRegistration, RoomBooking
from services.tests.factories import SlotFactory
from services.tests.factories_stations import (
    CheckupSlotFactory,
    CultureClassFactory,
    RoomFactory,
    StationEventFactory,
    at,
)


def _hall(resident, item, slot, **_):
    booking = actions.booking_create(resident=resident, item=item, slot=slot, booked_by=resident.user)
    return reverse("services:booking_cancel", args=[booking.code]), lambda: Booking.objects.get(pk=booking.pk).status


def _room(resident, community, **_):
    room = RoomFactory(community=community, bookable=True)
    booking = room_book(
        room=room, starts_at=at(2, 10), ends_at=at(2, 11), purpose="练字", by=resident.user, resident=resident
    )
    url = reverse("services:culture:booking_cancel", args=[booking.pk])
    return url, lambda: RoomBooking.objects.get(pk=booking.pk).status


def _event(resident, community, **_):
    seat = event_register(event=StationEventFactory(community=community), resident=resident).seat
    url = reverse("services:culture:registration_cancel", args=[seat.pk])
    return url, lambda: EventRegistration.objects.get(pk=seat.pk).status


def _class(resident, community, **_):
    seat = class_enrol(klass=CultureClassFactory(room__community=community), resident=resident).seat
    return reverse(
        "services:culture:enrolment_cancel", args=[seat.pk]
    ), lambda: ClassEnrolment.objects.get(pk=seat.pk).status


def _physical(resident, community, **_):
    slot = CheckupSlotFactory(campaign__community=community)
    CampaignInvitation.objects.create(campaign=slot.campaign, resident=resident)
    seat = checkup_book(slot=slot, resident=resident).seat
    url = reverse("services:health:my_checkup_cancel", args=[seat.pk])
    return url, lambda: CheckupBooking.objects.get(pk=seat.pk).status


@pytest.mark.parametrize("make", [_hall, _room, _event, _class, _physical], ids=lambda f: f.__name__[1:])
def test_a_cancel_asks_first_and_only_the_post_cancels(client, resident_user, community, item, slot, make):
    url, status = make(resident=resident_user.resident, community=community, item=item, slot=slot)
    client.force_login(resident_user)
    asked = client.get(url)
    body = asked.content.decode()
    assert asked.status_code == 200
    assert f'action="{url}"' in body and 'method="post"' in body and 'id="confirm-yes"' in body
    assert 'id="confirm-no"' in body
    assert status() == "active"  # asking changed nothing
    assert client.post(url).status_code == 302
    assert status() == "cancelled"
    again = client.get(url)  # the question, once answered, says so instead of offering the button again
    assert again.status_code == 200 and 'id="confirm-yes"' not in again.content.decode()


def test_the_pages_link_to_the_question_not_to_a_form_that_acts(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(resident_user)
    body = client.get(reverse("services:booking", args=[booking.code])).content.decode()
    url = reverse("services:booking_cancel", args=[booking.code])
    assert f'href="{url}"' in body and f'action="{url}"' not in body


def test_a_put_is_still_refused(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(resident_user)
    assert client.put(reverse("services:booking_cancel", args=[booking.code])).status_code == 405


def _ics(client, code):
    calendar = Calendar.from_ical(client.get(reverse("services:booking_ics", args=[code])).content)
    return next(iter(calendar.walk("VEVENT")))


def test_a_move_asks_first_keeps_the_code_and_replaces_the_calendar_event(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    code = booking.code
    later = SlotFactory(counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(hours=1))
    client.force_login(resident_user)
    before = _ics(client, code)
    assert int(before["SEQUENCE"]) == 0

    url = reverse("services:booking_reschedule", args=[code])
    picking = client.get(f"{url}?day={slot.date.isoformat()}").content.decode()
    assert f"slot={later.pk}" in picking  # a time is a link to the question, not a button that moves
    asked = client.get(f"{url}?day={slot.date.isoformat()}&slot={later.pk}")
    body = asked.content.decode()
    assert asked.status_code == 200 and 'id="confirm-yes"' in body and f'value="{later.pk}"' in body
    assert Booking.objects.get(pk=booking.pk).slot_id == slot.pk  # asking moved nothing

    response = client.post(url, {"slot": later.pk})
    moved = Booking.objects.get(status="active")
    assert response.status_code == 302 and response["Location"] == reverse("services:booking", args=[code])
    assert moved.code == code and moved.slot == later and moved.rescheduled_from_id == booking.pk
    old = Booking.objects.get(pk=booking.pk)
    assert old.status == "cancelled" and old.code != code

    after = _ics(client, code)
    assert str(after["UID"]) == str(before["UID"]) and int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == timezone.localtime(later.starts_at)
    # The history links old and new: the new page says where it came from, the old one where it went.
    assert 'id="moved-from"' in client.get(reverse("services:booking", args=[code])).content.decode()
    left = client.get(reverse("services:booking", args=[old.code])).content.decode()
    assert 'id="moved-to"' in left and reverse("services:booking", args=[code]) in left


def test_a_failed_move_gives_the_code_back(client, make_user, community, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    full = SlotFactory(
        counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(hours=1), capacity=1
    )
    actions.booking_create(resident=make_user(community=community).resident, item=item, slot=full, booked_by=None)
    client.force_login(resident_user)
    client.post(reverse("services:booking_reschedule", args=[booking.code]), {"slot": full.pk})
    kept = Booking.objects.get(pk=booking.pk)
    assert kept.code == booking.code and kept.status == "active" and kept.sequence == 0


def test_a_cancelled_appointment_is_cancelled_in_the_calendar_too(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(resident_user)
    client.post(reverse("services:booking_cancel", args=[booking.code]))
    event = _ics(client, booking.code)
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_staff_cancelling_may_give_a_reason_on_the_question(client, hall_staff, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(hall_staff)
    url = reverse("services:booking_cancel", args=[booking.code])
    assert 'name="reason"' in client.get(url).content.decode()
    client.force_login(resident_user)
    assert 'name="reason"' not in client.get(url).content.decode()


def test_a_resident_past_the_cutoff_is_told_on_the_question(client, resident_user, item):
    now = timezone.localtime()
    soon = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(minutes=50))
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=soon, booked_by=resident_user)
    client.force_login(resident_user)
    body = client.get(reverse("services:booking_cancel", args=[booking.code])).content.decode()
    assert 'id="confirm-problem"' in body and 'id="confirm-yes"' not in body


def test_the_admins_bulk_cancel_asks_first(client, hall_staff, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(hall_staff)
    url = reverse("admin:services_booking_changelist")
    chosen = {"action": "cancel_by_staff", "_selected_action": [booking.pk], "index": 0}
    asked = client.post(url, chosen)
    body = asked.content.decode()
    assert asked.status_code == 200 and 'id="confirm-yes"' in body and booking.code in body
    assert Booking.objects.get(pk=booking.pk).status == "active"
    assert client.post(url, {**chosen, "confirmed": "yes"}).status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
