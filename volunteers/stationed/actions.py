"""Writes of 在职党员报到 and 微心愿: report in, confirm into a courtyard party group, claim duty posts and wishes,
fulfil, confirm (hours as a completed party-member service task), thank; mark a unit's yearly summary sent.

Every staff write is audited; the people a step concerns are told through notify() (kind: volunteering)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.models import Community, Kind, User
from portal.core.notify import message, notify
from residents.models import PartyGroup, PartyMember, Resident, StationedUnit
from volunteers.models import DutyPost, PartyTask, StationedReport, UnitSummary, Wish
from volunteers.models.activities import MAX_HOURS_PER_ACTIVITY

KIND = Kind.VOLUNTEERS

# --------------------------------------------------------------------------------------------------
# Reporting in (报到)


def this_year() -> int:
    return timezone.localdate().year


@transaction.atomic
def stationed_report_submit(
    *,
    community: Community,
    unit: StationedUnit,
    name: str,
    phone: str,
    speciality: str = "",
    offer: str = "",
    wished_group: PartyGroup | None = None,
    user: User | None = None,
    by: User | None = None,
) -> StationedReport:
    """A stationed member reports in for this year: from their phone (`user`) or at the counter (`by`, staff)."""
    if unit.community_id != community.pk:
        raise ValidationError({"unit": _("This unit is not stationed in this community.")})
    if wished_group is not None and wished_group.community_id != community.pk:
        raise ValidationError({"wished_group": _("This party group belongs to another community.")})
    phone = (phone or "").strip()
    if not phone:
        raise ValidationError({"phone": _("Give the member's mobile number.")})
    year = this_year()
    if StationedReport.objects.live().filter(community=community, year=year, phone=phone).exists():
        raise ValidationError(
            {"phone": _("A report-in with this mobile number is already on file for %(year)s.") % {"year": year}}
        )
    counter = by is not None and by.is_staff
    if user is None and counter:
        user = User.objects.filter(phone=phone).first()
    member = (
        PartyMember.objects.filter(community=community, category=PartyMember.Category.STATIONED, phone=phone, unit=unit)
        .order_by("pk")
        .first()
    )
    report = StationedReport(
        community=community,
        year=year,
        unit=unit,
        member=member,
        user=user,
        name=name.strip(),
        phone=phone,
        speciality=speciality.strip(),
        offer=offer.strip(),
        wished_group=wished_group,
        channel=StationedReport.Channel.COUNTER if counter else StationedReport.Channel.ONLINE,
        recorded_by=by,
    )
    report.full_clean(exclude=["member", "user", "group"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # two submissions at once: the unique constraint keeps one
        raise ValidationError({"phone": _("A report-in with this mobile number is already on file.")}) from exc
    if counter:
        audit(actor=by, action="stationed_report_record", obj=report, summary=f"{year} {unit.name}")
    return report


def _locked_report(report: StationedReport) -> StationedReport:
    return (
        StationedReport.objects.select_for_update(of=("self",))
        .select_related("unit", "member", "user")
        .get(pk=report.pk)
    )


@transaction.atomic
def stationed_report_confirm(*, report: StationedReport, by: User, group: PartyGroup | None) -> StationedReport:
    """The office confirms a report-in and places the member in a courtyard party group (楼院党小组); the member is
    filed at the party-member service station (a new record when the register had none)."""
    report = _locked_report(report)
    if StationedReport.Status.CONFIRMED not in StationedReport.TRANSITIONS[report.status]:
        raise ValidationError(_("Only a report-in waiting for the office can be confirmed."))
    if group is None:
        raise ValidationError({"group": _("Choose the courtyard party group the member joins.")})
    if group.community_id != report.community_id:
        raise ValidationError({"group": _("This party group belongs to another community.")})
    member = report.member
    if member is None:
        member = PartyMember(
            community_id=report.community_id,
            name=report.name,
            phone=report.phone,
            category=PartyMember.Category.STATIONED,
            management=PartyMember.Management.STATIONED,
            unit=report.unit,
            speciality=report.speciality,
        )
    member.group = group
    member.branch_id = group.branch_id
    if report.speciality and not member.speciality:
        member.speciality = report.speciality
    member.save()
    report.member = member
    report.group = group
    report.status = StationedReport.Status.CONFIRMED
    report.decided_at = timezone.now()
    report.decided_by = by
    report.save(update_fields=["member", "group", "status", "decided_at", "decided_by"])
    if report.user is not None:
        notify(
            kind=KIND,
            recipient=report.user,
            title=_("Your report-in is confirmed"),
            body=message(
                _(
                    "Welcome to the community. You serve with the party group %(group)s; small wishes of residents "
                    "are waiting for you."
                ),
                group=group.name,
            ),
            url=reverse("volunteers:stationed_home"),
        )
    audit(actor=by, action="stationed_report_confirm", obj=report, summary=f"{report.year} {group.name}")
    return report


@transaction.atomic
def stationed_report_decline(*, report: StationedReport, by: User, reason: str) -> StationedReport:
    """The office declines a report-in (not a member of this unit, a duplicate …), saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report-in is declined.")})
    report = _locked_report(report)
    if StationedReport.Status.DECLINED not in StationedReport.TRANSITIONS[report.status]:
        raise ValidationError(_("Only a report-in waiting for the office can be declined."))
    report.status = StationedReport.Status.DECLINED
    report.decided_at = timezone.now()
    report.decided_by = by
    report.decision_note = reason.strip()[:200]
    report.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    if report.user is not None:
        notify(
            kind=KIND,
            recipient=report.user,
            title=_("About your report-in"),
            body=message(_("The community office could not confirm your report-in: %(reason)s"), reason=reason),
            url=reverse("volunteers:stationed_home"),
        )
    audit(actor=by, action="stationed_report_decline", obj=report)
    return report


def reporting_member(user: User, *, community_id: int | None = None, year: int | None = None) -> PartyMember | None:
    """The party member behind the user's confirmed report-in of the year (in `community_id`), or None."""
    reports = StationedReport.objects.of_user(user).confirmed().filter(year=year or this_year())
    if community_id is not None:
        reports = reports.filter(community_id=community_id)
    report = reports.select_related("member").order_by("-decided_at").first()
    return report.member if report is not None else None


# --------------------------------------------------------------------------------------------------
# Duty posts (党员责任区 / 示范岗) claimed by reporting members


def duty_post_claim(*, post: DutyPost, member: PartyMember) -> None:
    """A reporting member takes a share of an area of responsibility or a model post."""
    if post.community_id != member.community_id:
        raise ValidationError(_("This post belongs to another community."))
    post.holders.add(member)


def duty_post_release(*, post: DutyPost, member: PartyMember) -> None:
    post.holders.remove(member)  # the member leaves the post


# --------------------------------------------------------------------------------------------------
# Small wishes (微心愿)


def _staff_of(wish: Wish) -> User | None:
    """Who is told of a member's step: the member of staff who published the wish."""
    return wish.reviewed_by if wish.reviewed_by_id and wish.reviewed_by.is_active else None


def _tell_staff(wish: Wish, title, body) -> None:
    """Tell the member of staff who published the wish of a member's step on it (if they are still active)."""
    staff = _staff_of(wish)
    if staff is not None:
        notify(kind=KIND, recipient=staff, title=title, body=body, url=reverse("volunteers:wish_work", args=[wish.pk]))


def _locked_wish(wish: Wish) -> Wish:
    return (
        Wish.objects.select_for_update(of=("self",))
        .select_related("resident__user", "claimed_by", "reviewed_by")
        .get(pk=wish.pk)
    )


def _move(wish: Wish, to: str, refusal) -> None:
    if not wish.may_become(to):
        raise ValidationError(refusal, code="state")
    wish.status = to


@transaction.atomic
def wish_post(*, resident: Resident, title: str, details: str = "", by: User) -> Wish:
    """A resident posts a small wish (or staff at the counter for them); the office reviews it before publication."""
    wish = Wish(
        community_id=resident.community_id,
        resident=resident,
        title=title.strip(),
        details=details.strip(),
        posted_by=by,
    )
    wish.full_clean(exclude=["task", "claimed_by"])
    wish.save()
    if by.is_staff:
        audit(actor=by, action="wish_post", obj=wish, summary=wish.title)
    return wish


@transaction.atomic
def wish_publish(*, wish: Wish, by: User, public_details: str, title: str | None = None) -> Wish:
    """The office publishes a wish for reporting members, with the details rewritten without personal data."""
    wish = _locked_wish(wish)
    _move(wish, Wish.Status.PUBLISHED, _("Only a wish waiting for review can be published."))
    if title is not None and title.strip():
        wish.title = title.strip()[:60]
    wish.public_details = public_details.strip()[:300]
    wish.reviewed_at = timezone.now()
    wish.reviewed_by = by
    wish.save(update_fields=["status", "title", "public_details", "reviewed_at", "reviewed_by"])
    if wish.resident.user is not None:
        notify(
            kind=KIND,
            recipient=wish.resident.user,
            title=_("Your small wish is published"),
            body=message(_("“%(title)s” is now shown to the party members who serve the community."), title=wish.title),
            url=reverse("volunteers:my_wishes"),
        )
    audit(actor=by, action="wish_publish", obj=wish, summary=wish.title)
    return wish


@transaction.atomic
def wish_decline(*, wish: Wish, by: User, reason: str) -> Wish:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the wish is not published.")})
    wish = _locked_wish(wish)
    _move(wish, Wish.Status.DECLINED, _("Only a wish waiting for review can be declined."))
    wish.decline_reason = reason.strip()[:200]
    wish.reviewed_at = timezone.now()
    wish.reviewed_by = by
    wish.save(update_fields=["status", "decline_reason", "reviewed_at", "reviewed_by"])
    if wish.resident.user is not None:
        notify(
            kind=KIND,
            recipient=wish.resident.user,
            title=_("About your small wish"),
            body=message(_("“%(title)s” could not be published: %(reason)s"), title=wish.title, reason=reason),
            url=reverse("volunteers:my_wishes"),
        )
    audit(actor=by, action="wish_decline", obj=wish, summary=wish.decline_reason)
    return wish


@transaction.atomic
def wish_claim(*, wish: Wish, member: PartyMember) -> Wish:
    """A reporting member claims an open wish (first come: a wish someone else took is refused)."""
    wish = _locked_wish(wish)
    if wish.community_id != member.community_id:
        raise ValidationError(_("This wish belongs to another community."))
    _move(wish, Wish.Status.CLAIMED, _("Someone has already claimed this wish."))
    wish.claimed_by = member
    wish.claimed_at = timezone.now()
    wish.save(update_fields=["status", "claimed_by", "claimed_at"])
    if wish.resident.user is not None:
        notify(
            kind=KIND,
            recipient=wish.resident.user,
            title=_("A party member has claimed your small wish"),
            body=message(
                _("“%(title)s” was claimed by a party member of %(unit)s; the community office will be in touch."),
                title=wish.title,
                unit=member.unit.name if member.unit_id else "",
            ),
            url=reverse("volunteers:my_wishes"),
        )
    _tell_staff(
        wish,
        _("A small wish was claimed"),
        message(_("“%(title)s” was claimed by %(name)s."), title=wish.title, name=member.name),
    )
    return wish


@transaction.atomic
def wish_unclaim(*, wish: Wish, member: PartyMember) -> Wish:
    """The member gives the wish back (before reporting it fulfilled): it is open again."""
    wish = _locked_wish(wish)
    if wish.claimed_by_id != member.pk:
        raise ValidationError(_("You have not claimed this wish."))
    _move(wish, Wish.Status.PUBLISHED, _("This wish can no longer be given back."))
    wish.claimed_by = None
    wish.claimed_at = None
    wish.save(update_fields=["status", "claimed_by", "claimed_at"])
    _tell_staff(
        wish,
        _("A small wish is open again"),
        message(_("“%(title)s” was given back by %(name)s."), title=wish.title, name=member.name),
    )
    return wish


@transaction.atomic
def wish_fulfil(*, wish: Wish, member: PartyMember, note: str) -> Wish:
    """The member reports the wish fulfilled, saying what was done; the office confirms it."""
    if not note.strip():
        raise ValidationError({"note": _("Say in a few words what was done.")})
    wish = _locked_wish(wish)
    if wish.claimed_by_id != member.pk:
        raise ValidationError(_("You have not claimed this wish."))
    _move(wish, Wish.Status.FULFILLED, _("This wish is not waiting to be fulfilled."))
    wish.fulfilled_at = timezone.now()
    wish.fulfil_note = note.strip()[:200]
    wish.save(update_fields=["status", "fulfilled_at", "fulfil_note"])
    _tell_staff(
        wish,
        _("A small wish is fulfilled: please confirm"),
        message(_("%(name)s reports “%(title)s” fulfilled."), title=wish.title, name=member.name),
    )
    return wish


def _member_user(member: PartyMember) -> User | None:
    report = (
        StationedReport.objects.filter(member=member, user__isnull=False).select_related("user").order_by("-pk").first()
    )
    return report.user if report is not None and report.user.is_active else None


@transaction.atomic
def wish_confirm(*, wish: Wish, by: User, hours: Decimal, on: dt.date | None = None) -> Wish:
    """The office confirms the wish fulfilled; the member's hours are a completed party-member service task (they
    count with the volunteer hours) and the resident is asked to say thanks."""
    if hours < 0 or hours > MAX_HOURS_PER_ACTIVITY:
        raise ValidationError({"hours": _("Hours must be between 0 and 24.")})
    wish = _locked_wish(wish)
    _move(wish, Wish.Status.CONFIRMED, _("Only a wish reported fulfilled can be confirmed."))
    member = wish.claimed_by
    if member is None:
        raise ValidationError(_("Nobody has claimed this wish."))
    day = on or timezone.localdate()
    wish.task = PartyTask.objects.create(
        community_id=wish.community_id,
        title=str(_("Small wish: %(title)s") % {"title": wish.title})[:100],
        category=member.category,
        assignee=member,
        due_on=day,
        completed_on=day,
        hours=hours,
        note=wish.fulfil_note[:200],
    )
    wish.confirmed_at = timezone.now()
    wish.confirmed_by = by
    wish.save(update_fields=["status", "task", "confirmed_at", "confirmed_by"])
    if wish.resident.user is not None:
        notify(
            kind=KIND,
            recipient=wish.resident.user,
            title=_("Your small wish came true"),
            body=message(
                _("“%(title)s” is fulfilled. You may send the party member a word of thanks."), title=wish.title
            ),
            url=reverse("volunteers:my_wishes"),
        )
    member_user = _member_user(member)
    if member_user is not None:
        notify(
            kind=KIND,
            recipient=member_user,
            title=_("Thank you: the small wish is confirmed"),
            body=message(
                _("“%(title)s” is confirmed fulfilled; %(hours)s hours of service are credited to you."),
                title=wish.title,
                hours=hours,
            ),
            url=reverse("volunteers:stationed_home"),
        )
    audit(actor=by, action="wish_confirm", obj=wish, summary=f"{hours} h")
    return wish


@transaction.atomic
def wish_return(*, wish: Wish, by: User, reason: str) -> Wish:
    """The office sends a wish reported fulfilled back to the member (not done yet, or not as wished)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is still missing.")})
    wish = _locked_wish(wish)
    _move(wish, Wish.Status.CLAIMED, _("Only a wish reported fulfilled can be sent back."))
    wish.fulfilled_at = None
    wish.save(update_fields=["status", "fulfilled_at"])
    member_user = _member_user(wish.claimed_by) if wish.claimed_by_id else None
    if member_user is not None:
        notify(
            kind=KIND,
            recipient=member_user,
            title=_("A small wish is not finished yet"),
            body=message(_("“%(title)s”: %(reason)s"), title=wish.title, reason=reason),
            url=reverse("volunteers:stationed_home"),
        )
    audit(actor=by, action="wish_return", obj=wish, summary=reason[:200])
    return wish


@transaction.atomic
def wish_thank(*, wish: Wish, by: User, thanks: str) -> Wish:
    """The resident (or staff for them) thanks the party member; the member is told."""
    if not thanks.strip():
        raise ValidationError({"thanks": _("Write a few words of thanks.")})
    wish = _locked_wish(wish)
    _move(wish, Wish.Status.THANKED, _("Thanks can be sent once the wish is confirmed fulfilled."))
    wish.thanks = thanks.strip()[:200]
    wish.thanked_at = timezone.now()
    wish.save(update_fields=["status", "thanks", "thanked_at"])
    member_user = _member_user(wish.claimed_by) if wish.claimed_by_id else None
    if member_user is not None:
        notify(
            kind=KIND,
            recipient=member_user,
            title=_("A resident thanks you"),
            body=message(_("For “%(title)s”: %(thanks)s"), title=wish.title, thanks=wish.thanks),
            url=reverse("volunteers:stationed_home"),
        )
    if by.is_staff:
        audit(actor=by, action="wish_thank", obj=wish)
    return wish


# --------------------------------------------------------------------------------------------------
# Yearly summaries for the units


@transaction.atomic
def unit_summaries_prepare(*, community: Community, year: int, by: User | None = None) -> int:
    """Make (or refresh) the year's summary of every unit of the community; returns how many units."""
    units = list(StationedUnit.objects.filter(community=community).values_list("pk", flat=True))
    existing = set(UnitSummary.objects.filter(unit_id__in=units, year=year).values_list("unit_id", flat=True))
    UnitSummary.objects.bulk_create(
        [UnitSummary(community=community, unit_id=pk, year=year) for pk in units if pk not in existing]
    )
    UnitSummary.objects.filter(unit_id__in=existing, year=year, sent_at__isnull=True).update(prepared_at=timezone.now())
    if by is not None:
        audit(actor=by, action="unit_summaries_prepare", obj=community, community_id=community.pk, summary=str(year))
    return len(units)


@transaction.atomic
def unit_summary_mark_sent(*, summary: UnitSummary, by: User, note: str = "") -> UnitSummary:
    """Record that the summary went to the unit's party organisation (how: by hand, by post, by e-mail)."""
    summary = UnitSummary.objects.select_for_update().get(pk=summary.pk)
    if summary.sent_at is not None:
        raise ValidationError(_("This summary is already marked sent."))
    summary.sent_at = timezone.now()
    summary.sent_by = by
    summary.sent_note = note.strip()[:200]
    summary.save(update_fields=["sent_at", "sent_by", "sent_note"])
    audit(actor=by, action="unit_summary_sent", obj=summary, summary=f"{summary.year} {summary.sent_note}")
    return summary
