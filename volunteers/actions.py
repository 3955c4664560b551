"""Writes of the volunteers app that span models or have side effects. Views, admin actions and tasks call these.

Every write by staff (a coordinator, the director, an administrator) is audited through portal.core.audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.audit import audit
from portal.core.capacity import SeatResult, SeatStatus, seat_cancel, seat_take
from portal.core.models import Community, Kind, User
from portal.core.notify import message, notify
from portal.core.tasks import enqueue
from residents.models import Resident
from volunteers.badges import badge_from_token, verification_url
from volunteers.models import (
    Activity,
    Badge,
    HourCorrection,
    PartyTask,
    PersonServed,
    SignUp,
    Team,
    VisitPlan,
    VisitRecord,
    Volunteer,
    hours_between,
)
from volunteers.models.activities import MAX_HOURS_PER_ACTIVITY, time_after
from volunteers.tasks import render_badge

# --------------------------------------------------------------------------------------------------
# Volunteers


@transaction.atomic
def volunteer_apply(
    *,
    resident: Resident,
    skills: Iterable[str],
    skill_note: str = "",
    availability: Iterable[str] = (),
    photo: ContentFile | None = None,
) -> Volunteer:
    """A resident applies to volunteer (again, after a refusal); staff decide later."""
    volunteer = Volunteer.objects.select_for_update().filter(resident=resident).first()
    if volunteer is not None and volunteer.status in (Volunteer.Status.APPLIED, Volunteer.Status.APPROVED):
        raise ValidationError(_("You have already applied; the community office will contact you."))
    if volunteer is not None and volunteer.status == Volunteer.Status.REVOKED:
        raise ValidationError(_("Your volunteer registration was revoked; please talk to the community office."))
    volunteer = volunteer or Volunteer(resident=resident, community_id=resident.community_id)
    volunteer.status = Volunteer.Status.APPLIED
    volunteer.skills = list(skills)
    volunteer.skill_note = skill_note
    volunteer.availability = list(availability)
    volunteer.applied_at = timezone.now()
    volunteer.decided_at = volunteer.decided_by = None
    volunteer.decision_note = ""
    if photo is not None:
        volunteer.photo.save(photo.name, photo, save=False)
    volunteer.full_clean()
    volunteer.save()
    return volunteer


def _next_number(community_id: int) -> str:
    """ZY + community (3 digits) + sequence (5 digits); the caller holds the community row lock."""
    prefix = f"ZY{community_id:03d}"
    last = Volunteer.objects.filter(community_id=community_id, number__startswith=prefix).aggregate(last=Max("number"))[
        "last"
    ]
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


@transaction.atomic
def volunteer_approve(*, volunteer: Volunteer, by: User, team: Team | None = None) -> Volunteer:
    """Approve an application: a volunteer number, the volunteer role, a message to the resident."""
    Community.objects.select_for_update().filter(pk=volunteer.community_id).first()  # serialises numbering
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("resident__user").get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.APPLIED:
        raise ValidationError(_("Only a received application can be approved."))
    if team is not None and team.community_id != volunteer.community_id:
        raise ValidationError(_("This team belongs to another community."))
    volunteer.status = Volunteer.Status.APPROVED
    volunteer.number = volunteer.number or _next_number(volunteer.community_id)
    volunteer.team = team or volunteer.team
    volunteer.decided_at = timezone.now()
    volunteer.approved_on = timezone.localdate()
    volunteer.decided_by = by
    volunteer.save()
    user = volunteer.resident.user
    if user is not None:
        user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
        notify(
            kind=Kind.VOLUNTEERS,
            recipient=user,
            title=_("You are now a registered volunteer"),
            body=message(
                _("Your volunteer number is %(number)s. Thank you for serving your neighbours."),
                number=volunteer.number,
            ),
            url=reverse("volunteers:index"),
        )
    audit(actor=by, action="volunteer_approve", obj=volunteer, summary=volunteer.number)
    return volunteer


@transaction.atomic
def volunteer_reject(*, volunteer: Volunteer, by: User, note: str = "") -> Volunteer:
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("resident__user").get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.APPLIED:
        raise ValidationError(_("Only a received application can be declined."))
    volunteer.status = Volunteer.Status.REJECTED
    volunteer.decided_at = timezone.now()
    volunteer.decided_by = by
    volunteer.decision_note = note
    volunteer.save()
    if volunteer.resident.user is not None:
        notify(
            kind=Kind.VOLUNTEERS,
            recipient=volunteer.resident.user,
            title=_("About your volunteer application"),
            body=_(
                "The community office could not approve your application this time. Please ask the office for details."
            ),
            url=reverse("volunteers:index"),
        )
    audit(actor=by, action="volunteer_reject", obj=volunteer)
    return volunteer


@transaction.atomic
def volunteer_revoke(*, volunteer: Volunteer, by: User, reason: str) -> Volunteer:
    """Revoke a registration: badges stop verifying, future sign-ups are cancelled, team leadership ends."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the registration is revoked.")})
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("resident__user").get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.APPROVED:
        raise ValidationError(_("Only an approved volunteer can be revoked."))
    volunteer.status = Volunteer.Status.REVOKED
    volunteer.decided_at = timezone.now()
    volunteer.decided_by = by
    volunteer.decision_note = reason
    volunteer.save()
    volunteer.badges.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    Team.objects.filter(leader=volunteer).update(leader=None)
    future = volunteer.signups.filter(status=SeatStatus.ACTIVE, activity__date__gte=timezone.localdate())
    for signup in future.filter(checked_in_at__isnull=True):
        seat_cancel(seat=signup)
    user = volunteer.resident.user
    if user is not None:
        user.groups.remove(Group.objects.get(name=roles.VOLUNTEER))
    audit(actor=by, action="volunteer_revoke", obj=volunteer, summary=volunteer.number)
    return volunteer


# --------------------------------------------------------------------------------------------------
# Activities, sign-ups and hours


@transaction.atomic
def activity_create(*, community_id: int, by: User, **fields) -> Activity:
    """Plan an activity of the community (validated, no seats taken yet)."""
    activity = Activity(community_id=community_id, created_by=by, **fields)
    activity.full_clean()
    activity.save()
    audit(actor=by, action="activity_create", obj=activity, summary=activity.title)
    return activity


def signup_create(*, activity: Activity, volunteer: Volunteer) -> SeatResult:
    """Take a place at an activity for an approved volunteer of its community (never overbooks)."""
    if volunteer.status != Volunteer.Status.APPROVED:
        raise ValidationError(_("Only approved volunteers can sign up."))
    if activity.community_id != volunteer.community_id:
        raise ValidationError(_("This activity belongs to another community."))
    if activity.status != Activity.Status.OPEN:
        raise ValidationError(_("This activity was cancelled."))
    if activity.is_past:
        raise ValidationError(_("This activity is over."))
    return seat_take(thing=activity, holder=volunteer)


def signup_cancel(*, signup: SignUp) -> None:
    """The volunteer withdraws; the place is freed. Not after check-in."""
    with transaction.atomic():
        signup = _locked(signup)
        if signup.checked_in_at is not None:
            raise ValidationError(_("You were already checked in; ask the coordinator to change your record."))
        seat_cancel(seat=signup)


def _locked(signup: SignUp) -> SignUp:
    return SignUp.objects.select_for_update(of=("self",)).select_related("activity").get(pk=signup.pk)


def _at(activity: Activity, at: dt.time | dt.datetime | None, after: dt.datetime | None) -> dt.datetime:
    """A check-in or check-out moment: now, an exact datetime, or a time of day on the activity's date (after `after`)."""
    if at is None:
        return timezone.now()
    if isinstance(at, dt.datetime):
        return at
    # Without a check-in to follow, a time of day is read as within 6 hours before the start or later.
    return time_after(after or activity.starts_at - dt.timedelta(hours=6), at)


@transaction.atomic
def signup_check_in(*, signup: SignUp, by: User, at: dt.time | dt.datetime | None = None) -> SignUp:
    """The coordinator records that the volunteer arrived (now, or at a time of day on the activity's date)."""
    signup = _locked(signup)
    if signup.status != SeatStatus.ACTIVE:
        raise ValidationError(_("This sign-up was cancelled."))
    if signup.hours_confirmed_at is not None:
        raise ValidationError(_("The hours are already confirmed; correct them instead."))
    signup.checked_in_at = _at(signup.activity, at, None)
    if signup.checked_out_at and signup.checked_out_at < signup.checked_in_at:
        signup.checked_out_at = None
        signup.hours = None
    signup.save(update_fields=["checked_in_at", "checked_out_at", "hours"])
    audit(
        actor=by,
        action="signup_check_in",
        obj=signup,
        community_id=signup.activity.community_id,
        summary=f"{timezone.localtime(signup.checked_in_at):%Y-%m-%d %H:%M}",
    )
    return signup


@transaction.atomic
def signup_check_out(*, signup: SignUp, by: User, at: dt.time | dt.datetime | None = None) -> SignUp:
    """The coordinator records that the volunteer left; the hours follow from the actual times (to confirm)."""
    signup = _locked(signup)
    if signup.checked_in_at is None:
        raise ValidationError(_("Check the volunteer in first."))
    if signup.hours_confirmed_at is not None:
        raise ValidationError(_("The hours are already confirmed; correct them instead."))
    out = _at(signup.activity, at, signup.checked_in_at)
    if out < signup.checked_in_at:
        raise ValidationError(_("The check-out time is before the check-in time."))
    hours = hours_between(signup.checked_in_at, out)
    if hours > MAX_HOURS_PER_ACTIVITY:
        raise ValidationError(_("More than 24 hours for one activity: please check the times."))
    signup.checked_out_at = out
    signup.hours = hours
    signup.save(update_fields=["checked_out_at", "hours"])
    audit(
        actor=by,
        action="signup_check_out",
        obj=signup,
        community_id=signup.activity.community_id,
        summary=f"{timezone.localtime(out):%Y-%m-%d %H:%M}, {hours} h",
    )
    return signup


def signup_scan(*, activity: Activity, by: User, code: str) -> tuple[SignUp, str]:
    """Check in (or, the second time, out) the volunteer whose badge QR or number was scanned; returns the step."""
    code = code.strip()
    volunteer = None
    if "/" in code or ":" in code:
        token = code.rstrip("/").rsplit("/", 1)[-1]
        badge = badge_from_token(token)
        if badge is None or not badge.is_valid:
            raise ValidationError(_("This badge is not valid."))
        volunteer = badge.volunteer
    elif code:
        volunteer = Volunteer.objects.filter(community_id=activity.community_id, number__iexact=code).first()
    if volunteer is None or volunteer.community_id != activity.community_id:
        raise ValidationError(_("No volunteer of this community has this badge or number."))
    signup = activity.signups.filter(volunteer=volunteer, status=SeatStatus.ACTIVE).first()
    if signup is None:
        raise ValidationError(_("This volunteer has not signed up for this activity."))
    if signup.checked_in_at is None:
        return signup_check_in(signup=signup, by=by), "check_in"
    if signup.checked_out_at is None:
        return signup_check_out(signup=signup, by=by), "check_out"
    raise ValidationError(_("This volunteer is already checked out."))


@transaction.atomic
def signup_confirm_hours(*, signup: SignUp, by: User) -> SignUp:
    """The coordinator confirms the hours computed from the actual times; only confirmed hours count."""
    signup = _locked(signup)
    if signup.hours is None:
        raise ValidationError(_("There are no hours to confirm yet: check the volunteer out first."))
    if signup.hours_confirmed_at is None:
        signup.hours_confirmed_at = timezone.now()
        signup.hours_confirmed_by = by
        signup.save(update_fields=["hours_confirmed_at", "hours_confirmed_by"])
        audit(
            actor=by,
            action="hours_confirm",
            obj=signup,
            community_id=signup.activity.community_id,
            summary=f"{signup.hours} h",
        )
    return signup


@transaction.atomic
def signup_correct_hours(*, signup: SignUp, by: User, hours: Decimal, reason: str) -> HourCorrection:
    """Change the hours of a sign-up, logging who, the old and new value and why; the result counts as confirmed."""
    signup = _locked(signup)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the hours are corrected.")})
    if hours < 0 or hours > MAX_HOURS_PER_ACTIVITY:
        raise ValidationError({"hours": _("Hours must be between 0 and 24.")})
    if signup.status != SeatStatus.ACTIVE:
        raise ValidationError(_("This sign-up was cancelled."))
    correction = HourCorrection.objects.create(
        signup=signup, corrected_by=by, old_hours=signup.hours, new_hours=hours, reason=reason.strip()
    )
    signup.hours = hours
    signup.hours_confirmed_at = timezone.now()
    signup.hours_confirmed_by = by
    signup.save(update_fields=["hours", "hours_confirmed_at", "hours_confirmed_by"])
    audit(
        actor=by,
        action="hours_correct",
        obj=signup,
        community_id=signup.activity.community_id,
        summary=f"{correction.old_hours} -> {hours}",
    )
    return correction


# --------------------------------------------------------------------------------------------------
# Badges


@transaction.atomic
def badge_request(*, volunteer: Volunteer, base_url: str, by: User | None = None) -> Badge:
    """Issue a new badge (earlier ones stop verifying); it is drawn by a Celery task once this commits."""
    if volunteer.status != Volunteer.Status.APPROVED:
        raise ValidationError(_("Only approved volunteers get a badge."))
    volunteer.badges.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    badge = Badge.objects.create(volunteer=volunteer)
    badge.verify_url = verification_url(badge, base_url)
    badge.save(update_fields=["verify_url"])
    audit(actor=by, action="badge_issue", obj=badge, community_id=volunteer.community_id, summary=volunteer.number)
    transaction.on_commit(lambda pk=badge.pk: enqueue(render_badge, pk))
    return badge


# --------------------------------------------------------------------------------------------------
# People served


@transaction.atomic
def people_served_sync(*, community: Community, today: dt.date | None = None) -> int:
    """Add the residents the register's tags point to (elderly living alone, disabled, low income); returns how many."""
    residents = Resident.objects.filter(community=community).current()
    wanted: list[tuple[int, str]] = []
    wanted += [
        (pk, PersonServed.Kind.ELDERLY_ALONE)
        for pk in residents.elderly(today).filter(lives_alone=True).values_list("pk", flat=True)
    ]
    wanted += [
        (pk, PersonServed.Kind.DISABLED) for pk in residents.filter(is_disabled=True).values_list("pk", flat=True)
    ]
    wanted += [
        (pk, PersonServed.Kind.DIFFICULTY) for pk in residents.filter(is_low_income=True).values_list("pk", flat=True)
    ]
    existing = set(PersonServed.objects.filter(community=community).values_list("resident_id", "kind"))
    new = [
        PersonServed(community=community, resident_id=pk, kind=kind)
        for pk, kind in wanted
        if (pk, kind) not in existing
    ]
    PersonServed.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def visit_record_create(
    *,
    person: PersonServed,
    by: User,
    visited_on: dt.date,
    what_was_done: str,
    needs_next: str = "",
    visitors: Iterable[Volunteer] = (),
) -> VisitRecord:
    """Record a visit and move the person's visit plans on to the next due date."""
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    visitors = list(visitors)
    if any(v.community_id != person.community_id for v in visitors):
        raise ValidationError({"visitors": _("Visitors must be volunteers of this community.")})
    record = VisitRecord(
        person=person, visited_on=visited_on, what_was_done=what_was_done, needs_next=needs_next, recorded_by=by
    )
    record.full_clean()
    record.save()
    record.visitors.set(visitors)
    for plan in VisitPlan.objects.select_for_update().filter(person=person):
        plan.next_visit_on = visited_on + dt.timedelta(days=plan.every_days)
        plan.save(update_fields=["next_visit_on"])
    audit(actor=by, action="visit_record", obj=record, community_id=person.community_id, summary=f"{visited_on}")
    return record


# --------------------------------------------------------------------------------------------------
# Party-member service tasks


@transaction.atomic
def party_task_complete(*, task: PartyTask, by: User, hours: Decimal, completed_on: dt.date | None = None) -> PartyTask:
    """Mark a party member's service task done; its hours count like volunteer hours."""
    task = PartyTask.objects.select_for_update().get(pk=task.pk)
    if task.completed_on is not None:
        raise ValidationError(_("This task is already completed."))
    if hours < 0 or hours > MAX_HOURS_PER_ACTIVITY:
        raise ValidationError({"hours": _("Hours must be between 0 and 24.")})
    task.completed_on = completed_on or timezone.localdate()
    task.hours = hours
    task.save(update_fields=["completed_on", "hours"])
    audit(actor=by, action="party_task_complete", obj=task, summary=str(hours))
    return task
