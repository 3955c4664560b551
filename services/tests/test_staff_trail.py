"""Every staff write in the hall leaves one line in the audit log (portal.core.audit), with ids, never names; a
resident's own writes leave none. Notifications are rendered in the recipient's language, whoever sends them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from portal.core import roles
from portal.core.models import AuditLog, Notification
from residents.tests.factories import ResidentFactory
from services.culture.actions import class_session_add, room_book, session_attendance_record
from services.hall import actions
from services.health.actions import follow_up_record, maternal_visit_record, reading_record
from services.models import Booking, Case, Slot
from services.tests.factories import SlotFactory
from services.tests.factories_stations import CultureClassFactory, HealthFileFactory, RoomFactory, at


def trail(**filters) -> list[tuple[str, str, int | None]]:
    return list(AuditLog.objects.filter(**filters).order_by("pk").values_list("action", "object_type", "actor_id"))


@pytest.fixture
def booking(resident, item, slot, resident_user):
    return actions.booking_create(resident=resident, item=item, slot=slot, booked_by=resident_user)


@pytest.fixture
def case(resident, resident_user):
    return actions.case_file(resident=resident, kind="repair", title="漏水", description="厨房", filed_by=resident_user)


def test_a_residents_own_bookings_leave_no_audit_line(booking, resident_user, slot):
    actions.booking_cancel(booking=booking, by=resident_user)
    assert trail() == []


def test_booking_on_behalf_cancelling_and_moving_by_staff_are_audited(resident, item, slot, hall_staff):
    booking = actions.booking_create(resident=resident, item=item, slot=slot, booked_by=hall_staff)
    later = SlotFactory(counter=item.counter, date=slot.date, starts_at=slot.starts_at + dt.timedelta(hours=1))
    moved = actions.booking_reschedule(booking=booking, slot=later, by=hall_staff)
    actions.booking_cancel(booking=moved, by=hall_staff, reason="窗口临时关闭")
    assert trail() == [
        ("booking_create_for", "services.booking", hall_staff.pk),
        ("booking_reschedule", "services.booking", hall_staff.pk),
        ("booking_cancel", "services.booking", hall_staff.pk),
    ]
    assert set(AuditLog.objects.values_list("community_id", flat=True)) == {resident.community_id}
    assert not AuditLog.objects.filter(summary__contains=resident.name).exists()


def test_a_closed_day_is_audited_with_each_cancellation(community, item, slot, hall_staff):
    for _ in range(2):
        actions.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
    closure = actions.closed_day_add(community_id=community.pk, day=slot.date, reason="停电检修", by=hall_staff)
    assert trail(action="booking_cancel") == [("booking_cancel", "services.booking", hall_staff.pk)] * 2
    line = AuditLog.objects.get(action="closed_day_add")
    assert (line.object_id, line.actor, line.community_id) == (str(closure.pk), hall_staff, community.pk)
    assert "2 cancelled" in line.summary


def test_the_desk_is_audited(community, item, hall_staff):
    now = timezone.localtime()
    slot = SlotFactory(counter=item.counter, date=now.date(), starts_at=now + dt.timedelta(hours=1), capacity=5)
    first, second = (
        actions.booking_create(resident=ResidentFactory(community=community), item=item, slot=slot, booked_by=None)
        for _ in range(2)
    )
    actions.booking_check_in(community_id=community.pk, code=first.code, by=hall_staff)
    actions.booking_call_next(counter=item.counter, by=hall_staff)
    actions.booking_finish(booking=first, served=True, by=hall_staff)
    Slot.objects.filter(pk=slot.pk).update(starts_at=now - dt.timedelta(minutes=5))  # a no-show once it has begun
    actions.booking_finish(booking=second, served=False, by=hall_staff)
    assert [action for action, _type, _actor in trail()] == [
        "booking_check_in",
        "booking_call",
        "booking_served",
        "booking_no_show",
    ]
    assert set(AuditLog.objects.values_list("actor", flat=True)) == {hall_staff.pk}


def test_every_step_of_a_case_is_audited(case, hall_staff, make_user, community):
    colleague = make_user(roles.HALL_STAFF, community)
    actions.case_accept(case=case, by=hall_staff)
    actions.case_assign(case=case, assignee=colleague, by=hall_staff)
    actions.case_start(case=case, by=hall_staff)
    actions.case_add_note(case=case, by=hall_staff, text="已联系物业", internal=False)
    actions.case_complete(case=case, by=hall_staff)
    other = actions.case_file(
        resident=case.resident, kind="repair", title="停电", description="楼道", filed_by=hall_staff
    )
    actions.case_reject(case=other, by=hall_staff, reason="重复提交")
    assert [action for action, _type, _actor in trail()] == [
        "case_accept",
        "case_assign",
        "case_start",
        "case_note",
        "case_complete",
        "case_file_for",
        "case_reject",
    ]
    assert set(AuditLog.objects.values_list("community_id", flat=True)) == {case.community_id}


def test_the_residents_own_case_writes_leave_no_audit_line(case, resident_user):
    actions.case_add_note(case=case, by=resident_user, text="请尽快", internal=False)
    assert trail() == []


# --- notifications in the recipient's language ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "便民服务站已取消您的预约"), ("en", "Appointment cancelled")]
)
def test_a_notice_is_written_in_the_recipients_language_not_the_senders(
    booking, resident_user, hall_staff, language, expected
):
    resident_user.language = language
    resident_user.save(update_fields=["language"])
    sender_language = "en" if language == "zh-hans" else "zh-hans"
    with translation.override(sender_language):
        actions.booking_cancel(booking=Booking.objects.get(pk=booking.pk), by=hall_staff, reason="")
    note = Notification.objects.filter(recipient=resident_user).latest("pk")
    assert note.title.startswith(expected)


def test_a_status_label_is_written_in_the_recipients_language(case, resident_user, hall_staff):
    resident_user.language = "en"
    resident_user.save(update_fields=["language"])
    with translation.override("zh-hans"):
        actions.case_accept(case=Case.objects.get(pk=case.pk), by=hall_staff)
    note = Notification.objects.filter(recipient=resident_user).latest("pk")
    assert note.title == f"Case {case.number} is now accepted"
    assert "Status: accepted" in note.body


# --- the stations ---------------------------------------------------------------------------------------


def test_entries_into_a_health_file_are_audited_without_health_values(health_staff, community):
    file = HealthFileFactory(consent__resident__community=community, maternal_care=True)
    today = timezone.localdate()
    reading_record(file=file, by=health_staff, kind="weight", taken_on=today, value=Decimal("61.5"))
    follow_up_record(file=file, by=health_staff, visited_on=today, notes="血压平稳")
    maternal_visit_record(file=file, by=health_staff, kind="prenatal", visited_on=today)
    assert trail() == [
        ("health_reading_add", "services.reading", health_staff.pk),
        ("health_follow_up_add", "services.followupvisit", health_staff.pk),
        ("health_maternal_visit_add", "services.maternalvisit", health_staff.pk),
    ]
    assert set(AuditLog.objects.values_list("community_id", flat=True)) == {community.pk}
    assert not AuditLog.objects.filter(summary__contains="61.5").exists()
    assert not AuditLog.objects.filter(summary__contains="血压").exists()


def test_culture_staff_writes_are_audited(culture_staff, community):
    klass = CultureClassFactory(room__community=community, community=community)
    session = class_session_add(klass=klass, starts_at=at(2, 9), ends_at=at(2, 10), by=culture_staff)
    session_attendance_record(session=session, present_enrolment_ids=set(), by=culture_staff)
    assert [action for action, _type, _actor in trail()] == ["room_book", "class_session_add", "session_attendance"]
    assert set(AuditLog.objects.values_list("actor", flat=True)) == {culture_staff.pk}


def test_a_residents_own_room_booking_is_not_audited(resident, community):
    room = RoomFactory(community=community)
    room_book(room=room, starts_at=at(2, 9), ends_at=at(2, 10), purpose="练字", by=resident.user, resident=resident)
    assert trail() == []


def test_editing_a_health_file_in_the_admin_goes_through_the_action(client, health_staff, community):
    file = HealthFileFactory(consent__resident__community=community)
    client.force_login(health_staff)
    url = f"/admin/services/healthfile/{file.pk}/change/"
    page = client.get(url)
    data = {"chronic_conditions": "高血压", "allergies": "", "medications": "氨氯地平片"}
    for inline in page.context["inline_admin_formsets"]:
        data |= {f"{inline.formset.prefix}-TOTAL_FORMS": "0", f"{inline.formset.prefix}-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    file.refresh_from_db()
    assert (file.allergies, file.medications) == ("", "氨氯地平片")
    line = AuditLog.objects.get(action="health_file_update")
    assert (line.actor, line.object_id, line.community_id) == (health_staff, str(file.pk), community.pk)
