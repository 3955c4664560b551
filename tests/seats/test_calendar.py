"""One personal calendar: the private feed (token as the only credential; revocable, regenerable; only its owner's
records) and the Asia/Shanghai VTIMEZONE in every .ics the portal serves (parsed with icalendar)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.core import roles
from portal.core.capacity import seat_take
from portal.core.models import CalendarFeed
from services.culture.models import ClassSession, RoomBooking
from services.events.actions import event_register
from services.hall import actions as hall
from services.health.actions import campaign_invite, checkup_book
from services.models import ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from services.tests.factories_stations import (
    CheckupCampaignFactory,
    CheckupSlotFactory,
    CultureClassFactory,
    RoomFactory,
    StationEventFactory,
    at,
)
from volunteers.tests.factories import ActivityFactory, SignUpFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def assert_shanghai(calendar: Calendar) -> None:
    """The calendar carries the VTIMEZONE, and every event's times are written in that zone."""
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    standard = zones[0].walk("STANDARD")[0]
    assert standard["TZOFFSETTO"].td == dt.timedelta(hours=8)
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert event["DTSTART"].dt.utcoffset() == dt.timedelta(hours=8)


@pytest.fixture
def world(community, make_user):
    """A resident holding one thing of each kind, and a neighbour holding their own."""
    seed_catalogue(community)
    item = ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")
    day = next_weekday(2)
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())
    slot = SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=1)
    user, neighbour = make_user(roles.RESIDENT, community), make_user(roles.RESIDENT, community)
    for u in (user, neighbour):
        u.resident.is_retiree = True
        u.resident.save()
    booking = hall.booking_create(resident=user.resident, item=item, slot=slot, booked_by=user)
    later_start = start + dt.timedelta(days=1)
    later = SlotFactory(counter=item.counter, date=later_start.date(), starts_at=later_start, capacity=1)
    hall.booking_create(resident=neighbour.resident, item=item, slot=later, booked_by=neighbour)
    waiting = hall.booking_wait(resident=user.resident, item=item, slot=later, booked_by=user)
    event = StationEventFactory(community=community, title="重阳节文艺演出")
    event_register(event=event, resident=user.resident)
    secret = StationEventFactory(community=community, title="邻居的讲座")
    event_register(event=secret, resident=neighbour.resident)
    room = RoomFactory(community=community)
    klass = CultureClassFactory(room=room, name="书法班")
    seat_take(thing=klass, holder=user.resident)
    for week in (1, 2):
        hold = RoomBooking.objects.create(room=room, starts_at=at(7 * week, 14), ends_at=at(7 * week, 16), purpose="课")
        ClassSession.objects.create(klass=klass, booking=hold, starts_at=hold.starts_at, ends_at=hold.ends_at)
    RoomBooking.objects.create(
        room=room, resident=user.resident, starts_at=at(5, 18), ends_at=at(5, 20), purpose="练字"
    )
    campaign = CheckupCampaignFactory(community=community, title="2026年退休人员免费体检")
    campaign_invite(campaign=campaign, by=None)
    checkup_book(slot=CheckupSlotFactory(campaign=campaign), resident=user.resident)
    volunteer = VolunteerFactory(community=community, resident=user.resident)
    SignUpFactory(activity=ActivityFactory(community=community, title="清扫楼院"), volunteer=volunteer)
    return {"user": user, "neighbour": neighbour, "booking": booking, "waiting": waiting}


def feed_url(user) -> str:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return reverse("portal:calendar_feed", args=[feed.token])


def test_the_feed_holds_everything_the_resident_holds_and_nothing_of_anyone_else(client, world):
    calendar = parse(client.get(feed_url(world["user"])))  # no session: the token is the credential

    assert_shanghai(calendar)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    titles = " | ".join(str(e["SUMMARY"]) for e in events.values())
    for expected in ("户籍证明开具", "重阳节文艺演出", "书法班", "练字", "2026年退休人员免费体检", "清扫楼院"):
        assert expected in titles, titles
    assert "邻居的讲座" not in titles
    assert len([t for t in titles.split(" | ") if t.startswith("书法班")]) == 2  # each session of the class
    assert str(events[f"booking-{world['booking'].code}@community-portal"]["STATUS"]) == "CONFIRMED"
    assert str(events[f"booking-{world['waiting'].code}@community-portal"]["STATUS"]) == "TENTATIVE"
    assert len(events) == 8

    neighbours = parse(client.get(feed_url(world["neighbour"])))
    assert "重阳节文艺演出" not in " ".join(str(e["SUMMARY"]) for e in neighbours.walk("VEVENT"))


def test_a_stopped_regenerated_or_unknown_token_is_not_found(client, world):
    user = world["user"]
    client.force_login(user)
    assert client.get(reverse("portal:calendar_feed_new")).status_code == 200  # GET asks
    assert not CalendarFeed.objects.filter(user=user).exists()
    client.post(reverse("portal:calendar_feed_new"))
    old = reverse("portal:calendar_feed", args=[CalendarFeed.objects.get(user=user).token])
    my_page = client.get(reverse("portal:my")).content.decode()
    assert old in my_page and 'id="feed-url"' in my_page and "webcal://" in my_page

    client.post(reverse("portal:calendar_feed_new"))  # a new address: the old one stops at once
    new = reverse("portal:calendar_feed", args=[CalendarFeed.objects.get(user=user).token])
    client.logout()
    assert new != old and client.get(old).status_code == 404 and client.get(new).status_code == 200

    client.force_login(user)
    client.post(reverse("portal:calendar_feed_revoke"))
    client.logout()
    assert client.get(new).status_code == 404
    assert client.get(reverse("portal:calendar_feed", args=["x" * 43])).status_code == 404


def test_the_feed_of_a_deactivated_account_is_not_found(client, world):
    url = feed_url(world["user"])
    world["user"].is_active = False
    world["user"].save()
    assert client.get(url).status_code == 404


def test_every_ics_the_portal_serves_carries_the_shanghai_vtimezone(client, world, community):
    client.force_login(world["user"])
    booking = parse(client.get(reverse("services:booking_ics", args=[world["booking"].code])))
    assert_shanghai(booking)
    assert len(booking.walk("VEVENT")) == 1
    stations = parse(client.get(reverse("services:stations:ical", args=[community.slug])))
    assert_shanghai(stations)
    assert stations.walk("VEVENT")
    assert_shanghai(parse(client.get(feed_url(world["user"]))))
