"""The counter desk: today's queue, check-in by code, call next, served / no-show, and the public board."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents.tests.factories import ResidentFactory
from services.hall import actions
from services.models import Booking, Slot
from services.tests.factories import BookingFactory, SlotFactory


@pytest.fixture
def today_slot(item):
    now = timezone.localtime()
    return SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(hours=1), capacity=5)


@pytest.fixture
def todays(community, item, today_slot):
    """Three of today's appointments at the item's counter."""
    return [
        actions.booking_create(
            resident=ResidentFactory(community=community), item=item, slot=today_slot, booked_by=None
        )
        for _ in range(3)
    ]


def test_check_in_by_code_hands_out_queue_numbers_in_turn(client, hall_staff, todays):
    client.force_login(hall_staff)
    for booking in todays[:2]:
        response = client.post(reverse("services:desk_check_in"), {"code": booking.code.lower()})
        assert response.status_code == 302
    numbers = list(
        Booking.objects.filter(pk__in=[b.pk for b in todays])
        .order_by("queue_number")
        .values_list("queue_number", flat=True)
    )
    assert numbers == [1, 2, None]


def test_checking_in_twice_or_on_the_wrong_day_says_so(hall_staff, community, todays, item):
    actions.booking_check_in(community_id=community.pk, code=todays[0].code, by=hall_staff)
    with pytest.raises(ValidationError) as exc:
        actions.booking_check_in(community_id=community.pk, code=todays[0].code, by=hall_staff)
    assert exc.value.code == "checked_in"
    later = SlotFactory(counter=item.counter, date=timezone.localdate() + dt.timedelta(days=3))
    future = BookingFactory(slot=later, item=item)
    with pytest.raises(ValidationError) as exc:
        actions.booking_check_in(community_id=community.pk, code=future.code, by=hall_staff)
    assert exc.value.code == "not_today"


def test_another_communitys_code_is_unknown(other_hall_staff, other_community, todays):
    with pytest.raises(ValidationError) as exc:
        actions.booking_check_in(community_id=other_community.pk, code=todays[0].code, by=other_hall_staff)
    assert exc.value.code == "unknown"


def test_call_next_takes_the_lowest_number_then_served_and_no_show(client, hall_staff, community, todays, item):
    for booking in todays:
        actions.booking_check_in(community_id=community.pk, code=booking.code, by=hall_staff)
    client.force_login(hall_staff)
    client.post(reverse("services:desk_call_next", args=[item.counter_id]))
    called = Booking.objects.get(desk=Booking.Desk.CALLED)
    assert called.queue_number == 1
    client.post(reverse("services:desk_finish", args=[called.pk]), {"outcome": "served"})
    Slot.objects.filter(pk=todays[2].slot_id).update(starts_at=timezone.now() - dt.timedelta(minutes=10))
    client.post(reverse("services:desk_finish", args=[todays[2].pk]), {"outcome": "no_show"})
    assert Booking.objects.get(pk=called.pk).desk == Booking.Desk.SERVED
    page = client.get(reverse("services:desk_counter", args=[item.counter_id]))
    no_show = next(b for b in page.context["queue"] if b.pk == todays[2].pk)
    assert no_show.no_shows == 1


def test_nobody_waiting_is_said_plainly(client, hall_staff, item):
    client.force_login(hall_staff)
    response = client.post(reverse("services:desk_call_next", args=[item.counter_id]), follow=True)
    assert response.status_code == 200 and list(response.context["messages"])


def test_the_board_shows_the_number_being_served_and_refreshes_itself(client, hall_staff, community, todays, item):
    actions.booking_check_in(community_id=community.pk, code=todays[0].code, by=hall_staff)
    actions.booking_call_next(counter=item.counter, by=hall_staff)
    response = client.get(reverse("services:board", args=[community.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{item.counter.number}-001" in body
    assert 'http-equiv="refresh"' in body and "<script>" not in body
    assert todays[0].resident.name not in body  # no names on a public screen


@pytest.mark.parametrize("extra", [2, 20])
def test_desk_pages_run_a_constant_number_of_queries(
    client, hall_staff, community, item, today_slot, extra, django_assert_max_num_queries
):
    for number in range(1, extra + 1):
        b = BookingFactory(slot=today_slot, item=item)
        # A queue number of the day, never derived from the primary key (which grows from run to run).
        b.desk, b.queue_number, b.called_at = Booking.Desk.CALLED, number, timezone.now()
        b.save()
    client.force_login(hall_staff)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("services:desk_counter", args=[item.counter_id])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("services:desk")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(4):
        assert client.get(reverse("services:board", args=[community.slug])).status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_admin_lists_run_a_constant_number_of_queries(
    client, hall_staff, item, today_slot, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        BookingFactory(slot=today_slot, item=item, booked_by=hall_staff)
        SlotFactory(counter=item.counter)
    client.force_login(hall_staff)
    for name in ["booking", "slot", "serviceitem", "counter", "closedday"]:
        with django_assert_max_num_queries(11, info=name):
            assert client.get(reverse(f"admin:services_{name}_changelist")).status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_finding_a_resident_to_act_for_runs_a_constant_number_of_queries(
    client, hall_staff, community, catalogue, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        ResidentFactory(community=community, name="张秀英")
    client.force_login(hall_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("services:desk_residents"), {"q": "秀英"})
    assert len(response.context["residents"]) == extra


def test_finding_a_resident_by_name_phone_household_or_building(client, hall_staff, community, other_community):
    wang = ResidentFactory(
        community=community, name="王秀英", phone="13912345678", household__building__name="幸福里7号楼"
    )
    ResidentFactory(community=community, name="李四", phone="13800000000")
    ResidentFactory(community=other_community, name="王秀英", phone="13912345678")  # not mine
    client.force_login(hall_staff)

    def found(q):
        return [r.pk for r in client.get(reverse("services:desk_residents"), {"q": q}).context["residents"]]

    assert found("王秀") == [wang.pk]
    assert found("12345") == [wang.pk]  # part of the phone number
    assert found(wang.household.number) == [wang.pk]
    assert found("幸福里7号") == [wang.pk]
    assert found("王 7号楼") == [wang.pk]  # every word must match
    assert found("王 李") == []


def _begun(booking):
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=timezone.now() - dt.timedelta(minutes=10))


def test_no_show_is_refused_before_the_slot_begins(client, hall_staff, todays, item):
    client.force_login(hall_staff)
    queue = client.get(reverse("services:desk_counter", args=[item.counter_id])).content.decode()
    assert reverse("services:desk_finish", args=[todays[0].pk]) not in queue  # not offered yet
    with pytest.raises(ValidationError) as exc:
        actions.booking_finish(booking=todays[0], served=False, by=hall_staff)
    assert exc.value.code == "early"
    asked = client.get(reverse("services:desk_finish", args=[todays[0].pk]))
    assert asked.status_code == 200 and 'id="confirm-yes"' not in asked.content.decode()
    client.post(reverse("services:desk_finish", args=[todays[0].pk]), {"outcome": "no_show"})
    assert Booking.objects.get(pk=todays[0].pk).desk == Booking.Desk.BOOKED


def test_no_show_after_the_slot_began_asks_first_then_counts(client, hall_staff, todays, item):
    _begun(todays[0])
    client.force_login(hall_staff)
    finish = reverse("services:desk_finish", args=[todays[0].pk])
    assert finish in client.get(reverse("services:desk_counter", args=[item.counter_id])).content.decode()
    asked = client.get(finish)
    body = asked.content.decode()
    assert asked.status_code == 200 and 'id="confirm-yes"' in body and 'value="no_show"' in body
    assert todays[0].resident.name in body
    assert Booking.objects.get(pk=todays[0].pk).desk == Booking.Desk.BOOKED  # the GET changed nothing
    client.post(finish, {"outcome": "no_show"})
    assert Booking.objects.get(pk=todays[0].pk).desk == Booking.Desk.NO_SHOW


@pytest.mark.parametrize("outcome", ["served", "no_show"])
def test_finishing_clears_the_number_from_the_board(client, hall_staff, community, todays, item, outcome):
    _begun(todays[0])
    actions.booking_check_in(community_id=community.pk, code=todays[0].code, by=hall_staff)
    actions.booking_call_next(counter=item.counter, by=hall_staff)
    board = reverse("services:board", args=[community.slug])
    ticket = f"{item.counter.number}-001"
    assert ticket in client.get(board).content.decode()
    actions.booking_finish(booking=todays[0], served=outcome == "served", by=hall_staff)
    assert ticket not in client.get(board).content.decode()
