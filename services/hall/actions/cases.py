"""Cases (办件): filed by the resident or by staff on their behalf, worked by staff through their status flow, each
step on the case's timeline; overdue cases go to the residents'-committee director."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import Kind, User
from portal.core.notify import message, notify
from residents.models import Resident
from residents.proxies import acted_by_note
from services.hall.actions.notices import notify_resident
from services.hall.models import Case, CaseAttachment, CaseEvent, ClosedDay, Mediation, ServiceItem, add_working_days
from services.hall.texts import day_text, lines
from services.hall.uploads import CheckedFile, check_attachment

CLOSED_MESSAGE = _("This case is closed: nothing more can be added to it.")

DEFAULT_TIME_LIMIT = {
    Case.Kind.APPLICATION: 10,
    Case.Kind.REPAIR: 2,
    Case.Kind.MEDIATION: 15,
    Case.Kind.RIGHTS: 10,
}


def case_deadline(*, community_id: int, start: dt.date, days: int) -> dt.date:
    closed = set(
        ClosedDay.objects.filter(community_id=community_id, counter__isnull=True, date__gt=start).values_list(
            "date", flat=True
        )
    )
    return add_working_days(start, days, closed)


def _event(case: Case, *, by: User | None, kind: str, text: str = "", internal: bool = False, old: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        actor=by,
        kind=kind,
        text=str(text),
        internal=internal,
        from_status=old if kind == CaseEvent.Kind.STATUS else "",
        to_status=case.status if kind == CaseEvent.Kind.STATUS else "",
    )


def _by_staff(case: Case, user: User | None) -> bool:
    """Someone other than the resident acting on the case: staff (notes, files, 代办)."""
    return user is not None and user.pk != case.resident.user_id


def case_file(
    *,
    resident: Resident,
    kind: str,
    title: str,
    description: str,
    filed_by: User | None,
    item: ServiceItem | None = None,
    location: str = "",
    other_party: str = "",
    attachments: Iterable[UploadedFile] = (),
    source: str | None = None,
    ticket: str = "",
    ticket_deadline: dt.date | None = None,
) -> Case:
    """File a case for `resident` (by the resident, or by staff on their behalf); its deadline follows the item's
    time limit, or the 12345 ticket's deadline when that is sooner. `source`: how it came in (default: online when
    the resident files it, at the counter when staff do)."""
    if item is not None and item.community_id != resident.community_id:
        raise ValidationError({"item": _("This service belongs to another community.")})
    ticket = (ticket or "").strip()
    if source == Case.Source.HOTLINE and not ticket:
        raise ValidationError({"ticket": _("A 12345 ticket needs its ticket number.")})
    if ticket_deadline is not None and ticket_deadline < timezone.localdate():
        raise ValidationError({"ticket_deadline": _("The ticket's deadline has already passed: check the date.")})
    checked = [(upload, check_attachment(upload)) for upload in attachments]
    days = item.time_limit_days if item is not None else DEFAULT_TIME_LIMIT[Case.Kind(kind)]
    deadline = case_deadline(community_id=resident.community_id, start=timezone.localdate(), days=days)
    if ticket_deadline is not None:
        deadline = min(deadline, ticket_deadline)
    by_staff = filed_by is not None and filed_by.pk != resident.user_id and filed_by.is_staff
    with transaction.atomic():
        case = Case(
            community_id=resident.community_id,
            resident=resident,
            item=item,
            counter_id=item.counter_id if item else None,
            kind=kind,
            title=title,
            description=description,
            location=location,
            filed_by=filed_by,
            source=source or (Case.Source.COUNTER if by_staff else Case.Source.ONLINE),
            ticket=ticket,
            deadline=deadline,
        )
        case.full_clean()
        case.save()
        on_behalf = _by_staff(case, filed_by)
        by_proxy = on_behalf and not filed_by.is_staff  # a family proxy (residents.proxies)
        _event(
            case,
            by=filed_by,
            kind=CaseEvent.Kind.FILED,
            text=acted_by_note(filed_by, resident) if by_proxy else _filed_text(case) if on_behalf else "",
        )
        if on_behalf:
            audit(actor=filed_by, action="case_file_for", obj=case, summary=f"for resident #{resident.pk}")
        if case.kind == Case.Kind.MEDIATION:
            parties = "\n".join(p for p in (resident.name, other_party.strip()) if p)
            Mediation.objects.create(case=case, parties=parties, dispute=description)
        for upload, info in checked:
            _attach(case, upload, info, by=filed_by, internal=False)
        notify_resident(
            resident,
            kind=Kind.CASES,
            title=message(_("Case %(number)s received: %(title)s"), number=case.number, title=case.title),
            body=lines(
                message(_("We will handle it by %(day)s."), day=day_text(case.deadline)),
                *([acted_by_note(filed_by, resident)] if by_proxy else []),
            ),
            url=reverse("services:case", args=[case.pk]),
        )
        return case


def _filed_text(case: Case) -> str:
    if case.source == Case.Source.COUNTER:
        return _("Filed by staff on behalf of the resident (代办).")
    text = _("Taken by staff (%(source)s) for the resident.") % {"source": case.get_source_display()}
    return f"{text} {_('12345 ticket %(ticket)s') % {'ticket': case.ticket}}" if case.ticket else text


def _attach(case: Case, upload: UploadedFile, info: CheckedFile, *, by: User | None, internal: bool) -> CaseAttachment:
    attachment = CaseAttachment(
        case=case,
        original_name=(upload.name or "")[-200:],
        content_type=info.content_type,
        size=upload.size,
        internal=internal,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{info.extension}", upload, save=False)
    attachment.save()
    _event(case, by=by, kind=CaseEvent.Kind.ATTACHMENT, text=attachment.original_name, internal=internal)
    return attachment


def case_add_attachment(*, case: Case, upload: UploadedFile, by: User, internal: bool = False) -> CaseAttachment:
    """Attach an image or PDF (checked by content and size) under a generated name."""
    refuse_locked(case, CLOSED_MESSAGE)
    info = check_attachment(upload)
    with transaction.atomic():
        attachment = _attach(case, upload, info, by=by, internal=internal)
        if _by_staff(case, by):
            audit(actor=by, action="case_attach", obj=attachment, community_id=case.community_id)
        return attachment


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("resident__user").get(pk=case.pk)


def _status_changed(case: Case, *, by: User, action: str, old: str, text: str = "") -> None:
    _event(case, by=by, kind=CaseEvent.Kind.STATUS, text=text, old=old)
    audit(actor=by, action=action, obj=case, summary=f"{old} → {case.status}")
    status = Case.Status(case.status).label  # the choice's lazy label: rendered in the resident's language
    body = message(_("Status: %(status)s"), status=status)
    if case.status == Case.Status.REJECTED:
        body = lines(body, message(_("Reason: %(reason)s"), reason=case.rejection_reason))
    notify_resident(
        case.resident,
        kind=Kind.CASES,
        title=message(_("Case %(number)s is now %(status)s"), number=case.number, status=status),
        body=body,
        url=reverse("services:case", args=[case.pk]),
    )


def case_accept(*, case: Case, by: User) -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.accept()
        if case.assignee_id is None:
            case.assignee = by
        case.save()
        _status_changed(case, by=by, action="case_accept", old=old)
        return case


def case_start(*, case: Case, by: User) -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.start()
        case.save()
        _status_changed(case, by=by, action="case_start", old=old)
        return case


def case_complete(*, case: Case, by: User, note: str = "") -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.complete()
        case.save()
        _status_changed(case, by=by, action="case_complete", old=old, text=note)
        return case


def case_reject(*, case: Case, by: User, reason: str) -> Case:
    with transaction.atomic():
        case = _lock_case(case)
        old = case.reject(reason)
        case.save()
        _status_changed(case, by=by, action="case_reject", old=old, text=case.rejection_reason)
        return case


def case_assign(*, case: Case, assignee: User, by: User) -> Case:
    """Give a case to a member of staff of its community."""
    if not (assignee.is_active and assignee.is_staff and assignee.community_id == case.community_id):
        raise ValidationError({"assignee": _("Cases can only be assigned to staff of the same community.")})
    with transaction.atomic():
        case = _lock_case(case)
        if not case.is_open:
            raise ValidationError(_("A closed case cannot be reassigned."), code="closed")
        case.assignee = assignee
        case.save(update_fields=["assignee"])
        _event(case, by=by, kind=CaseEvent.Kind.ASSIGNED, text=assignee.name, internal=True)
        audit(actor=by, action="case_assign", obj=case, summary=f"to user #{assignee.pk}")
        return case


def case_add_note(*, case: Case, by: User, text: str, internal: bool = True) -> CaseEvent:
    """A note on the timeline; internal notes are for staff, the others the resident sees (and is told of)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    refuse_locked(case, CLOSED_MESSAGE)
    with transaction.atomic():
        event = CaseEvent.objects.create(case=case, actor=by, kind=CaseEvent.Kind.NOTE, text=text, internal=internal)
        if _by_staff(case, by):
            audit(
                actor=by,
                action="case_note",
                obj=event,
                community_id=case.community_id,
                summary="internal" if internal else "to the resident",
            )
            if not internal:
                notify_resident(
                    case.resident,
                    kind=Kind.CASES,
                    title=message(_("New message on case %(number)s"), number=case.number),
                    body=message(text),  # typed by staff: the same in every language
                    url=reverse("services:case", args=[case.pk]),
                )
        return event


def case_rate(*, case: Case, by: User, rating: int, comment: str = "") -> Case:
    """The resident rates a finished case (once)."""
    with transaction.atomic():
        case = _lock_case(case)
        if case.resident.user_id != by.pk:
            raise ValidationError(_("Only the resident can rate their case."), code="not_owner")
        case.rate(rating, comment)
        case.save(update_fields=["rating", "rating_comment"])
        _event(case, by=by, kind=CaseEvent.Kind.RATED, text=f"{'★' * case.rating} {comment}".strip())
        return case


def mediations_remind_follow_up(*, today: dt.date | None = None) -> int:
    """Remind the assigned member of staff of each mediation whose follow-up visit (回访) is due (once per due date);
    a case nobody is assigned to goes to the residents'-committee director."""
    today = today or timezone.localdate()
    due = list(
        Mediation.objects.filter(
            follow_up_due__lte=today,
            follow_up_done_on__isnull=True,
            case__status__in=("accepted", "in_progress", "done"),
        )
        .exclude(follow_up_reminded_on__gte=F("follow_up_due"))
        .select_related("case__assignee")
    )
    if not due:
        return 0
    directors: dict[int, list[User]] = {}
    for user in User.objects.filter(
        groups__name=roles.COMMITTEE_DIRECTOR, community_id__in={m.case.community_id for m in due}, is_active=True
    ).distinct():
        directors.setdefault(user.community_id, []).append(user)
    with transaction.atomic():
        for mediation in due:
            case = mediation.case
            for recipient in [case.assignee] if case.assignee else directors.get(case.community_id, []):
                notify(
                    kind=Kind.CASES,
                    recipient=recipient,
                    title=message(
                        _("Follow-up visit (回访) due: %(number)s %(title)s"), number=case.number, title=case.title
                    ),
                    body=message(_("Due %(day)s."), day=day_text(mediation.follow_up_due)),
                    url=reverse("admin:services_case_change", args=[case.pk]),
                )
        Mediation.objects.filter(pk__in=[m.pk for m in due]).update(follow_up_reminded_on=today)
    return len(due)


def cases_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Tell each community's residents'-committee director about its overdue cases (once per case)."""
    today = today or timezone.localdate()
    overdue = list(
        Case.objects.overdue(today)
        .filter(escalated_at__isnull=True)
        .select_related("assignee")
        .order_by("community_id", "deadline")
    )
    if not overdue:
        return 0
    community_ids = {c.community_id for c in overdue}
    directors: dict[int, list[User]] = {}
    for user in User.objects.filter(
        groups__name=roles.COMMITTEE_DIRECTOR, community_id__in=community_ids, is_active=True
    ).distinct():
        directors.setdefault(user.community_id, []).append(user)
    now = timezone.now()
    with transaction.atomic():
        for case in overdue:
            for director in directors.get(case.community_id, []):
                notify(
                    kind=Kind.CASES,
                    recipient=director,
                    title=message(_("Overdue case %(number)s: %(title)s"), number=case.number, title=case.title),
                    body=message(
                        _("Deadline %(day)s; assigned to %(who)s."),
                        day=day_text(case.deadline),
                        who=case.assignee.name if case.assignee else _("nobody"),
                    ),
                    url=reverse("admin:services_case_change", args=[case.pk]),
                )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ESCALATED,
                internal=True,
                at=now,
                text=str(_("Past its deadline: escalated to the residents'-committee director.")),
            )
            for case in overdue
        )
        Case.objects.filter(pk__in=[c.pk for c in overdue], escalated_at__isnull=True).update(escalated_at=now)
    return len(overdue)
