"""Booking an appointment: item → day → time → confirm against the checklist → code, .ics and inbox message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Notification
from services.hall import actions
from services.models import Booking, ClosedDay, Slot
from services.tests.factories import BookingFactory, SlotFactory

CONFIRM = {"documents_ready": "on", "note": "带老人一起来"}


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def test_slots_are_generated_from_opening_hours_and_skip_closed_days(catalogue, community):
    today = timezone.localdate()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    ClosedDay.objects.create(community=community, date=monday, reason="元旦")
    created = actions.slots_generate(community=community, today=today, days_ahead=14)
    assert created > 0
    assert not Slot.objects.filter(community=community, date=monday).exists()
    tuesday = Slot.objects.filter(counter=catalogue[1], date=monday + dt.timedelta(days=1))
    assert tuesday.count() == 13  # 8:30–11:30 and 14:00–17:30 in half hours
    assert actions.slots_generate(community=community, today=today, days_ahead=14) == 0  # idempotent


def test_day_page_shows_seats_left(client, resident_user, item, slot):
    client.force_login(resident_user)
    response = client.get(reverse("services:book", args=[item.pk]), {"day": slot.date.isoformat()})
    assert response.status_code == 200
    assert reverse("services:book_confirm", args=[item.pk, slot.pk]) in response.content.decode()
    assert response.context["slots"][0].seats_left == 3


def test_booking_gives_a_code_an_ics_file_and_an_inbox_confirmation(client, resident_user, item, slot):
    client.force_login(resident_user)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    assert "居民身份证原件及复印件" in client.get(url).content.decode()
    response = client.post(url, CONFIRM)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == reverse("services:booking", args=[booking.code])
    assert len(booking.code) == 6 and booking.booked_by == resident_user and booking.note == "带老人一起来"
    slot.refresh_from_db()
    assert slot.seats_taken == 1
    note = Notification.objects.get(recipient=resident_user)
    assert booking.code in note.body and item.name in note.title
    ics = client.get(reverse("services:booking_ics", args=[booking.code]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and b"DTSTART;TZID=Asia/Shanghai:" in ics.content


def test_confirming_requires_the_checklist_and_keeps_the_note(client, resident_user, item, slot):
    client.force_login(resident_user)
    response = client.post(reverse("services:book_confirm", args=[item.pk, slot.pk]), {"note": "轮椅"})
    assert response.status_code == 200 and not Booking.objects.exists()
    assert response.context["form"].errors["documents_ready"]
    assert 'value="轮椅"' in response.content.decode()


def test_a_past_slot_says_so(client, resident_user, item):
    past = SlotFactory(counter=item.counter, date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(resident_user)
    response = client.post(reverse("services:book_confirm", args=[item.pk, past.pk]), CONFIRM)
    assert response.status_code == 200 and not Booking.objects.exists()
    assert response.context["form"].non_field_errors()
    assert "带老人一起来" in response.content.decode()


def test_a_closed_day_says_so(client, resident_user, item, slot, community):
    ClosedDay.objects.create(community=community, date=slot.date, reason="国庆节")
    client.force_login(resident_user)
    response = client.post(reverse("services:book_confirm", args=[item.pk, slot.pk]), CONFIRM)
    assert not Booking.objects.exists()
    assert "国庆节" in response.content.decode()
    day_page = client.get(reverse("services:book", args=[item.pk]), {"day": slot.date.isoformat()})
    assert "国庆节" in day_page.content.decode() and day_page.context["slots"] == []


def test_a_closed_counter_does_not_close_the_others(resident, item, slot, community, catalogue):
    ClosedDay.objects.create(community=community, counter=catalogue[1], date=slot.date, reason="培训")
    assert actions.booking_create(resident=resident, item=item, slot=slot, booked_by=resident.user).pk


def test_a_second_booking_for_the_same_item_on_the_same_day_is_refused(client, resident_user, item, slot):
    later = SlotFactory(counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(hours=2))
    client.force_login(resident_user)
    client.post(reverse("services:book_confirm", args=[item.pk, slot.pk]), CONFIRM)
    response = client.post(reverse("services:book_confirm", args=[item.pk, later.pk]), CONFIRM)
    assert response.status_code == 200 and Booking.objects.count() == 1
    errors = " ".join(response.context["form"].non_field_errors())
    assert Booking.objects.get().code in errors
    assert "带老人一起来" in response.content.decode()


def test_submitting_the_same_booking_twice_shows_the_first(client, resident_user, item, slot):
    client.force_login(resident_user)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    client.post(url, CONFIRM)
    response = client.post(url, CONFIRM)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == reverse("services:booking", args=[booking.code])


def test_a_full_slot_says_so_and_suggests_the_nearest_free_ones(
    client, make_user, community, resident_user, item, slot
):
    nearby = [
        SlotFactory(counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(minutes=30 * i))
        for i in (1, 2, 3, 8)
    ]
    for _ in range(slot.capacity):
        actions.booking_create(resident=make_user(community=community).resident, item=item, slot=slot, booked_by=None)
    client.force_login(resident_user)
    response = client.post(reverse("services:book_confirm", args=[item.pk, slot.pk]), CONFIRM)
    assert response.status_code == 200
    assert not Booking.objects.filter(resident=resident_user.resident).exists()
    assert [s.pk for s in response.context["suggestions"]][:3] == [s.pk for s in nearby[:3]]


def test_my_bookings_lists_upcoming_and_past(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(resident_user)
    response = client.get(reverse("services:my_bookings"))
    assert [b.pk for b in response.context["upcoming"]] == [booking.pk]


def test_a_resident_can_cancel_before_the_cutoff_and_the_seat_is_freed(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(resident_user)
    response = client.post(reverse("services:booking_cancel", args=[booking.code]))
    assert response.status_code == 302
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == resident_user and slot.seats_taken == 0


def test_a_resident_cannot_cancel_after_the_cutoff(client, resident_user, item):
    now = timezone.localtime()
    soon = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(minutes=50))
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=soon, booked_by=resident_user)
    client.force_login(resident_user)
    client.post(reverse("services:booking_cancel", args=[booking.code]))
    booking.refresh_from_db()
    assert booking.status == "active"


def test_staff_cancelling_tells_the_resident(hall_staff, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    actions.booking_cancel(booking=booking, by=hall_staff, reason="窗口临时关闭")
    titles = list(Notification.objects.filter(recipient=resident_user).values_list("body", flat=True))
    assert "窗口临时关闭" in titles


def test_rescheduling_moves_the_seat_atomically(client, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    other = SlotFactory(counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(hours=1))
    client.force_login(resident_user)
    response = client.post(reverse("services:booking_reschedule", args=[booking.code]), {"slot": other.pk})
    new = Booking.objects.get(status="active")
    assert response.status_code == 302 and new.slot == other and new.rescheduled_from_id == booking.pk
    slot.refresh_from_db()
    other.refresh_from_db()
    assert (slot.seats_taken, other.seats_taken) == (0, 1)


def test_rescheduling_to_a_full_slot_changes_nothing(client, make_user, community, resident_user, item, slot):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    full = SlotFactory(
        counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(hours=1), capacity=1
    )
    actions.booking_create(resident=make_user(community=community).resident, item=item, slot=full, booked_by=None)
    client.force_login(resident_user)
    response = client.post(reverse("services:booking_reschedule", args=[booking.code]), {"slot": full.pk})
    assert response.status_code == 200 and response.context["error"]
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == "active" and slot.seats_taken == 1


def test_staff_book_on_behalf_of_a_resident_without_a_phone(client, hall_staff, community, item, slot):
    from residents.tests.factories import ResidentFactory

    elder = ResidentFactory(community=community, phone="", user=None, name="王秀英")
    client.force_login(hall_staff)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    response = client.post(url, {**CONFIRM, "for": elder.pk})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.resident == elder and booking.booked_by == hall_staff and booking.is_acted_for
    assert "王秀英" in client.get(reverse("services:booking", args=[booking.code])).content.decode()


def test_reminders_go_out_once_for_tomorrow(resident_user, item):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    slot = SlotFactory(counter=item.counter, date=tomorrow, starts_at=_at(tomorrow, 10))
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    before = Notification.objects.count()
    assert actions.bookings_send_reminders() == 1
    assert actions.bookings_send_reminders() == 0
    assert Notification.objects.count() == before + 1
    booking.refresh_from_db()
    assert booking.reminded_at is not None


def test_booking_outside_ones_community_is_refused(make_user, other_community, item, slot):
    stranger = make_user(community=other_community).resident
    with pytest.raises(ValidationError) as exc:
        actions.booking_create(resident=stranger, item=item, slot=slot, booked_by=None)
    assert exc.value.code == "community"


@pytest.mark.parametrize("extra", [1, 15])
def test_booking_pages_run_a_constant_number_of_queries(
    client, resident_user, item, slot, extra, django_assert_max_num_queries
):
    for i in range(extra):
        s = SlotFactory(
            counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(minutes=30 * (i + 1))
        )
        BookingFactory(slot=s, resident=resident_user.resident, item=item)
        BookingFactory(slot=s, resident=resident_user.resident, item=item, status="cancelled")
    client.force_login(resident_user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("services:book", args=[item.pk]), {"day": slot.date.isoformat()}).status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(reverse("services:my_bookings"))
    assert len(response.context["upcoming"]) == extra


def test_closing_a_day_cancels_its_appointments_and_tells_the_residents(
    hall_staff, resident_user, item, slot, community
):
    booking = actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    actions.closed_day_add(community_id=community.pk, day=slot.date, reason="停电检修", by=hall_staff)
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == hall_staff and slot.seats_taken == 0
    assert Notification.objects.filter(recipient=resident_user, body__contains="停电检修").exists()


def test_a_closure_added_in_admin_goes_through_the_action(client, hall_staff, resident_user, item, slot, community):
    actions.booking_create(resident=resident_user.resident, item=item, slot=slot, booked_by=resident_user)
    client.force_login(hall_staff)
    response = client.post(
        reverse("admin:services_closedday_add"),
        {"community": community.pk, "counter": "", "date": slot.date.isoformat(), "reason": "元旦"},
    )
    assert response.status_code == 302
    assert ClosedDay.objects.get().reason == "元旦"
    assert not Booking.objects.active().exists()


def test_the_capacity_waiting_list_moves_up_and_tells_the_resident(make_user, community, item, slot):
    from portal.core.capacity import Outcome, seat_cancel, seat_take

    slot.capacity = 1
    slot.save()
    first, second = make_user(community=community), make_user(community=community)
    taken = seat_take(thing=slot, holder=first.resident, item=item, date=slot.date, community=community)
    waiting = seat_take(
        thing=slot, holder=second.resident, waiting_list=True, item=item, date=slot.date, community=community
    )
    assert (taken.outcome, waiting.outcome) == (Outcome.TAKEN, Outcome.WAITING)
    promoted = seat_cancel(seat=taken.seat)
    assert promoted.pk == waiting.seat.pk and Booking.objects.get(pk=promoted.pk).status == "active"
    slot.refresh_from_db()
    assert slot.seats_taken == 1
    assert Notification.objects.filter(recipient=second, body__contains=promoted.code).exists()


@pytest.mark.parametrize("case", ["past", "full"])
def test_opening_the_confirmation_of_a_past_or_full_slot_says_so(client, resident_user, item, case):
    """A GET of the confirmation step for a slot that cannot be booked explains why (it answered 500)."""
    if case == "past":
        slot = SlotFactory(counter=item.counter, date=timezone.localdate() - dt.timedelta(days=1))
    else:
        slot = SlotFactory(counter=item.counter, capacity=1, seats_taken=1)
    client.force_login(resident_user)
    response = client.get(reverse("services:book_confirm", args=[item.pk, slot.pk]))
    assert response.status_code == 200
    assert response.context["problem"] and 'id="slot-problem"' in response.content.decode()
