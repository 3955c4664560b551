"""The property hotline's repairs (社区物业设立专门电话, 随叫随到): a fault reported by phone, at the hall, online or
from another record (a grid patrol) is dispatched to the company serving the courtyard with its promise (arrive
within, fix within), tracked reported → dispatched → arrived → fixed → closed, and rated once by the resident who
reported it. The resident is told of every step, the company of its dispatch; a promise missed is flagged."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import Community, Kind, User
from portal.core.notify import message, notify
from residents.models import Building, Resident
from services.hall.actions.notices import notify_resident
from services.hall.models import Case
from services.hall.texts import lines, when_text
from services.property.models import PropertyCompany, PropertyCoverage, PropertyStaff, Repair
from services.property.querysets import DISPATCH_PERMISSION

WORK_PERMISSION = "services.work_repair"
CLOSED_MESSAGE = _("This repair is closed: nothing more can be changed.")


def company_of(building: Building) -> PropertyCompany | None:
    """The active company serving the building or courtyard, if any."""
    coverage = (
        PropertyCoverage.objects.filter(building=building, company__is_active=True).select_related("company").first()
    )
    return coverage.company if coverage else None


def _resident_url(repair: Repair) -> str:
    return reverse("services:property:repair", args=[repair.pk])


def _tell_resident(repair: Repair, title, body="") -> None:
    if repair.resident_id:
        notify_resident(repair.resident, kind=Kind.CASES, title=title, body=body, url=_resident_url(repair))


def _tell_company(repair: Repair) -> None:
    """Every account of the company: a new repair for them, where and by when."""
    body = lines(
        message(_("Where: %(building)s %(location)s"), building=str(repair.building), location=repair.location),
        message(_("What: %(what)s"), what=repair.description[:120]),
        message(
            _("Arrive by %(arrive)s, fix by %(fix)s."), arrive=when_text(repair.arrive_by), fix=when_text(repair.fix_by)
        ),
    )
    for staff in PropertyStaff.objects.filter(company_id=repair.company_id, user__is_active=True).select_related(
        "user"
    ):
        notify(
            recipient=staff.user,
            kind=Kind.CASES,
            title=message(
                _("New repair %(number)s: %(kind)s"), number=repair.number, kind=Repair.Kind(repair.kind).label
            ),
            body=body,
            url=_resident_url(repair),
        )


def _dispatch(repair: Repair, company: PropertyCompany, now: dt.datetime) -> None:
    repair.company = company
    repair.status = Repair.Status.DISPATCHED
    repair.dispatched_at = now
    repair.arrive_by = now + dt.timedelta(hours=company.arrive_hours)
    repair.fix_by = now + dt.timedelta(hours=company.fix_hours)


def repair_report(
    community: Community,
    building: Building,
    kind: str,
    description: str,
    source: str,
    reported_by: User | None,
    resident: Resident | None = None,
    *,
    caller: str = "",
    caller_phone: str = "",
    location: str = "",
    origin: str = "",
) -> Repair:
    """Record a fault of `building` (reported by phone, at the hall, online, or from another record such as a grid
    patrol finding: `origin` names it) and dispatch it at once to the company serving the courtyard, when one does;
    otherwise it waits for staff to dispatch it. `source` is one of Case.Source (the hall's intake channels)."""
    if building.community_id != community.pk:
        raise ValidationError({"building": _("This building belongs to another community.")})
    if resident is not None and resident.community_id != community.pk:
        raise ValidationError({"resident": _("This resident belongs to another community.")})
    if source not in Case.Source.values:
        raise ValidationError({"source": _("Choose how the report came in.")})
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what is wrong.")})
    now = timezone.now()
    company = company_of(building)
    with transaction.atomic():
        repair = Repair(
            community=community,
            building=building,
            resident=resident,
            caller=(caller or (resident.name if resident else "")).strip()[:50],
            caller_phone=(caller_phone or "").strip(),
            reported_by=reported_by,
            kind=kind,
            description=description.strip(),
            location=(location or "").strip(),
            source=source,
            origin=(origin or "").strip()[:80],
            reported_at=now,
        )
        if company is not None:
            _dispatch(repair, company, now)
        repair.full_clean()
        repair.save()
        if reported_by is not None and reported_by.is_staff:
            audit(actor=reported_by, action="repair_report", obj=repair, summary=f"{source} {kind}")
        _tell_resident(
            repair,
            message(_("Repair %(number)s received"), number=repair.number),
            message(_("Dispatched to %(company)s."), company=company.name)
            if company
            else message(_("The community will pass it to a property company.")),
        )
        if company is not None:
            _tell_company(repair)
        return repair


def _lock(repair: Repair) -> Repair:
    return (
        Repair.objects.select_for_update(of=("self",))
        .select_related("resident__user", "company", "building__area")
        .get(pk=repair.pk)
    )


def may_work(user: User, repair: Repair) -> bool:
    """Staff of the repair's company (with the right to work repairs), or community staff who dispatch them."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm(DISPATCH_PERMISSION):
        return user.is_staff and user.community_id == repair.community_id
    if not user.has_perm(WORK_PERMISSION) or repair.company_id is None:
        return False
    return PropertyStaff.objects.filter(user=user, company_id=repair.company_id).exists()


def _refuse(user: User, repair: Repair) -> None:
    if not may_work(user, repair):
        raise ValidationError(_("Only the property company's staff or the community may do this."), code="forbidden")


def _moved(repair: Repair, *, by: User, action: str, old: str) -> None:
    audit(actor=by, action=action, obj=repair, summary=f"{old} → {repair.status}")
    status = Repair.Status(repair.status).label
    _tell_resident(
        repair,
        message(_("Repair %(number)s: %(status)s"), number=repair.number, status=status),
        message(_("Status: %(status)s"), status=status),
    )


def _refuse_status(repair: Repair, *allowed: str) -> None:
    if repair.status not in allowed:
        raise ValidationError(
            _("A repair that is %(status)s cannot do this.") % {"status": repair.get_status_display()}, code="status"
        )


def repair_dispatch(*, repair: Repair, company: PropertyCompany, by: User) -> Repair:
    """Staff send a waiting repair to a company of its community (its promise starts now)."""
    if not by.has_perm(DISPATCH_PERMISSION):
        raise ValidationError(_("Only community staff dispatch repairs."), code="forbidden")
    if company.community_id != repair.community_id or not company.is_active:
        raise ValidationError({"company": _("Choose an active company of the community.")})
    with transaction.atomic():
        repair = _lock(repair)
        _refuse(by, repair)
        _refuse_status(repair, Repair.Status.REPORTED)
        old = repair.status
        _dispatch(repair, company, timezone.now())
        repair.save()
        _moved(repair, by=by, action="repair_dispatch", old=old)
        _tell_company(repair)
        return repair


def repair_arrive(*, repair: Repair, by: User) -> Repair:
    with transaction.atomic():
        repair = _lock(repair)
        _refuse(by, repair)
        _refuse_status(repair, Repair.Status.DISPATCHED)
        old = repair.status
        repair.status = Repair.Status.ARRIVED
        repair.arrived_at = timezone.now()
        repair.save(update_fields=["status", "arrived_at"])
        _moved(repair, by=by, action="repair_arrive", old=old)
        return repair


def repair_fix(*, repair: Repair, by: User, note: str = "") -> Repair:
    """The fault is fixed (a repairer may fix it on arrival: arrival is then recorded at the same moment)."""
    with transaction.atomic():
        repair = _lock(repair)
        _refuse(by, repair)
        _refuse_status(repair, Repair.Status.DISPATCHED, Repair.Status.ARRIVED)
        old = repair.status
        now = timezone.now()
        repair.arrived_at = repair.arrived_at or now
        repair.fixed_at = now
        repair.status = Repair.Status.FIXED
        repair.fix_note = (note or "").strip()[:300]
        repair.save(update_fields=["status", "arrived_at", "fixed_at", "fix_note"])
        _moved(repair, by=by, action="repair_fix", old=old)
        if repair.resident_id:
            _tell_resident(
                repair,
                message(_("Please rate repair %(number)s"), number=repair.number),
                message(_("Tell us how the repair went: 1 to 5 stars.")),
            )
        return repair


def repair_close(*, repair: Repair, by: User) -> Repair:
    """Community staff close a fixed repair (the resident may still rate it)."""
    if not by.has_perm(DISPATCH_PERMISSION):
        raise ValidationError(_("Only community staff close repairs."), code="forbidden")
    with transaction.atomic():
        repair = _lock(repair)
        refuse_locked(repair, CLOSED_MESSAGE)
        _refuse(by, repair)
        _refuse_status(repair, Repair.Status.FIXED)
        old = repair.status
        repair.status = Repair.Status.CLOSED
        repair.closed_at = timezone.now()
        repair.save(update_fields=["status", "closed_at"])
        _moved(repair, by=by, action="repair_close", old=old)
        return repair


def repair_rate(*, repair: Repair, by: User, rating: int, comment: str = "") -> Repair:
    """The resident who reported the repair rates it, once, after it is fixed; the rating closes it."""
    with transaction.atomic():
        repair = _lock(repair)
        if repair.resident is None or repair.resident.user_id != by.pk:
            raise ValidationError(_("Only the resident who reported the repair can rate it."), code="not_owner")
        if not repair.can_rate:
            raise ValidationError(
                _("A repair can be rated once, after it is fixed."), code="rated" if repair.rating else "status"
            )
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValidationError({"rating": _("Give 1 to 5 stars.")})
        now = timezone.now()
        repair.rating = rating
        repair.rating_comment = (comment or "").strip()[:300]
        repair.rated_at = now
        if repair.status == Repair.Status.FIXED:
            repair.status = Repair.Status.CLOSED
            repair.closed_at = now
        repair.save(update_fields=["rating", "rating_comment", "rated_at", "status", "closed_at"])
        return repair


def repairs_flag_overdue(*, now: dt.datetime | None = None) -> int:
    """Flag each open repair past its promise (once) and tell the company's accounts and the community's
    residents'-committee director."""
    now = now or timezone.now()
    overdue = list(
        Repair.objects.overdue(now)
        .filter(overdue_flagged_at__isnull=True)
        .select_related("company", "building__area")
        .order_by("community_id", "pk")
    )
    if not overdue:
        return 0
    recipients: dict[tuple[str, int], list[User]] = {}
    for staff in PropertyStaff.objects.filter(
        company_id__in={r.company_id for r in overdue}, user__is_active=True
    ).select_related("user"):
        recipients.setdefault(("company", staff.company_id), []).append(staff.user)
    for user in User.objects.filter(
        groups__name=roles.COMMITTEE_DIRECTOR, community_id__in={r.community_id for r in overdue}, is_active=True
    ).distinct():
        recipients.setdefault(("community", user.community_id), []).append(user)
    with transaction.atomic():
        for repair in overdue:
            for user in [
                *recipients.get(("company", repair.company_id), []),
                *recipients.get(("community", repair.community_id), []),
            ]:
                notify(
                    recipient=user,
                    kind=Kind.CASES,
                    title=message(
                        _("Repair %(number)s is past its promise (%(company)s)"),
                        number=repair.number,
                        company=repair.company.name,
                    ),
                    body=message(
                        _("Where: %(building)s %(location)s"), building=str(repair.building), location=repair.location
                    ),
                    url=_resident_url(repair),
                )
        Repair.objects.filter(pk__in=[r.pk for r in overdue], overdue_flagged_at__isnull=True).update(
            overdue_flagged_at=now
        )
    return len(overdue)
