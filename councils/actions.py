"""Writes of the councils app that span several models (STYLE.md): views, admin, tasks and the seed call these.

The closed loop lives here: suggestion → agenda item → decision in the minutes → resolution → progress →
closed, and each step tells the proposer (and the proposers of suggestions merged into it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from councils.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Meeting,
    Minutes,
    MinutesAddendum,
    MinutesAttachment,
    MinutesItem,
    Nomination,
    Resolution,
    ResolutionProgress,
    ResourcePledge,
    Suggestion,
    SuggestionSupport,
)
from portal import roles
from portal.actions import audit
from portal.notify import notify
from residents.models import Community

if TYPE_CHECKING:
    from portal.models import User

# What each council is, by kind: default name, purpose, rhythm (meetings a year) and convenor role.
COUNCIL_DEFAULTS: dict[str, dict[str, Any]] = {
    Council.Kind.JOINT: {
        "name": "党建联席会",
        "purpose": "驻区单位党组织共商社区重大事项，共驻共建，共享资源。",
        "meetings_per_year": 4,
        "convenor_role": roles.BRANCH_SECRETARY,
    },
    Council.Kind.DELIBERATION: {
        "name": "党居议事会",
        "purpose": "议定涉及居民切身利益的公共事务和公益事业，形成决议交居委会执行。",
        "meetings_per_year": 4,
        "convenor_role": roles.BRANCH_SECRETARY,
    },
    Council.Kind.COORDINATION: {
        "name": "志愿者协调会",
        "purpose": "通报服务对象信息，研究志愿服务队伍、方式和内容。",
        "meetings_per_year": 6,
        "convenor_role": roles.COMMITTEE_DIRECTOR,
    },
}
STATION_ROLES = {
    MinutesItem.Station.PARTY: roles.BRANCH_SECRETARY,
    MinutesItem.Station.HALL: roles.HALL_STAFF,
    MinutesItem.Station.HEALTH: roles.HEALTH_STAFF,
    MinutesItem.Station.CULTURE: roles.CULTURE_STAFF,
}


def _msg(text, values: dict | None = None):
    """A message that stays lazy until notify() renders it in the portal's language (not the sender's)."""
    return lazy(lambda: str(text) % values if values else str(text), str)()


def _users_with_role(community_id: int, role: str):
    return get_user_model().objects.filter(community_id=community_id, groups__name=role, is_active=True)


# ---------------------------------------------------------------------------------------------------
# Councils and members


@transaction.atomic
def councils_ensure(*, community: Community) -> list[Council]:
    """The three councils of a community, created with their defaults and convenor where missing."""
    existing = {c.kind: c for c in Council.objects.filter(community=community)}
    for kind, defaults in COUNCIL_DEFAULTS.items():
        if kind in existing:
            continue
        convenor = _users_with_role(community.pk, defaults["convenor_role"]).order_by("pk").first()
        secretary = _users_with_role(community.pk, roles.COUNCIL_SECRETARY).order_by("pk").first()
        existing[kind] = Council.objects.create(
            community=community,
            kind=kind,
            name=defaults["name"],
            purpose=defaults["purpose"],
            meetings_per_year=defaults["meetings_per_year"],
            convenor=convenor,
            secretary=secretary,
        )
    return [existing[k] for k in COUNCIL_DEFAULTS]


def member_add(*, council: Council, by: User | None, **fields: Any) -> CouncilMember:
    """Seat someone on a council (fields as on CouncilMember)."""
    fields.setdefault("term_start", timezone.localdate())
    member = CouncilMember(council=council, **fields)
    member.full_clean()
    member.save()
    audit(actor=by, action="council_member_add", obj=member, community_id=council.community_id)
    return member


def nomination_create(*, council: Council, by: User | None, **fields: Any) -> Nomination:
    """Record a nomination (election candidate, joint nomination with co-signers, or party nomination)."""
    nomination = Nomination(council=council, **fields)
    nomination.full_clean()
    nomination.save()
    audit(actor=by, action="nomination_create", obj=nomination, community_id=council.community_id)
    return nomination


@transaction.atomic
def election_record(
    *, meeting: Meeting, votes: dict[int, int], seats: int, term_years: int = 3, by: User | None
) -> list[CouncilMember]:
    """Record the votes of an election at a meeting; the `seats` candidates with most votes take a seat."""
    council = meeting.council
    candidates = list(Nomination.objects.select_for_update().filter(council=council, pk__in=votes, status="pending"))
    if len(candidates) != len(votes):
        raise ValidationError(_("Only pending nominations of this council can be voted on."))
    candidates.sort(key=lambda n: (-votes[n.pk], n.pk))
    day = timezone.localtime(meeting.starts_at).date()
    winners = []
    for rank, nomination in enumerate(candidates):
        nomination.votes = votes[nomination.pk]
        nomination.meeting = meeting
        if rank < seats:
            nomination.member = CouncilMember.objects.create(
                council=council,
                role=nomination.role,
                name=nomination.nominee,
                resident=nomination.resident,
                chosen_by=CouncilMember.Chosen.ELECTION,
                term_start=day,
                term_end=day.replace(year=day.year + term_years),
            )
            nomination.status = Nomination.Status.ELECTED
            winners.append(nomination.member)
        else:
            nomination.status = Nomination.Status.NOT_ELECTED
        nomination.save(update_fields=["votes", "meeting", "member", "status"])
    audit(actor=by, action="election_record", obj=meeting, community_id=council.community_id, summary=f"{seats} seats")
    return winners


# ---------------------------------------------------------------------------------------------------
# Meetings


def _require_meeting_staff(council: Council, by: User) -> None:
    if not council.may_run_meetings(by):
        raise PermissionDenied


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
        _require_meeting_staff(council, by)
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
    _require_meeting_staff(meeting.council, by)
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(_("Only a draft meeting can be scheduled."))
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
            recipient=council.convenor,
            title=_msg(_("Next regular meeting of %(council)s planned"), {"council": council.name}),
            body=_("A draft for %(when)s is waiting: set the agenda and confirm it.")
            % {"when": f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}"},
            url=reverse("councils:meeting", args=[meeting.pk]),
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Call a meeting off; members who had the notice hear of it."""
    _require_meeting_staff(meeting.council, by)
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
                recipient=member.user,
                title=_msg(_("Cancelled: %(meeting)s"), {"meeting": meeting.title}),
                body=reason,
                url=reverse("councils:council", args=[meeting.council_id]),
            )
    for item in meeting.agenda.filter(suggestion__status=Suggestion.Status.ON_AGENDA).select_related("suggestion"):
        Suggestion.objects.filter(pk=item.suggestion_id).update(status=Suggestion.Status.ACCEPTED)
    audit(actor=by, action="meeting_cancel", obj=meeting, community_id=meeting.council.community_id)
    return meeting


def resource_pledge_add(*, council: Council, by: User, **fields: Any) -> ResourcePledge:
    """Record a stationed unit's pledge (and what it delivered) to the joint council."""
    _require_meeting_staff(council, by)
    if council.kind != Council.Kind.JOINT:
        raise ValidationError(_("Resources are pledged to the joint party-building council."))
    pledge = ResourcePledge(council=council, **fields)
    pledge.full_clean()
    if pledge.unit.community_id != council.community_id:
        raise ValidationError({"unit": _("This unit is stationed in another community.")})
    pledge.save()
    audit(actor=by, action="resource_pledge_add", obj=pledge, community_id=council.community_id)
    return pledge


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, description: str = "", suggestion: Suggestion | None = None, by: User | None
) -> AgendaItem:
    """Put an item on a meeting's agenda; from a suggestion, the proposer hears of it."""
    if by is not None:
        _require_meeting_staff(meeting.council, by)
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
        _tell_proposers(
            suggestion,
            _msg(_("Your suggestion %(number)s is on the agenda"), {"number": suggestion.tracking_number}),
            _("It will be discussed at %(meeting)s on %(when)s.")
            % {"meeting": meeting.title, "when": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"},
        )
    audit(actor=by, action="agenda_item_add", obj=item, community_id=meeting.council.community_id)
    return item


@transaction.atomic
def meeting_send_notice(*, meeting: Meeting, by: User | None = None) -> int:
    """Send the meeting notice to every member with an account (inbox, e-mail, SMS). Once per meeting."""
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
            recipient=user,
            title=_msg(_("Notice: %(meeting)s"), {"meeting": meeting.title}),
            body=_msg(
                _("%(when)s at %(place)s. Agenda: %(agenda)s"),
                {"when": when, "place": meeting.place or "—", "agenda": agenda or "—"},
            ),
            url=reverse("councils:meeting", args=[meeting.pk]),
        )
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["notice_sent_at"])
    audit(
        actor=by,
        action="meeting_notice",
        obj=meeting,
        community_id=council.community_id,
        summary=f"{len(recipients)} recipients",
    )
    return len(recipients)


@transaction.atomic
def attendance_record(*, meeting: Meeting, present_member_ids: list[int], by: User) -> Meeting:
    """Record who came. The member count is frozen with it, so later changes of membership keep the quorum."""
    _require_meeting_staff(meeting.council, by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if Minutes.objects.filter(meeting=meeting, status__in=Minutes.LOCKED).exists():
        raise ValidationError(_("The minutes are approved: attendance can no longer change."))
    day = timezone.localtime(meeting.starts_at).date()
    members = list(meeting.council.members.active_on(day).values_list("pk", flat=True))
    unknown = set(present_member_ids) - set(members)
    if unknown:
        raise ValidationError(_("Only members of this council can attend."))
    present = set(present_member_ids)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member_id=pk, present=pk in present) for pk in members)
    meeting.members_count = len(members)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["members_count", "status"])
    audit(
        actor=by,
        action="attendance_record",
        obj=meeting,
        community_id=meeting.council.community_id,
        summary=f"{len(present)}/{len(members)}",
    )
    return meeting


# ---------------------------------------------------------------------------------------------------
# Minutes


def _lock_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__council").get(pk=minutes.pk)


@transaction.atomic
def minutes_start(*, meeting: Meeting, by: User) -> Minutes:
    """The minutes of a meeting, created with one item per agenda item (and completed if items were added)."""
    if not meeting.council.is_secretary(by):
        raise PermissionDenied
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting, defaults={"recorded_by": by})
    if not minutes.is_locked:
        have = set(minutes.items.values_list("agenda_item_id", flat=True))
        for item in meeting.agenda.all():
            if item.pk not in have:
                MinutesItem.objects.create(minutes=minutes, agenda_item=item)
    return minutes


MINUTES_ITEM_FIELDS = (
    "discussion",
    "decision",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "adopt_resolution",
    "executor",
    "executor_station",
    "executor_unit",
    "deadline",
)


@transaction.atomic
def minutes_save_draft(*, minutes: Minutes, by: User, summary: str, items: dict[int, dict[str, Any]]) -> Minutes:
    """Save what the secretary typed (autosave and the save button). Only drafts change; approved never do."""
    minutes = _lock_minutes(minutes)
    if not minutes.meeting.council.is_secretary(by):
        raise PermissionDenied
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(
            _msg(
                _("These minutes are %(status)s and can no longer be edited."), {"status": minutes.get_status_display()}
            )
        )
    summary = summary.strip()
    by_id = {item.pk: item for item in minutes.items.all()}
    changed_items = []
    for item_id, values in items.items():
        item = by_id.get(item_id)
        if item is None:
            continue
        changed = False
        for name in MINUTES_ITEM_FIELDS:
            if name in values and getattr(item, name if name != "executor_unit" else "executor_unit_id") != _fk(
                values[name]
            ):
                setattr(item, name if name != "executor_unit" else "executor_unit_id", _fk(values[name]))
                changed = True
        if changed:
            changed_items.append(item)
    for item in changed_items:
        item.save()  # one by one: each change is a version in the history
    if summary != minutes.summary or changed_items:
        minutes.summary = summary
        minutes.recorded_by = by
        minutes.saved_at = timezone.now()
        minutes.save(update_fields=["summary", "recorded_by", "saved_at"])
    return minutes


def _fk(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def minutes_check(minutes: Minutes) -> list[str]:
    """Why these minutes cannot be submitted or approved yet (empty when they can)."""
    problems = []
    meeting = minutes.meeting
    if meeting.status != Meeting.Status.HELD:
        problems.append(_("Record the attendance first."))
    quorum = meeting.quorum()
    items = list(minutes.items.select_related("agenda_item"))
    for item in items:
        if not item.decision.strip():
            problems.append(_msg(_("“%(item)s”: write the decision."), {"item": item.agenda_item.title}))
        if item.adopt_resolution:
            if not quorum.reached:
                problems.append(
                    _(
                        "“%(item)s”: no resolution can be passed: the meeting had no quorum "
                        "(%(present)d of %(members)d members present, %(needed)d needed)."
                    )
                    % {
                        "item": item.agenda_item.title,
                        "present": quorum.present,
                        "members": quorum.members,
                        "needed": quorum.needed,
                    }
                )
            if not item.carried:
                problems.append(
                    _msg(
                        _("“%(item)s”: the motion did not carry, so it cannot become a resolution."),
                        {"item": item.agenda_item.title},
                    )
                )
            if item.votes_cast > quorum.present:
                problems.append(
                    _msg(_("“%(item)s”: more votes than members present."), {"item": item.agenda_item.title})
                )
            if not item.executor or not item.deadline:
                problems.append(
                    _msg(
                        _("“%(item)s”: a resolution needs who carries it out and a deadline."),
                        {"item": item.agenda_item.title},
                    )
                )
            elif item.executor == MinutesItem.Executor.UNIT and not item.executor_unit_id:
                problems.append(_msg(_("“%(item)s”: choose the stationed unit."), {"item": item.agenda_item.title}))
            elif item.executor == MinutesItem.Executor.STATION and not item.executor_station:
                problems.append(_msg(_("“%(item)s”: choose the station."), {"item": item.agenda_item.title}))
    return [str(p) for p in problems]


@transaction.atomic
def minutes_submit(*, minutes: Minutes, by: User) -> Minutes:
    """The secretary hands the minutes to the convenor for approval."""
    minutes = _lock_minutes(minutes)
    council = minutes.meeting.council
    if not council.is_secretary(by):
        raise PermissionDenied
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be submitted."))
    problems = minutes_check(minutes)
    if problems:
        raise ValidationError(problems)
    minutes.status = Minutes.Status.SUBMITTED
    minutes.submitted_at = timezone.now()
    minutes.return_note = ""
    minutes.save(update_fields=["status", "submitted_at", "return_note"])
    audit(actor=by, action="minutes_submit", obj=minutes, community_id=council.community_id)
    if council.convenor_id:
        notify(
            recipient=council.convenor,
            title=_msg(_("Minutes to approve: %(meeting)s"), {"meeting": minutes.meeting.title}),
            url=reverse("councils:minutes_edit", args=[minutes.meeting_id]),
        )
    return minutes


@transaction.atomic
def minutes_return(*, minutes: Minutes, by: User, note: str) -> Minutes:
    """The convenor sends submitted minutes back to the secretary with a note."""
    minutes = _lock_minutes(minutes)
    council = minutes.meeting.council
    if not council.is_convenor(by):
        raise PermissionDenied
    if minutes.status != Minutes.Status.SUBMITTED:
        raise ValidationError(_("Only submitted minutes can be returned."))
    if not note.strip():
        raise ValidationError({"note": _("Say what needs to change.")})
    minutes.status = Minutes.Status.DRAFT
    minutes.return_note = note
    minutes.save(update_fields=["status", "return_note"])
    audit(actor=by, action="minutes_return", obj=minutes, community_id=council.community_id)
    if council.secretary_id:
        notify(
            recipient=council.secretary,
            title=_msg(_("Minutes returned: %(meeting)s"), {"meeting": minutes.meeting.title}),
            body=note,
            url=reverse("councils:minutes_edit", args=[minutes.meeting_id]),
        )
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by: User) -> list[Resolution]:
    """The convenor approves: the minutes lock for good and each binding decision becomes a numbered resolution."""
    minutes = _lock_minutes(minutes)
    council = minutes.meeting.council
    if not council.is_convenor(by):
        raise PermissionDenied
    if minutes.status != Minutes.Status.SUBMITTED:
        raise ValidationError(_("Only submitted minutes can be approved."))
    problems = minutes_check(minutes)
    if problems:
        raise ValidationError(problems)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = by
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approved_by", "approved_at"])
    resolutions = [
        resolution_create(item=item, council=council)
        for item in minutes.items.select_related("agenda_item").filter(adopt_resolution=True)
    ]
    audit(
        actor=by,
        action="minutes_approve",
        obj=minutes,
        community_id=council.community_id,
        summary=f"{len(resolutions)} resolutions",
    )
    if council.secretary_id and council.secretary_id != by.pk:
        notify(
            recipient=council.secretary,
            title=_msg(_("Minutes approved: %(meeting)s"), {"meeting": minutes.meeting.title}),
            body=_msg(
                _("%(n)d resolutions numbered. Publish the minutes on the open ledger."), {"n": len(resolutions)}
            ),
            url=reverse("councils:minutes", args=[minutes.pk]),
            channels=(),
        )
    return resolutions


def resolution_create(*, item: MinutesItem, council: Council) -> Resolution:
    """Number a binding decision: 〔year〕n号 per community, gap-free under concurrency (the community row is locked)."""
    Community.objects.select_for_update().filter(pk=council.community_id).first()
    year = timezone.localtime(item.minutes.meeting.starts_at).year
    seq = (
        Resolution.objects.filter(community_id=council.community_id, year=year).aggregate(m=Max("seq"))["m"] or 0
    ) + 1
    resolution = Resolution.objects.create(
        community_id=council.community_id,
        council=council,
        minutes_item=item,
        year=year,
        seq=seq,
        title=item.agenda_item.title,
        text=item.decision,
        executor=item.executor,
        executor_station=item.executor_station,
        executor_unit_id=item.executor_unit_id,
        deadline=item.deadline,
    )
    suggestion = item.agenda_item.suggestion
    if suggestion is not None:
        Suggestion.objects.filter(pk=suggestion.pk).update(resolution=resolution)
        Suggestion.objects.filter(merged_into=suggestion).update(resolution=resolution)
    return resolution


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by: User) -> Minutes:
    """Approved minutes go on the open ledger; proposers of suggestions on the agenda hear the decision."""
    minutes = _lock_minutes(minutes)
    council = minutes.meeting.council
    if not (council.is_convenor(by) or council.is_secretary(by)):
        raise PermissionDenied
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Only approved minutes can be published."))
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["status", "published_at"])
    for item in minutes.items.select_related("agenda_item__suggestion"):
        suggestion = item.agenda_item.suggestion
        if suggestion is None or suggestion.status != Suggestion.Status.ON_AGENDA:
            continue
        suggestion.status = Suggestion.Status.DECIDED if item.adopt_resolution else Suggestion.Status.DECLINED
        suggestion.reply = suggestion.reply or item.decision
        suggestion.save(update_fields=["status", "reply"])
        _tell_proposers(
            suggestion,
            _msg(_("Decision on your suggestion %(number)s"), {"number": suggestion.tracking_number}),
            item.decision,
        )
    audit(actor=by, action="minutes_publish", obj=minutes, community_id=council.community_id)
    return minutes


@transaction.atomic
def minutes_add_addendum(*, minutes: Minutes, text: str, by: User) -> MinutesAddendum:
    """Correct approved minutes with a linked addendum; the minutes stay as they were approved."""
    minutes = _lock_minutes(minutes)
    council = minutes.meeting.council
    if not (council.is_secretary(by) or council.is_convenor(by)):
        raise PermissionDenied
    if not minutes.is_locked:
        raise ValidationError(_("These minutes are not approved yet: edit them instead."))
    if not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    addendum = MinutesAddendum.objects.create(minutes=minutes, text=text, created_by=by)
    audit(actor=by, action="minutes_addendum", obj=addendum, community_id=council.community_id)
    return addendum


@transaction.atomic
def minutes_attach(*, minutes: Minutes, file, caption: str = "", by: User) -> MinutesAttachment:
    """Keep a photo or document with draft minutes (the secretary's); approved minutes take addenda instead."""
    minutes = _lock_minutes(minutes)
    if not minutes.meeting.council.is_secretary(by):
        raise PermissionDenied
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Attachments can be added to draft minutes only."))
    attachment = MinutesAttachment(minutes=minutes, file=file, caption=caption, uploaded_by=by)
    attachment.full_clean()
    attachment.save()
    audit(actor=by, action="minutes_attach", obj=attachment, community_id=minutes.meeting.council.community_id)
    return attachment


# ---------------------------------------------------------------------------------------------------
# Resolutions


def resolution_may_report(resolution: Resolution, user: User) -> bool:
    """Staff of the community who may add progress: council staff, and the executor's own people."""
    if not (user.is_authenticated and user.has_perm("councils.add_resolutionprogress")):
        return False
    if user.community_id != resolution.community_id:
        return False
    return True


@transaction.atomic
def resolution_progress_add(
    *, resolution: Resolution, text: str, by: User, photo=None, completes: bool = False
) -> ResolutionProgress:
    """Report progress with evidence; the last report completes the resolution. Proposers are told."""
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if not resolution_may_report(resolution, by):
        raise PermissionDenied
    if resolution.status == Resolution.Status.DONE:
        raise ValidationError(_("This resolution has been carried out already."))
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    progress = ResolutionProgress(resolution=resolution, text=text, completes=completes, recorded_by=by)
    if photo:
        progress.photo = photo
    progress.save()
    resolution.status = Resolution.Status.DONE if completes else Resolution.Status.IN_PROGRESS
    resolution.done_at = timezone.now() if completes else None
    resolution.save(update_fields=["status", "done_at"])
    new_status = Suggestion.Status.DONE if completes else Suggestion.Status.IN_PROGRESS
    for suggestion in Suggestion.objects.filter(resolution=resolution, merged_into__isnull=True).exclude(
        status__in=(Suggestion.Status.CLOSED, Suggestion.Status.DONE)
    ):
        suggestion.status = new_status
        suggestion.save(update_fields=["status"])
        title = _msg(
            _("Your suggestion %(number)s has been carried out")
            if completes
            else _("Progress on your suggestion %(number)s"),
            {"number": suggestion.tracking_number},
        )
        _tell_proposers(suggestion, title, text)
    audit(actor=by, action="resolution_progress", obj=resolution, summary="done" if completes else "progress")
    return progress


def resolution_executors(resolution: Resolution) -> list[User]:
    """Who carries a resolution out: the committee director, the station's staff, or the unit's delegate."""
    if resolution.executor == MinutesItem.Executor.UNIT:
        users = [
            m.user
            for m in CouncilMember.objects.filter(
                unit_id=resolution.executor_unit_id, user__isnull=False
            ).select_related("user")
        ]
    elif resolution.executor == MinutesItem.Executor.STATION:
        users = list(
            _users_with_role(resolution.community_id, STATION_ROLES.get(resolution.executor_station, roles.HALL_STAFF))
        )
    else:
        users = list(_users_with_role(resolution.community_id, roles.COMMITTEE_DIRECTOR))
    return users


@transaction.atomic
def resolutions_remind_overdue(*, today: dt.date | None = None) -> int:
    """Remind executor and convenor of each overdue resolution, at most once a week per resolution."""
    today = today or timezone.localdate()
    sent = 0
    overdue = (
        Resolution.objects.overdue(today)
        .exclude(last_reminded_on__gt=today - dt.timedelta(days=7))
        .select_related("council__convenor", "executor_unit")
        .select_for_update(of=("self",), skip_locked=True)
    )
    for resolution in overdue:
        recipients = {u.pk: u for u in resolution_executors(resolution)}
        if resolution.council.convenor_id:
            recipients[resolution.council.convenor_id] = resolution.council.convenor
        for user in recipients.values():
            notify(
                recipient=user,
                title=_msg(_("Overdue resolution %(number)s"), {"number": resolution.number}),
                body=_("“%(title)s” was due on %(deadline)s. Please report progress.")
                % {"title": resolution.title, "deadline": f"{resolution.deadline:%Y-%m-%d}"},
                url=reverse("councils:resolution", args=[resolution.pk]),
            )
            sent += 1
        resolution.last_reminded_on = today
        resolution.save(update_fields=["last_reminded_on"])
    return sent


# ---------------------------------------------------------------------------------------------------
# Suggestions (献计献策)


def _suggestion_url(suggestion: Suggestion) -> str:
    return reverse("councils:suggestion", args=[suggestion.tracking_number])


def _tell_proposers(suggestion: Suggestion, title, body="") -> None:
    """Notify the proposer, and the proposers of suggestions merged into this one."""
    targets = [suggestion, *Suggestion.objects.filter(merged_into=suggestion).select_related("proposer")]
    told = set()
    for s in targets:
        if s.proposer_id in told:
            continue
        told.add(s.proposer_id)
        notify(recipient=s.proposer, title=title, body=body, url=_suggestion_url(s))


@transaction.atomic
def suggestion_submit(
    *, proposer: User, community: Community, category: str, title: str, text: str, location: str = "", photo=None
) -> Suggestion:
    """A resident's suggestion: gets a tracking number, and the proposer a receipt in the inbox."""
    suggestion = Suggestion(
        community=community, proposer=proposer, category=category, title=title, text=text, location=location
    )
    if photo:
        suggestion.photo = photo
    suggestion.full_clean()
    suggestion.save()
    notify(
        recipient=proposer,
        title=_msg(_("Suggestion received: %(number)s"), {"number": suggestion.tracking_number}),
        body=_msg(
            _("Thank you. Keep this number to follow your suggestion: %(number)s"),
            {"number": suggestion.tracking_number},
        ),
        url=_suggestion_url(suggestion),
        channels=(),
    )
    return suggestion


def suggestions_remind_triage(*, older_than_days: int = 2) -> int:
    """Tell each community's council secretaries how many suggestions have waited for triage (daily)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    waiting = dict(
        Suggestion.objects.filter(status=Suggestion.Status.SUBMITTED, created_at__lt=cutoff)
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    sent = 0
    for council in Council.objects.filter(community_id__in=waiting, secretary__isnull=False).select_related(
        "secretary"
    ):
        if council.kind != Council.Kind.DELIBERATION:
            continue  # one reminder per community: the deliberation council's secretary triages
        notify(
            recipient=council.secretary,
            title=_msg(_("%(n)d suggestions wait for a reply"), {"n": waiting[council.community_id]}),
            body=_msg(_("Residents wrote them more than %(days)d days ago."), {"days": older_than_days}),
            url=reverse("councils:triage"),
            channels=(),
        )
        sent += 1
    return sent


def suggestion_support(*, suggestion: Suggestion, user: User) -> SuggestionSupport:
    """Support (附议) a public suggestion, once per person (the database refuses a second time)."""
    if not suggestion.is_public or suggestion.status in (Suggestion.Status.MERGED, Suggestion.Status.CLOSED):
        raise ValidationError(_("This suggestion cannot be supported."))
    if suggestion.proposer_id == user.pk:
        raise ValidationError(_("This is your own suggestion."))
    try:
        with transaction.atomic():
            support = SuggestionSupport.objects.create(suggestion=suggestion, user=user)
            Suggestion.objects.filter(pk=suggestion.pk).update(supporters_count=F("supporters_count") + 1)
    except IntegrityError:
        raise ValidationError(_("You have already supported this suggestion.")) from None
    return support


def _require_triage(suggestion: Suggestion, by: User) -> None:
    if not by.has_perm("councils.change_suggestion"):
        raise PermissionDenied
    from portal.access import require_community

    require_community(by, suggestion.community_id)


@transaction.atomic
def suggestion_reply(*, suggestion: Suggestion, reply: str, by: User) -> Suggestion:
    """Staff reply; a new suggestion is thereby accepted and becomes public."""
    _require_triage(suggestion, by)
    if not reply.strip():
        raise ValidationError({"reply": _("Write the reply.")})
    suggestion.reply = reply
    suggestion.replied_at = timezone.now()
    if suggestion.status == Suggestion.Status.SUBMITTED:
        suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["reply", "replied_at", "status"])
    _tell_proposers(
        suggestion, _msg(_("Reply to your suggestion %(number)s"), {"number": suggestion.tracking_number}), reply
    )
    audit(actor=by, action="suggestion_reply", obj=suggestion)
    return suggestion


@transaction.atomic
def suggestion_merge(*, suggestion: Suggestion, into: Suggestion, by: User) -> Suggestion:
    """Merge a duplicate: its supporters join the other, and its proposer follows the other from now on."""
    _require_triage(suggestion, by)
    if into.pk == suggestion.pk or into.community_id != suggestion.community_id or into.merged_into_id:
        raise ValidationError({"into": _("Choose another, unmerged suggestion of this community.")})
    if suggestion.status not in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED):
        raise ValidationError(_("Only a new or accepted suggestion can be merged."))
    users = list(suggestion.supports.values_list("user_id", flat=True)) + [suggestion.proposer_id]
    SuggestionSupport.objects.bulk_create(
        [SuggestionSupport(suggestion=into, user_id=u) for u in users if u != into.proposer_id], ignore_conflicts=True
    )
    Suggestion.objects.filter(pk=into.pk).update(supporters_count=into.supports.count())
    Suggestion.objects.filter(merged_into=suggestion).update(merged_into=into)
    suggestion.status = Suggestion.Status.MERGED
    suggestion.merged_into = into
    suggestion.resolution_id = into.resolution_id
    suggestion.save(update_fields=["status", "merged_into", "resolution"])
    notify(
        recipient=suggestion.proposer,
        title=_msg(_("Your suggestion %(number)s was merged"), {"number": suggestion.tracking_number}),
        body=_msg(
            _("It is followed together with %(other)s, which raises the same matter."), {"other": into.tracking_number}
        ),
        url=_suggestion_url(into),
    )
    audit(actor=by, action="suggestion_merge", obj=suggestion, summary=f"into #{into.pk}")
    return suggestion


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, reply: str, by: User) -> Suggestion:
    """Not taken up, with the reason."""
    _require_triage(suggestion, by)
    if suggestion.status not in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED):
        raise ValidationError(_("Only a new or accepted suggestion can be declined."))
    if not reply.strip():
        raise ValidationError({"reply": _("Say why it is not taken up.")})
    suggestion.status = Suggestion.Status.DECLINED
    suggestion.reply = reply
    suggestion.replied_at = timezone.now()
    suggestion.save(update_fields=["status", "reply", "replied_at"])
    _tell_proposers(
        suggestion, _msg(_("Reply to your suggestion %(number)s"), {"number": suggestion.tracking_number}), reply
    )
    audit(actor=by, action="suggestion_decline", obj=suggestion)
    return suggestion


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """Close the loop; the proposer is asked to rate the outcome."""
    _require_triage(suggestion, by)
    if suggestion.status in (Suggestion.Status.CLOSED, Suggestion.Status.MERGED):
        raise ValidationError(_("This suggestion is closed already."))
    suggestion.status = Suggestion.Status.CLOSED
    suggestion.closed_at = timezone.now()
    if note:
        suggestion.reply = note
        suggestion.replied_at = timezone.now()
    suggestion.save(update_fields=["status", "closed_at", "reply", "replied_at"])
    _tell_proposers(
        suggestion,
        _msg(_("Your suggestion %(number)s is closed"), {"number": suggestion.tracking_number}),
        _("Please tell us how satisfied you are with the outcome."),
    )
    audit(actor=by, action="suggestion_close", obj=suggestion)
    return suggestion


def suggestion_rate(*, suggestion: Suggestion, user: User, rating: int, comment: str = "") -> Suggestion:
    """The proposer rates the outcome once, when it is carried out, closed or declined."""
    if suggestion.proposer_id != user.pk:
        raise PermissionDenied
    if not suggestion.may_be_rated:
        raise ValidationError(_("This suggestion cannot be rated now."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose 1 to 5 stars.")})
    suggestion.rating = rating
    suggestion.rating_comment = comment
    suggestion.save(update_fields=["rating", "rating_comment"])
    return suggestion
