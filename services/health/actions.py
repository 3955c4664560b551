"""Writes of the health station: consent, files and their entries, focus-group plans, the annual physical.

Every entry into a file goes through `_require_processing`: no consent (or a withdrawn one), no processing.
Every staff write goes into the audit log (never a health value); notifications are lazy text, rendered in the
recipient's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.capacity import Outcome, SeatResult, SeatStatus, seat_cancel, seat_take
from portal.core.models import Community, Kind, User
from portal.core.notify import message, notify
from residents.models import Resident
from services.health.models import (
    CURRENT_NOTICE_VERSION,
    GUARDIAN_BELOW_AGE,
    RETENTION_YEARS,
    CampaignInvitation,
    CheckupBooking,
    CheckupCampaign,
    CheckupRecord,
    CheckupSlot,
    FocusGroup,
    FollowUpPlan,
    FollowUpVisit,
    HealthConsent,
    HealthFile,
    MaternalVisit,
    Reading,
)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def health_consent_record(
    *,
    resident: Resident,
    recorded_by: User | None,
    guardian_name: str = "",
    notice_version: str = CURRENT_NOTICE_VERSION,
) -> HealthConsent:
    """Record a separate consent to keep a health file; a guardian consents for a child under 14."""
    guardian_name = guardian_name.strip()
    if resident.age < GUARDIAN_BELOW_AGE and not guardian_name:
        raise ValidationError(
            {"guardian_name": _("This resident is under 14: a parent or guardian must give the consent.")}
        )
    if notice_version != CURRENT_NOTICE_VERSION:
        raise ValidationError(_("Consent must be given on the current privacy notice."))
    consent = HealthConsent.objects.create(
        community_id=resident.community_id,
        resident=resident,
        notice_version=notice_version,
        given_by=HealthConsent.Relation.GUARDIAN if guardian_name else HealthConsent.Relation.SELF,
        guardian_name=guardian_name,
        recorded_by=recorded_by,
    )
    audit(actor=recorded_by, action="health_consent", obj=consent, summary="consent recorded")
    return consent


@transaction.atomic
def health_file_create(
    *,
    resident: Resident,
    consent: HealthConsent | None,
    created_by: User | None,
    chronic_conditions: str = "",
    allergies: str = "",
    medications: str = "",
) -> HealthFile:
    """Open a resident's health file — only on a standing consent of that resident, on the current notice."""
    if consent is None or consent.resident_id != resident.pk:
        raise ValidationError(_("A health file can only be opened with the resident's own separate consent."))
    consent = HealthConsent.objects.select_for_update().get(pk=consent.pk)
    if not consent.is_active:
        raise ValidationError(_("This consent has been withdrawn; no health file may be opened with it."))
    if consent.notice_version != CURRENT_NOTICE_VERSION:
        raise ValidationError(_("Consent must be given on the current privacy notice."))
    if HealthFile.objects.filter(resident=resident).exists():
        raise ValidationError(_("This resident already has a health file."))
    today = timezone.localdate()
    file = HealthFile.objects.create(
        community_id=resident.community_id,
        resident=resident,
        household_id=resident.household_id,
        consent=consent,
        maternal_care=resident.is_childbearing_woman,
        chronic_conditions=chronic_conditions,
        allergies=allergies,
        medications=medications,
        created_by=created_by,
        retention_until=_years_after(today, RETENTION_YEARS),
        birth_year=resident.birth_date.year,
        sex=resident.sex,
    )
    audit(actor=created_by, action="health_file_create", obj=file, summary="file opened")
    return file


@transaction.atomic
def health_consent_withdraw(*, consent: HealthConsent, by: User | None) -> HealthConsent:
    """Withdraw consent: nothing more is recorded, plans stop, and the file is anonymised at the next retention run."""
    consent = HealthConsent.objects.select_for_update().get(pk=consent.pk)
    if not consent.is_active:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    files = HealthFile.objects.filter(consent=consent)
    files.update(retention_until=timezone.localdate())
    FollowUpPlan.objects.filter(file__in=files).update(active=False)
    audit(actor=by, action="health_consent_withdraw", obj=consent, summary="consent withdrawn")
    return consent


def _require_processing(file: HealthFile) -> None:
    if not file.processing_allowed():
        raise ValidationError(
            _(
                "The consent for this health file has been withdrawn (or the file is closed): nothing more may be recorded."
            )
        )


@transaction.atomic
def health_file_update(
    *, file: HealthFile, by: User, chronic_conditions: str, allergies: str, medications: str
) -> HealthFile:
    _require_processing(file)
    file.chronic_conditions, file.allergies, file.medications = chronic_conditions, allergies, medications
    file.save(update_fields=["chronic_conditions", "allergies", "medications"])
    audit(actor=by, action="health_file_update", obj=file, summary="file updated")
    return file


@transaction.atomic
def reading_record(
    *, file: HealthFile, by: User | None, kind: str, taken_on: dt.date, value: Decimal, value2: Decimal | None = None
) -> Reading:
    """Add a blood-pressure, glucose or weight reading to a file."""
    _require_processing(file)
    reading = Reading(file=file, kind=kind, taken_on=taken_on, value=value, value2=value2)
    if kind == Reading.Kind.BLOOD_PRESSURE and value2 is None:
        raise ValidationError({"value2": _("Blood pressure needs both values (systolic and diastolic).")})
    if kind != Reading.Kind.BLOOD_PRESSURE:
        reading.value2 = None
    reading.full_clean()
    reading.save()
    audit(actor=by, action="health_reading_add", obj=reading, community_id=file.community_id)
    return reading


@transaction.atomic
def checkup_record_add(
    *, file: HealthFile, by: User | None, examined_on: dt.date, results: str, booking: CheckupBooking | None = None
) -> CheckupRecord:
    _require_processing(file)
    record = CheckupRecord.objects.create(file=file, examined_on=examined_on, results=results, booking=booking)
    audit(actor=by, action="health_checkup_add", obj=record, community_id=file.community_id)
    return record


@transaction.atomic
def follow_up_record(
    *, file: HealthFile, by: User | None, visited_on: dt.date, notes: str, plan: FollowUpPlan | None = None
) -> FollowUpVisit:
    """Record a follow-up visit; a plan's next visit moves on by its interval."""
    _require_processing(file)
    if plan is not None and plan.file_id != file.pk:
        raise ValidationError(_("This plan belongs to another file."))
    visit = FollowUpVisit.objects.create(file=file, plan=plan, visited_on=visited_on, visited_by=by, notes=notes)
    if plan is not None:
        plan.next_due = visited_on + dt.timedelta(days=plan.interval_days)
        plan.save(update_fields=["next_due"])
    audit(actor=by, action="health_follow_up_add", obj=visit, community_id=file.community_id)
    return visit


@transaction.atomic
def maternal_visit_record(
    *, file: HealthFile, by: User | None, kind: str, visited_on: dt.date, notes: str = ""
) -> MaternalVisit:
    _require_processing(file)
    if not file.maternal_care:
        raise ValidationError(_("Maternal-care visits belong in the file of a woman of child-bearing age."))
    visit = MaternalVisit.objects.create(file=file, kind=kind, visited_on=visited_on, notes=notes)
    audit(actor=by, action="health_maternal_visit_add", obj=visit, community_id=file.community_id)
    return visit


@transaction.atomic
def health_file_anonymise(*, file: HealthFile) -> HealthFile:
    """Cut the file from the person: free text goes, the numbers stay for statistics (year of birth and sex only)."""
    file = HealthFile.objects.select_for_update(of=("self",)).select_related("resident").get(pk=file.pk)
    if file.anonymised_at is not None:
        return file
    if file.resident is not None:
        file.birth_year = file.birth_year or file.resident.birth_date.year
        file.sex = file.sex or file.resident.sex
    file.resident = None
    file.household = None
    file.chronic_conditions = file.allergies = file.medications = ""
    file.anonymised_at = timezone.now()
    file.save(
        update_fields=[
            "resident",
            "household",
            "chronic_conditions",
            "allergies",
            "medications",
            "anonymised_at",
            "birth_year",
            "sex",
        ]
    )
    file.checkups.update(results="", booking=None)
    file.visits.update(notes="", visited_by=None)
    file.maternal_visits.all().delete()
    file.plans.update(active=False)
    audit(actor=None, action="health_file_anonymise", obj=file, summary="past retention")  # the nightly run
    return file


def health_anonymise_past_retention(*, today: dt.date | None = None) -> int:
    """Anonymise every live file past its retention date (withdrawn consents are due the same day)."""
    done = 0
    for file_id in HealthFile.objects.past_retention(today).values_list("pk", flat=True).iterator():
        health_file_anonymise(file=HealthFile(pk=file_id))
        done += 1
    return done


def focus_group_residents(*, community_id: int, group: str, today: dt.date | None = None):
    """Current residents of a community who belong to a focus group, by the register's tags (or their file)."""
    residents = Resident.objects.current().filter(community_id=community_id)
    if group == FocusGroup.ELDERLY:
        return residents.elderly(today)
    if group == FocusGroup.VETERAN:
        return residents.filter(is_veteran=True)
    if group == FocusGroup.DISABLED:
        return residents.filter(is_disabled=True)
    if group == FocusGroup.CHRONIC:
        return residents.filter(health_file__anonymised_at__isnull=True).exclude(health_file__chronic_conditions="")
    raise ValueError(group)


@transaction.atomic
def follow_up_plans_create(*, community_id: int, group: str, interval_days: int, by: User | None) -> int:
    """Start follow-up plans for every member of a focus group who has a file with a standing consent."""
    members = focus_group_residents(community_id=community_id, group=group)
    files = (
        HealthFile.objects.live()
        .filter(resident__in=members, consent__withdrawn_at__isnull=True)
        .exclude(plans__group=group)
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    plans = FollowUpPlan.objects.bulk_create(
        FollowUpPlan(community_id=community_id, file_id=pk, group=group, interval_days=interval_days, next_due=today)
        for pk in files
    )
    audit(
        actor=by,
        action="follow_up_plans_create",
        obj=Community(pk=community_id),
        community_id=community_id,
        summary=f"{group}: {len(plans)} plans",
    )
    return len(plans)


# --- the retirees' annual physical ---------------------------------------------------------


def campaign_eligible(campaign: CheckupCampaign):
    """The rule: current residents of the community who are retirees."""
    return Resident.objects.current().filter(community_id=campaign.community_id, is_retiree=True)


@transaction.atomic
def campaign_invite(*, campaign: CheckupCampaign, by: User | None) -> int:
    """Invite every eligible resident not yet invited; those with an account get a notification."""
    new = list(campaign_eligible(campaign).exclude(checkup_invitations__campaign=campaign).select_related("user"))
    CampaignInvitation.objects.bulk_create(
        [CampaignInvitation(campaign=campaign, resident=r) for r in new], ignore_conflicts=True
    )
    for resident in new:
        if resident.user is not None:
            notify(
                kind=Kind.BOOKINGS,
                recipient=resident.user,
                title=_("You are invited to the free annual physical for retirees"),
                body=message(_("Book a time at the health service station: %(title)s."), title=campaign.title),
                url=reverse("services:health:my_checkup"),
            )
    audit(actor=by, action="campaign_invite", obj=campaign, summary=f"{len(new)} invited")
    return len(new)


def checkup_book(*, slot: CheckupSlot, resident: Resident, waiting_list: bool = False) -> SeatResult:
    """Book an invited resident into a slot (one booking per campaign). A full slot says so, or with
    `waiting_list` puts them on its waiting list (排队候补): the first place freed goes to the longest waiting, who
    is told. A booked time ends the resident's wait for another one."""
    campaign_id = slot.campaign_id
    if not CampaignInvitation.objects.filter(campaign_id=campaign_id, resident=resident).exists():
        raise ValidationError(_("Only invited residents can book this physical."))
    if slot.ends_at <= timezone.now():
        raise ValidationError(_("This time has already passed."))
    with transaction.atomic():
        # One resident's bookings of a campaign are decided one at a time.
        Resident.objects.select_for_update().filter(pk=resident.pk).first()
        mine = CheckupBooking.objects.filter(slot__campaign_id=campaign_id, resident=resident).exclude(slot=slot)
        if mine.filter(status=SeatStatus.ACTIVE).exists():
            raise ValidationError(
                _("You already have a booking for this physical; cancel it first to pick another time.")
            )
        if waiting_list and mine.filter(status=SeatStatus.WAITING).exists():
            raise ValidationError(
                _("You are already on the waiting list of another time; leave it first to wait for this one.")
            )
        result = seat_take(thing=slot, holder=resident, waiting_list=waiting_list)
        if result.outcome is Outcome.TAKEN:
            for waiting in mine.filter(status=SeatStatus.WAITING):
                seat_cancel(seat=waiting)
        return result


def checkup_waiting_place(booking: CheckupBooking) -> int | None:
    """The resident's place on the slot's waiting list (1 = next to move up); None unless waiting."""
    if booking.status != SeatStatus.WAITING:
        return None
    ahead = CheckupBooking.objects.filter(slot_id=booking.slot_id, status=SeatStatus.WAITING).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def checkup_booking_cancel(*, booking: CheckupBooking) -> None:
    seat_cancel(seat=booking)


@transaction.atomic
def checkup_attendance_record(*, booking: CheckupBooking, attended: bool, by: User | None, results: str = "") -> None:
    """Record whether the resident came; results go into their file, which needs a standing consent."""
    booking = (
        CheckupBooking.objects.select_for_update(of=("self",))
        .select_related("slot__campaign", "resident")
        .get(pk=booking.pk)
    )
    if booking.status != SeatStatus.ACTIVE:
        raise ValidationError(_("This booking was cancelled."))
    booking.attended = attended
    booking.save(update_fields=["attended"])
    audit(
        actor=by,
        action="checkup_attendance",
        obj=booking,
        community_id=booking.slot.campaign.community_id,
        summary="came" if attended else "did not come",
    )
    if attended and results.strip():
        file = HealthFile.objects.live().filter(resident_id=booking.resident_id).select_related("consent").first()
        if file is None or not file.processing_allowed():
            raise ValidationError(
                {"results": _("No health file with a standing consent: record attendance only, not results.")}
            )
        checkup_record_add(
            file=file, by=by, examined_on=timezone.localdate(booking.slot.starts_at), results=results, booking=booking
        )


@transaction.atomic
def campaign_chase_no_shows(
    *, campaign: CheckupCampaign, by: User | None = None, now: dt.datetime | None = None
) -> int:
    """Remind, once, everyone who booked a past slot and did not come."""
    now = now or timezone.now()
    no_shows = list(
        CheckupBooking.objects.select_for_update(of=("self",))
        .filter(slot__campaign=campaign, slot__ends_at__lt=now, status=SeatStatus.ACTIVE, reminded_at__isnull=True)
        .exclude(attended=True)
        .select_related("resident__user")
    )
    for booking in no_shows:
        if booking.resident.user is not None:
            notify(
                kind=Kind.BOOKINGS,
                recipient=booking.resident.user,
                title=_("We missed you at the free physical"),
                body=message(_("Please book another time: %(title)s."), title=campaign.title),
                url=reverse("services:health:my_checkup"),
            )
    CheckupBooking.objects.filter(pk__in=[b.pk for b in no_shows]).update(reminded_at=now)
    if by is not None:
        audit(actor=by, action="campaign_chase_no_shows", obj=campaign, summary=f"{len(no_shows)} reminded")
    return len(no_shows)


def campaign_report(campaign: CheckupCampaign) -> dict[str, int]:
    """Invited / booked / attended / no-shows, in two queries."""
    invited = campaign.invitations.count()
    counts = CheckupBooking.objects.filter(slot__campaign=campaign, status=SeatStatus.ACTIVE).aggregate(
        n_booked=Count("pk"),
        n_attended=Count("pk", filter=Q(attended=True)),
        n_no_shows=Count("pk", filter=Q(slot__ends_at__lt=timezone.now()) & ~Q(attended=True)),
    )
    return {
        "invited": invited,
        "booked": counts["n_booked"],
        "attended": counts["n_attended"],
        "no_shows": counts["n_no_shows"],
    }
