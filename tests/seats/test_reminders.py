"""Day-before reminders for every seat (portal.core.reminders): each kind is reminded once, a second scan sends
nothing, and two scans running at the same moment on PostgreSQL (two workers) still send each reminder once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from portal.core import roles
from portal.core.capacity import seat_cancel, seat_take
from portal.core.models import Notification, ReminderSent
from portal.core.reminders import send_day_before, sources
from services.culture.models import ClassSession, RoomBooking
from services.events.actions import event_register
from services.hall import actions as hall
from services.health.actions import campaign_invite, checkup_book
from services.models import ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory
from services.tests.factories_stations import (
    CheckupCampaignFactory,
    CheckupSlotFactory,
    CultureClassFactory,
    RoomFactory,
    StationEventFactory,
)
from volunteers.tests.factories import ActivityFactory, SignUpFactory, VolunteerFactory

KINDS = {"booking", "event", "class", "room", "checkup", "shift"}


def tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def one_of_each(community, user) -> dict[str, object]:
    """`user`'s resident holds one thing of each kind tomorrow (and one the day after, not reminded yet)."""
    resident = user.resident
    resident.is_retiree = True
    resident.save()
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    slot = SlotFactory(counter=item.counter, date=tomorrow_at(10).date(), starts_at=tomorrow_at(10))
    booking = hall.booking_create(resident=resident, item=item, slot=slot, booked_by=user)
    event = StationEventFactory(community=community, starts_at=tomorrow_at(9), ends_at=tomorrow_at(11))
    event_register(event=event, resident=resident)
    later = StationEventFactory(
        community=community,
        starts_at=tomorrow_at(9) + dt.timedelta(days=1),
        ends_at=tomorrow_at(11) + dt.timedelta(days=1),
    )
    event_register(event=later, resident=resident)
    room = RoomFactory(community=community)
    klass = CultureClassFactory(room=room)
    seat_take(thing=klass, holder=resident)
    session_booking = RoomBooking.objects.create(
        room=room, starts_at=tomorrow_at(14), ends_at=tomorrow_at(15), purpose="上课"
    )
    ClassSession.objects.create(
        klass=klass, booking=session_booking, starts_at=tomorrow_at(14), ends_at=tomorrow_at(15)
    )
    RoomBooking.objects.create(
        room=room, resident=resident, starts_at=tomorrow_at(16), ends_at=tomorrow_at(18), purpose="练字", booked_by=user
    )
    campaign = CheckupCampaignFactory(community=community)
    campaign_invite(campaign=campaign, by=None)
    checkup_book(
        slot=CheckupSlotFactory(campaign=campaign, starts_at=tomorrow_at(8), ends_at=tomorrow_at(9)), resident=resident
    )
    volunteer = VolunteerFactory(community=community, resident=resident)
    SignUpFactory(activity=ActivityFactory(community=community, date=tomorrow_at(9).date()), volunteer=volunteer)
    return {"booking": booking}


def test_every_kind_has_a_source():
    assert set(sources()) == KINDS


@pytest.mark.django_db
def test_each_kind_is_reminded_once_through_the_inbox(community, make_user):
    user = make_user(roles.RESIDENT, community)
    made = one_of_each(community, user)
    before = Notification.objects.filter(recipient=user).count()

    first = send_day_before()
    again = send_day_before()

    assert first == dict.fromkeys(KINDS, 1), first
    assert again == dict.fromkeys(KINDS, 0), again
    titles = list(Notification.objects.filter(recipient=user).values_list("title", flat=True)[: len(KINDS)])
    assert Notification.objects.filter(recipient=user).count() == before + len(KINDS)
    assert sum("提醒" in title for title in titles) == len(KINDS), titles
    assert ReminderSent.objects.filter(recipient=user).count() == len(KINDS)
    made["booking"].refresh_from_db()
    assert made["booking"].reminded_at is not None  # the hall's own marker is kept too


@pytest.mark.django_db
def test_nothing_is_reminded_for_a_waiting_place_a_cancelled_seat_or_the_day_after(community, make_user):
    user = make_user(roles.RESIDENT, community)
    event = StationEventFactory(community=community, starts_at=tomorrow_at(9), ends_at=tomorrow_at(11), capacity=1)
    holder = make_user(roles.RESIDENT, community)
    event_register(event=event, resident=holder.resident)
    assert event_register(event=event, resident=user.resident).seat.status == "waiting"
    cancelled = StationEventFactory(community=community, starts_at=tomorrow_at(13), ends_at=tomorrow_at(14))
    seat_cancel(seat=event_register(event=cancelled, resident=user.resident).seat)
    day_after = tomorrow_at(9) + dt.timedelta(days=1)
    later = StationEventFactory(community=community, starts_at=day_after, ends_at=day_after + dt.timedelta(hours=1))
    event_register(event=later, resident=user.resident)

    assert send_day_before(kinds=["event"]) == {"event": 1}  # the holder's
    assert not Notification.objects.filter(recipient=user, title__contains="提醒").exists()


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_send_each_reminder_once(community, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    users = [make_user(roles.RESIDENT, community) for _ in range(3)]
    for user in users:
        event = StationEventFactory(community=community, starts_at=tomorrow_at(9), ends_at=tomorrow_at(11))
        event_register(event=event, resident=user.resident)
    one_of_each(community, users[0])
    barrier = threading.Barrier(4)
    results: list[dict] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(send_day_before())
        except BaseException as exc:  # a failure of the scan is a failure of the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    sent = {kind: sum(r[kind] for r in results) for kind in KINDS}
    assert sent == {**dict.fromkeys(KINDS, 1), "event": 4}, sent
    reminders = Notification.objects.filter(title__contains="提醒")
    assert reminders.count() == len(KINDS) + 3
    assert reminders.filter(recipient=users[0]).count() == len(KINDS) + 1
    assert ReminderSent.objects.count() == len(KINDS) + 3
