"""Waiting lists (排队候补) on full hall slots and on the free physical's times: join, see one's place, move up
automatically when someone cancels and be told — also when cancellations and new waiters race on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter as Tally

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.models import Notification
from residents.tests.factories import ResidentFactory
from services.hall import actions as hall
from services.health.actions import campaign_invite, checkup_book, checkup_booking_cancel, checkup_waiting_place
from services.models import Booking, CheckupBooking, ServiceItem
from services.seed import seed_catalogue
from services.tests.factories import SlotFactory, next_weekday
from services.tests.factories_stations import CheckupCampaignFactory, CheckupSlotFactory


def race(n: int, work) -> list[str]:
    """work(i) in n threads released together, each on its own connection; their outcomes."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    barrier = threading.Barrier(n)
    outcomes = [""] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = work(i)
        except ValidationError as exc:
            outcomes[i] = exc.code or "invalid"
        except Exception as exc:
            outcomes[i] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def item(community):
    seed_catalogue(community)
    return ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")


def full_slot(item, capacity: int = 1, hour: int = 9):
    day = next_weekday(2)
    start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())
    return SlotFactory(counter=item.counter, date=day, starts_at=start, capacity=capacity)


# --- hall slots ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_slot_keeps_a_waiting_list_in_order_and_the_first_moves_up_when_someone_cancels(
    community, item, make_user
):
    slot = full_slot(item)
    holder, first, second = (make_user(roles.RESIDENT, community) for _ in range(3))
    taken = hall.booking_create(resident=holder.resident, item=item, slot=slot, booked_by=holder)
    with pytest.raises(ValidationError) as full:
        hall.booking_create(resident=first.resident, item=item, slot=slot, booked_by=first)
    assert full.value.code == "full"

    wait1 = hall.booking_wait(resident=first.resident, item=item, slot=slot, booked_by=first)
    wait2 = hall.booking_wait(resident=second.resident, item=item, slot=slot, booked_by=second)
    assert (wait1.status, wait1.waiting_place, wait2.status, wait2.waiting_place) == ("waiting", 1, "waiting", 2)
    assert Notification.objects.filter(recipient=first, title__contains="候补").exists()

    hall.booking_cancel(booking=taken, by=holder)

    wait1.refresh_from_db()
    wait2.refresh_from_db()
    slot.refresh_from_db()
    assert (wait1.status, wait2.status, wait2.waiting_place) == ("active", "waiting", 1)
    assert slot.seats_taken == 1 == Booking.objects.filter(slot=slot, status="active").count()
    told = Notification.objects.filter(recipient=first).first()
    assert told.url == reverse("services:booking", args=[wait1.code]) and wait1.code in told.body


@pytest.mark.django_db
def test_leaving_the_waiting_list_promotes_nobody_and_a_booking_elsewhere_that_day_ends_the_wait(
    community, item, make_user
):
    slot = full_slot(item)
    other = full_slot(item, capacity=2, hour=10)
    holder, waiter, leaver = (make_user(roles.RESIDENT, community) for _ in range(3))
    hall.booking_create(resident=holder.resident, item=item, slot=slot, booked_by=holder)
    leaving = hall.booking_wait(resident=leaver.resident, item=item, slot=slot, booked_by=leaver)
    waiting = hall.booking_wait(resident=waiter.resident, item=item, slot=slot, booked_by=waiter)

    hall.booking_cancel(booking=leaving, by=leaver)  # the resident leaves the list: no seat is freed
    leaving.refresh_from_db()
    slot.refresh_from_db()
    assert leaving.status == "cancelled" and slot.seats_taken == 1
    assert Booking.objects.get(pk=waiting.pk).waiting_place == 1

    hall.booking_create(resident=waiter.resident, item=item, slot=other, booked_by=waiter)
    assert Booking.objects.get(pk=waiting.pk).status == "cancelled"  # one appointment per service a day


@pytest.mark.django_db
def test_the_pages_offer_the_waiting_list_of_a_full_slot_and_show_the_place(client, community, item, make_user):
    slot = full_slot(item)
    holder, user = make_user(roles.RESIDENT, community), make_user(roles.RESIDENT, community)
    hall.booking_create(resident=holder.resident, item=item, slot=slot, booked_by=holder)
    client.force_login(user)

    day = client.get(reverse("services:book", args=[item.pk]), {"day": slot.date.isoformat()}).content.decode()
    assert reverse("services:book_confirm", args=[item.pk, slot.pk]) in day and "可候补" in day
    confirm = client.get(reverse("services:book_confirm", args=[item.pk, slot.pk])).content.decode()
    assert 'id="join-waitlist"' in confirm and "排队候补" in confirm and 'id="confirm-booking"' not in confirm

    response = client.post(
        reverse("services:book_confirm", args=[item.pk, slot.pk]), {"documents_ready": "on", "waitlist": "1"}
    )
    booking = Booking.objects.get(resident=user.resident)
    assert booking.status == "waiting"
    assert response.status_code == 302 and response["Location"] == reverse("services:booking", args=[booking.code])
    page = client.get(response["Location"]).content.decode()
    assert 'id="waiting-place"' in page and "第 1 位" in page
    assert "候补" in client.get(reverse("services:my_bookings")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_cancellations_racing_new_waiters_promote_in_order_and_never_overbook(community, item):
    slot = full_slot(item, capacity=4)
    holders = [
        hall.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
        for _ in range(4)
    ]
    early = [
        hall.booking_wait(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
        for _ in range(3)
    ]
    late = [ResidentFactory(community=community) for _ in range(6)]

    def work(i: int) -> str:
        if i < 4:
            hall.booking_cancel(booking=holders[i], by=holders[i].resident.user or _staff(community))
            return "cancelled"
        return hall.booking_wait(resident=late[i - 4], item=item, slot=slot, booked_by=None).status

    outcomes = race(10, work)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    slot.refresh_from_db()
    active = Booking.objects.filter(slot=slot, status="active")
    assert slot.seats_taken == active.count() == slot.capacity, Tally(outcomes)
    # The three who waited first all moved up; the fourth seat went to one of the late waiters (or was taken
    # directly by one who arrived after a cancellation freed it).
    assert set(active.values_list("pk", flat=True)) >= {b.pk for b in early}
    waiting = list(Booking.objects.filter(slot=slot, status="waiting").order_by("created_at", "pk"))
    assert [b.waiting_place for b in waiting] == list(range(1, len(waiting) + 1))
    assert len(waiting) + active.count() == 4 + 3 + 6 - 4


def _staff(community):
    from portal.tests.factories import UserFactory  # lazy: a test helper, only for residents without an account

    return UserFactory(role=roles.HALL_STAFF, community=community)


# --- the free physical ---------------------------------------------------------------------------------


@pytest.fixture
def campaign(community):
    return CheckupCampaignFactory(community=community)


def retirees(make_user, community, n: int):
    users = [make_user(roles.RESIDENT, community) for _ in range(n)]
    for user in users:
        user.resident.is_retiree = True
        user.resident.save()
    return users


@pytest.mark.django_db
def test_a_full_physical_time_offers_its_waiting_list_and_the_first_moves_up_and_is_told(
    client, campaign, community, make_user
):
    slot = CheckupSlotFactory(campaign=campaign, capacity=1)
    holder, waiter = retirees(make_user, community, 2)
    campaign_invite(campaign=campaign, by=None)
    held = checkup_book(slot=slot, resident=holder.resident).seat

    client.force_login(waiter)
    page = client.get(reverse("services:health:my_checkup")).content.decode()
    assert "排队候补" in page and "已满" in page
    client.post(reverse("services:health:my_checkup_book", args=[slot.pk]), {"waitlist": "1"})
    waiting = CheckupBooking.objects.get(resident=waiter.resident)
    assert waiting.status == "waiting" and checkup_waiting_place(waiting) == 1
    assert "第 1 位" in client.get(reverse("services:health:my_checkup")).content.decode()

    checkup_booking_cancel(booking=held)

    waiting.refresh_from_db()
    slot.refresh_from_db()
    assert waiting.status == "active" and slot.seats_taken == 1
    told = Notification.objects.filter(recipient=waiter).first()
    assert "免费体检" in told.title and told.url == reverse("services:health:my_checkup")
    assert "您的预约时间" in client.get(reverse("services:health:my_checkup")).content.decode()


@pytest.mark.django_db
def test_one_wait_per_campaign_and_a_booked_time_ends_the_wait(campaign, community, make_user):
    full1 = CheckupSlotFactory(campaign=campaign, capacity=1)
    full2 = CheckupSlotFactory(campaign=campaign, capacity=1)
    free = CheckupSlotFactory(campaign=campaign, capacity=5)
    a, b, user = retirees(make_user, community, 3)
    campaign_invite(campaign=campaign, by=None)
    checkup_book(slot=full1, resident=a.resident)
    checkup_book(slot=full2, resident=b.resident)
    assert checkup_book(slot=full1, resident=user.resident).outcome.value == "full"  # no list unless asked
    wait = checkup_book(slot=full1, resident=user.resident, waiting_list=True).seat
    with pytest.raises(ValidationError):
        checkup_book(slot=full2, resident=user.resident, waiting_list=True)
    assert checkup_book(slot=free, resident=user.resident).outcome.value == "taken"
    wait.refresh_from_db()
    assert wait.status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_five_cancellations_at_once_move_up_the_five_longest_waiting(campaign, community, make_user):
    slot = CheckupSlotFactory(campaign=campaign, capacity=5)
    users = retirees(make_user, community, 12)
    campaign_invite(campaign=campaign, by=None)
    held = [checkup_book(slot=slot, resident=u.resident).seat for u in users[:5]]
    waiting = [checkup_book(slot=slot, resident=u.resident, waiting_list=True).seat for u in users[5:]]

    outcomes = race(5, lambda i: checkup_booking_cancel(booking=held[i]) or "cancelled")

    assert outcomes == ["cancelled"] * 5
    slot.refresh_from_db()
    active = set(CheckupBooking.objects.filter(slot=slot, status="active").values_list("pk", flat=True))
    assert active == {w.pk for w in waiting[:5]} and slot.seats_taken == 5
    assert Notification.objects.filter(title__contains="免费体检", recipient__in=users[5:10]).count() == 5


@pytest.mark.django_db
def test_closing_the_day_cancels_the_waiting_list_first_so_nobody_moves_up_into_a_closed_day(
    community, item, make_user, hall_staff
):
    slot = full_slot(item)
    holder, waiter = make_user(roles.RESIDENT, community), make_user(roles.RESIDENT, community)
    held = hall.booking_create(resident=holder.resident, item=item, slot=slot, booked_by=holder)
    waiting = hall.booking_wait(resident=waiter.resident, item=item, slot=slot, booked_by=waiter)

    hall.closed_day_add(community_id=community.pk, day=slot.date, reason="停电检修", by=hall_staff)

    assert {b.status for b in Booking.objects.filter(pk__in=[held.pk, waiting.pk])} == {"cancelled"}
    slot.refresh_from_db()
    assert slot.seats_taken == 0
