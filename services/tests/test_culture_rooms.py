"""Room bookings: opening hours, a clear message for an overlap, and no overlap ever — also under concurrency."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from portal.tests.idempotency import key_on
from residents.tests.factories import ResidentFactory
from services.culture import actions as culture_actions
from services.culture.actions import class_session_add, room_book, team_book_weekly
from services.models import RoomBooking
from services.tests.factories_stations import CultureClassFactory, RoomFactory, TeamFactory, at


def test_a_booking_within_opening_hours_is_taken(community, resident):
    room = RoomFactory(community=community)
    booking = room_book(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="练字", resident=resident, by=None)
    assert booking.status == "active"


@pytest.mark.parametrize(
    "start, end, message",
    [
        ((2, 7), (2, 9), "开放时间"),
        ((2, 20), (2, 22), "开放时间"),
        ((2, 10), (2, 9), "结束时间必须晚于开始时间"),
        ((-1, 9), (-1, 10), "该时间已过"),
        ((2, 8), (2, 14), "最长 4 小时"),
    ],
    ids=["before-opening", "after-closing", "end-before-start", "in-the-past", "too-long"],
)
def test_bad_times_get_a_clear_message(community, resident, start, end, message):
    room = RoomFactory(community=community)
    with pytest.raises(ValidationError, match=message):
        room_book(room=room, starts_at=at(*start), ends_at=at(*end), purpose="x", resident=resident, by=None)


def test_an_overlap_gets_a_clear_message_not_an_integrity_error(community, resident):
    room = RoomFactory(community=community)
    room_book(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a", resident=resident, by=None)
    with pytest.raises(ValidationError, match="在 09:00 至 11:00 已被预约") as err:
        room_book(room=room, starts_at=at(2, 10), ends_at=at(2, 12), purpose="b", resident=resident, by=None)
    assert err.value.code == "overlap"
    # Touching ends do not overlap ([9,11) and [11,12)); another room is independent; a cancelled booking frees the time.
    room_book(room=room, starts_at=at(2, 11), ends_at=at(2, 12), purpose="c", resident=resident, by=None)
    room_book(
        room=RoomFactory(community=community),
        starts_at=at(2, 9),
        ends_at=at(2, 11),
        purpose="d",
        resident=resident,
        by=None,
    )


def test_the_database_itself_refuses_an_overlap(community):
    room = RoomFactory(community=community)
    RoomBooking.objects.create(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.create(room=room, starts_at=at(2, 10), ends_at=at(2, 10, 30), purpose="b")


def test_a_cancelled_booking_frees_the_time(community, resident):
    room = RoomFactory(community=community)
    first = room_book(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="a", resident=resident, by=None)
    first.status = "cancelled"
    first.save()
    assert room_book(room=room, starts_at=at(2, 9), ends_at=at(2, 11), purpose="b", resident=resident, by=None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("early_check", [True, False], ids=["with-early-check", "database-alone"])
def test_concurrent_overlapping_bookings_leave_exactly_one(community, monkeypatch, early_check):
    assert connection.vendor == "postgresql"
    if not early_check:  # prove that the exclusion constraint alone holds, whatever the Python code checks
        monkeypatch.setattr(culture_actions, "_clash_exists", lambda *args, **kwargs: False)
    room = RoomFactory(community=community)
    residents = ResidentFactory.create_batch(8, community=community)
    barrier = threading.Barrier(len(residents))
    outcomes = []

    def book(resident, offset):
        try:
            barrier.wait()
            room_book(
                room=room,
                starts_at=at(3, 9, offset),
                ends_at=at(3, 10, offset),
                purpose="x",
                resident=resident,
                by=None,
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(r, i * 5)) for i, r in enumerate(residents)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("refused") == 7
    assert RoomBooking.objects.filter(room=room, status="active").count() == 1


def test_a_team_books_weekly_all_or_nothing(community, resident):
    room = RoomFactory(community=community)
    team = TeamFactory(community=community)
    day = (at(3, 9)).date()
    room_book(room=room, starts_at=at(3 + 14, 19), ends_at=at(3 + 14, 20), purpose="x", resident=resident, by=None)
    with pytest.raises(ValidationError, match="已被预约") as err:
        team_book_weekly(team=team, room=room, first_day=day, weeks=4, start=dt.time(19), end=dt.time(20, 30), by=None)
    assert err.value.code == "overlap"
    assert not RoomBooking.objects.filter(team=team).exists()
    made = team_book_weekly(
        team=team, room=room, first_day=day, weeks=2, start=dt.time(19), end=dt.time(20, 30), by=None
    )
    assert len(made) == 2


def test_class_sessions_take_their_room(community, resident):
    klass = CultureClassFactory(room__community=community, community=community)
    class_session_add(klass=klass, starts_at=at(4, 14), ends_at=at(4, 16), by=None)
    with pytest.raises(ValidationError, match="已被预约") as err:
        room_book(room=klass.room, starts_at=at(4, 15), ends_at=at(4, 17), purpose="x", resident=resident, by=None)
    assert err.value.code == "overlap"


def test_a_resident_books_through_the_page_and_sees_the_message_on_overlap(client, community, resident_user):
    room = RoomFactory(community=community)
    client.force_login(resident_user)
    day = at(2, 9).date().isoformat()
    url = reverse("services:culture:room", args=[room.pk])
    response = client.post(url, {"day": day, "start": "09:00", "end": "10:00", "purpose": "下棋"})
    assert response.status_code == 302
    response = client.post(url, {"day": day, "start": "09:30", "end": "10:30", "purpose": "打牌"})
    assert response.status_code == 200
    assert "09:00" in response.content.decode() and 'value="打牌"' in response.content.decode()
    assert RoomBooking.objects.count() == 1


def test_a_room_booking_sent_twice_with_one_key_books_once_without_an_overlap_error(client, community, resident_user):
    room = RoomFactory(community=community)
    client.force_login(resident_user)
    url = reverse("services:culture:room", args=[room.pk])
    form = {"day": at(2, 9).date().isoformat(), "start": "09:00", "end": "10:00", "purpose": "下棋"}
    form["idempotency_key"] = key_on(client.get(url))
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert RoomBooking.objects.count() == 1


def test_another_communitys_resident_cannot_book(client, other_community, resident_user):
    room = RoomFactory(community=other_community)
    client.force_login(resident_user)
    response = client.post(
        reverse("services:culture:room", args=[room.pk]),
        {"day": at(2, 9).date().isoformat(), "start": "09:00", "end": "10:00", "purpose": "x"},
    )
    assert response.status_code == 404 and not RoomBooking.objects.exists()


def test_room_pages_query_counts_do_not_grow(client, community, resident_user, django_assert_max_num_queries):
    client.force_login(resident_user)
    room = RoomFactory(community=community)
    RoomFactory.create_batch(2, community=community)
    for i in range(2):
        RoomBooking.objects.create(room=room, starts_at=at(2, 9 + i), ends_at=at(2, 10 + i), purpose="x")
    with django_assert_max_num_queries(10):
        client.get(reverse("services:culture:rooms"))
    with django_assert_max_num_queries(10):
        client.get(reverse("services:culture:room", args=[room.pk]) + f"?day={at(2, 9).date()}")
    RoomFactory.create_batch(20, community=community)
    for i in range(9):
        RoomBooking.objects.create(room=room, starts_at=at(2, 11 + i), ends_at=at(2, 11 + i, 30), purpose="x")
    with django_assert_max_num_queries(10):
        client.get(reverse("services:culture:rooms"))
    with django_assert_max_num_queries(10):
        client.get(reverse("services:culture:room", args=[room.pk]) + f"?day={at(2, 9).date()}")
