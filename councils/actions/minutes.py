"""Minutes: the secretary's draft, submission, the convenor's approval (numbering resolutions), publication, addenda."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import tell_proposers
from councils.actions.voting import items_with_votes, minutes_votes_from_motions
from councils.models import (
    Council,
    Meeting,
    Minutes,
    MinutesAddendum,
    MinutesAttachment,
    MinutesItem,
    Resolution,
    Suggestion,
)
from councils.search_documents import minutes_document, resolution_document
from portal.core.audit import audit
from portal.core.models import Community, Kind
from portal.core.notify import message, notify
from portal.core.search import search_index_update

if TYPE_CHECKING:
    from portal.core.models import User


def _lock_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__council").get(pk=minutes.pk)


def minutes_may_begin(meeting: Meeting) -> None:
    """Minutes are kept of a meeting that has started and was not cancelled (the page's minutes_start and the
    admin's add form ask here; the message stands next to the meeting)."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"meeting": _("This meeting was cancelled: it has no minutes.")}, code="cancelled")
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            {"meeting": _("This meeting has not started yet: its minutes begin once it does.")}, code="future"
        )


def minutes_items_fill(minutes: Minutes) -> None:
    """One item of the minutes per agenda item of the meeting (added for agenda items that have none yet)."""
    if minutes.is_locked:
        return
    have = set(minutes.items.values_list("agenda_item_id", flat=True))
    for item in minutes.meeting.agenda.all():
        if item.pk not in have:
            MinutesItem.objects.create(minutes=minutes, agenda_item=item)


@transaction.atomic
def minutes_start(*, meeting: Meeting, by: User) -> Minutes:
    """The minutes of a meeting, created with one item per agenda item (and completed if items were added)."""
    if not meeting.council.is_secretary(by):
        raise PermissionDenied
    minutes_may_begin(meeting)
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting, defaults={"recorded_by": by})
    minutes_items_fill(minutes)
    if not minutes.is_locked and minutes.status == Minutes.Status.DRAFT:
        minutes_votes_from_motions(minutes)  # totals of votes held before the minutes began
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
VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstain")


@transaction.atomic
def minutes_save_draft(*, minutes: Minutes, by: User, summary: str, items: dict[int, dict[str, Any]]) -> Minutes:
    """Save what the secretary typed (autosave and the save button). Only drafts change; approved never do."""
    minutes = _lock_minutes(minutes)
    if not minutes.meeting.council.is_secretary(by):
        raise PermissionDenied
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(
            message(_("These minutes are %(status)s and can no longer be edited."), status=minutes.get_status_display())
        )
    summary = summary.strip()
    by_id = {item.pk: item for item in minutes.items.all()}
    voted = items_with_votes(minutes)  # totals from the meeting room's votes are not typed over
    changed_items = []
    for item_id, values in items.items():
        item = by_id.get(item_id)
        if item is None:
            continue
        changed = False
        for name in MINUTES_ITEM_FIELDS:
            if item_id in voted and name in VOTE_FIELDS:
                continue
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
            problems.append(message(_("“%(item)s”: write the decision."), item=item.agenda_item.title))
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
                    message(
                        _("“%(item)s”: the motion did not carry, so it cannot become a resolution."),
                        item=item.agenda_item.title,
                    )
                )
            if item.votes_cast > quorum.present:
                problems.append(message(_("“%(item)s”: more votes than members present."), item=item.agenda_item.title))
            if not item.executor or not item.deadline:
                problems.append(
                    message(
                        _("“%(item)s”: a resolution needs who carries it out and a deadline."),
                        item=item.agenda_item.title,
                    )
                )
            elif item.executor == MinutesItem.Executor.UNIT and not item.executor_unit_id:
                problems.append(message(_("“%(item)s”: choose the stationed unit."), item=item.agenda_item.title))
            elif item.executor == MinutesItem.Executor.STATION and not item.executor_station:
                problems.append(message(_("“%(item)s”: choose the station."), item=item.agenda_item.title))
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
            kind=Kind.COUNCILS,
            recipient=council.convenor,
            title=message(_("Minutes to approve: %(meeting)s"), meeting=minutes.meeting.title),
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
            kind=Kind.COUNCILS,
            recipient=council.secretary,
            title=message(_("Minutes returned: %(meeting)s"), meeting=minutes.meeting.title),
            body=message(note),
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
            kind=Kind.COUNCILS,
            recipient=council.secretary,
            title=message(_("Minutes approved: %(meeting)s"), meeting=minutes.meeting.title),
            body=message(_("%(n)d resolutions numbered. Publish the minutes on the open ledger."), n=len(resolutions)),
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
        tell_proposers(
            suggestion,
            message(_("Decision on your suggestion %(number)s"), number=suggestion.tracking_number),
            message(item.decision),
        )
    audit(actor=by, action="minutes_publish", obj=minutes, community_id=council.community_id)
    # The open ledger is searchable at once: the minutes and the resolutions they adopted.
    resolutions = Resolution.objects.filter(minutes_item__minutes=minutes)
    search_index_update([minutes_document(minutes), *(resolution_document(r) for r in resolutions)])
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
