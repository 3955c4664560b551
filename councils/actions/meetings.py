"""Meetings: calling, scheduling, planning by the rhythm, notices, agenda, attendance, cancelling."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import require_meeting_staff, tell_proposers
from councils.models import (
    AgendaItem,
    Attendance,
    Council,
    Meeting,
    Suggestion,
)
from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import Kind
from portal.core.notify import message, notify, notify_phone

if TYPE_CHECKING:
    from portal.core.models import User


PAST_START = _("This meeting's start has already passed: give it a new time before calling it.")


def meeting_time_check(*, meeting: Meeting | None, starts_at: dt.datetime) -> None:
    """Whether `meeting` (None: a new one) may be set to start at `starts_at`: a meeting is called for a time still to
    come; a held meeting keeps a start in the past. Calling, scheduling and the admin's form ask here; the message
    stands next to the start."""
    status = meeting.status if meeting is not None and meeting.pk else None
    if status in (None, Meeting.Status.DRAFT, Meeting.Status.SCHEDULED) and starts_at <= timezone.now():
        raise ValidationError({"starts_at": PAST_START}, code="past")
    if status == Meeting.Status.HELD and starts_at > timezone.now():
        raise ValidationError(
            {"starts_at": _("This meeting was held (its attendance is recorded): its start cannot be in the future.")},
            code="future",
        )


@transaction.atomic
def meeting_create(
    *,
    council: Council,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    by: User | None,
    status: str = Meeting.Status.SCHEDULED,
) -> Meeting:
    """Call a meeting. An emergency meeting's notice goes out at once; others when their notice is due."""
    if by is not None:
        require_meeting_staff(council, by)
    meeting_time_check(meeting=None, starts_at=starts_at)
    meeting = Meeting(council=council, kind=kind, title=title, starts_at=starts_at, place=place, status=status)
    meeting.full_clean()
    meeting.save()
    audit(actor=by, action="meeting_create", obj=meeting, community_id=council.community_id)
    if status == Meeting.Status.SCHEDULED and (
        kind == Meeting.Kind.EMERGENCY or meeting.notice_due_at <= timezone.now()
    ):
        meeting_send_notice(meeting=meeting, by=by)
    return meeting


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, by: User) -> Meeting:
    """Confirm a draft meeting (e.g. one planned by the rhythm); its notice follows when due."""
    require_meeting_staff(meeting.council, by)
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(_("Only a draft meeting can be scheduled."))
    meeting_time_check(meeting=meeting, starts_at=meeting.starts_at)
    meeting.status = Meeting.Status.SCHEDULED
    meeting.save(update_fields=["status"])
    if meeting.notice_due_at <= timezone.now():
        meeting_send_notice(meeting=meeting, by=by)
    return meeting


def _weekday_at_nine(day: dt.date) -> dt.datetime:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def next_regular_start(council: Council, today: dt.date) -> dt.datetime:
    """When the next regular meeting should be: in this period while there is time for the notice, else early next."""
    start, end = council.period_of(today)
    held_or_planned = (
        council.meetings.filter(kind=Meeting.Kind.REGULAR, starts_at__date__gte=start, starts_at__date__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    )
    soonest = today + dt.timedelta(days=council.notice_days + 7)
    if not held_or_planned and soonest < end:
        return _weekday_at_nine(soonest)
    return _weekday_at_nine(end + dt.timedelta(days=14))


@transaction.atomic
def meeting_plan_next_regular(*, council: Council, today: dt.date | None = None) -> Meeting | None:
    """Create the due regular meeting in draft (this period's, or the next one's) and remind the convenor."""
    today = today or timezone.localdate()
    Council.objects.select_for_update().filter(pk=council.pk).first()  # one planner at a time per council
    coming = council.meetings.filter(
        kind=Meeting.Kind.REGULAR,
        status__in=(Meeting.Status.DRAFT, Meeting.Status.SCHEDULED),
        starts_at__date__gte=today,
    )
    if coming.exists():
        return None  # the next one is planned already
    starts_at = next_regular_start(council, today)
    start, end = council.period_of(timezone.localtime(starts_at).date())
    exists = (
        council.meetings.filter(kind=Meeting.Kind.REGULAR, starts_at__date__gte=start, starts_at__date__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    )
    if exists:
        return None
    meeting = Meeting.objects.create(
        council=council,
        kind=Meeting.Kind.REGULAR,
        title=_("%(council)s regular meeting, %(period)s") % {"council": council.name, "period": f"{start:%Y-%m}"},
        starts_at=starts_at,
        place=council.community.address,
        status=Meeting.Status.DRAFT,
    )
    if council.convenor_id:
        notify(
            kind=Kind.COUNCILS,
            recipient=council.convenor,
            title=message(_("Next regular meeting of %(council)s planned"), council=council.name),
            body=message(
                _("A draft for %(when)s is waiting: set the agenda and confirm it."),
                when=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}",
            ),
            url=reverse("councils:meeting", args=[meeting.pk]),
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Call a meeting off; members who had the notice hear of it."""
    require_meeting_staff(meeting.council, by)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(_("A held or cancelled meeting cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    noticed = meeting.notice_sent_at is not None
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    if noticed:
        day = timezone.localtime(meeting.starts_at).date()
        for member in meeting.council.members.active_on(day).filter(user__isnull=False).select_related("user"):
            notify(
                kind=Kind.COUNCILS,
                recipient=member.user,
                title=message(_("Cancelled: %(meeting)s"), meeting=meeting.title),
                body=message(reason),
                url=reverse("councils:council", args=[meeting.council_id]),
            )
        text = message(_("Cancelled: %(meeting)s. %(reason)s"), meeting=meeting.title, reason=reason)
        _text_members_without_account(meeting.council, day, text)
    for item in meeting.agenda.filter(suggestion__status=Suggestion.Status.ON_AGENDA).select_related("suggestion"):
        Suggestion.objects.filter(pk=item.suggestion_id).update(status=Suggestion.Status.ACCEPTED)
    audit(actor=by, action="meeting_cancel", obj=meeting, community_id=meeting.council.community_id)
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, description: str = "", suggestion: Suggestion | None = None, by: User | None
) -> AgendaItem:
    """Put an item on a meeting's agenda; from a suggestion, the proposer hears of it."""
    if by is not None:
        require_meeting_staff(meeting.council, by)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(_("This meeting is over: its agenda can no longer change."))
    if suggestion is not None:
        if suggestion.community_id != meeting.council.community_id:
            raise ValidationError(_("This suggestion belongs to another community."))
        if suggestion.status not in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED):
            raise ValidationError(_("Only a new or accepted suggestion can be put on an agenda."))
    order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(meeting=meeting, order=order, title=title, description=description, suggestion=suggestion)
    item.full_clean()
    item.save()
    if suggestion is not None:
        suggestion.status = Suggestion.Status.ON_AGENDA
        suggestion.save(update_fields=["status"])
        tell_proposers(
            suggestion,
            message(_("Your suggestion %(number)s is on the agenda"), number=suggestion.tracking_number),
            message(
                _("It will be discussed at %(meeting)s on %(when)s."),
                meeting=meeting.title,
                when=f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}",
            ),
        )
    audit(actor=by, action="agenda_item_add", obj=item, community_id=meeting.council.community_id)
    return item


@transaction.atomic
def meeting_send_notice(*, meeting: Meeting, by: User | None = None) -> int:
    """Send the meeting notice to every member with an account (inbox, e-mail, SMS, as they chose) and by SMS to
    every member without one who has a phone number. Once per meeting; returns how many were told."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    if meeting.notice_sent_at is not None or meeting.status != Meeting.Status.SCHEDULED:
        return 0
    council = meeting.council
    day = timezone.localtime(meeting.starts_at).date()
    recipients = {m.user for m in council.members.active_on(day).filter(user__isnull=False).select_related("user")}
    recipients |= {u for u in (council.convenor, council.secretary) if u is not None}
    agenda = "；".join(item.title for item in meeting.agenda.all())
    when = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"
    for user in sorted(recipients, key=lambda u: u.pk):
        notify(
            kind=Kind.COUNCILS,
            recipient=user,
            title=message(_("Notice: %(meeting)s"), meeting=meeting.title),
            body=message(
                _("%(when)s at %(place)s. Agenda: %(agenda)s"),
                when=when,
                place=meeting.place or "—",
                agenda=agenda or _("to follow"),
            ),
            url=reverse("councils:meeting", args=[meeting.pk]),
        )
    texted = _text_members_without_account(
        council,
        day,
        message(
            _("Notice: %(meeting)s, %(when)s at %(place)s. Agenda: %(agenda)s"),
            meeting=meeting.title,
            when=when,
            place=meeting.place or "—",
            agenda=agenda or _("to follow"),
        ),
    )
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["notice_sent_at"])
    audit(
        actor=by,
        action="meeting_notice",
        obj=meeting,
        community_id=council.community_id,
        summary=f"{len(recipients)} recipients, {texted} by SMS only",
    )
    return len(recipients) + texted


def _text_members_without_account(council: Council, day: dt.date, text) -> int:
    """An SMS to each member serving on `day` who has no portal account but a phone number; returns how many."""
    members = council.members.active_on(day).filter(user__isnull=True).select_related("resident", "party_member")
    phones = {member.contact_phone for member in members} - {""}
    for phone in sorted(phones):
        notify_phone(phone=phone, text=text, kind=Kind.COUNCILS)
    return len(phones)


@transaction.atomic
def attendance_record(*, meeting: Meeting, present_member_ids: list[int], by: User) -> Meeting:
    """Record who came. The member count is frozen with it, so later changes of membership keep the quorum."""
    require_meeting_staff(meeting.council, by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("This meeting has not started yet: attendance is recorded once it begins."), code="future"
        )
    refuse_locked(meeting, _("The minutes are approved: attendance can no longer change."))
    day = timezone.localtime(meeting.starts_at).date()
    members = list(meeting.council.members.active_on(day).values_list("pk", flat=True))
    unknown = set(present_member_ids) - set(members)
    if unknown:
        raise ValidationError(_("Only members of this council can attend."))
    present = set(present_member_ids)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member_id=pk, present=pk in present) for pk in members)
    meeting.members_count = len(members)
    meeting.quorum_percent = meeting.council.quorum_percent
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["members_count", "quorum_percent", "status"])
    audit(
        actor=by,
        action="attendance_record",
        obj=meeting,
        community_id=meeting.council.community_id,
        summary=f"{len(present)}/{len(members)}",
    )
    return meeting
