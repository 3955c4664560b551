"""Voting in the meeting room: motions and amendments, ballots, the result into the minutes, the speakers list.

Order of business on an agenda item: the motion is proposed; amendments to it are proposed and each is voted
(one open vote in a meeting at a time); a carried amendment rewrites the motion; the (amended) motion is voted
last. Only members marked present vote, once each (database constraint `ballot_once_per_member`); a member with a
portal account votes on their own phone, the secretary enters the votes of members without one. The counts are
kept on the motion by single-row updates while the motion's row is locked, so concurrent votes never double count
and no vote lands after the close. The result uses the meeting's quorum (`Meeting.quorum`) and the councils' rule:
carried with more votes for than half of the votes cast, and only with quorum. Closing the motion writes its totals
into the minutes' item, replacing hand-typed ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import require_meeting_staff
from councils.models import (
    AgendaItem,
    Attendance,
    Ballot,
    CouncilMember,
    Meeting,
    Minutes,
    MinutesItem,
    Motion,
    Speaker,
)
from portal.core.audit import audit
from portal.core.locks import refuse_locked

if TYPE_CHECKING:
    from portal.core.models import User

COUNTER = {Ballot.Choice.YES: "votes_yes", Ballot.Choice.NO: "votes_no", Ballot.Choice.ABSTAIN: "votes_abstain"}


def _refuse_unless_in_session(meeting: Meeting) -> None:
    """Votes and speeches happen at a held meeting (attendance recorded) whose minutes are still a draft."""
    refuse_locked(meeting, _("The minutes are approved: the votes are the record now."))
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record the attendance first: only members present can vote."), code="not_held")
    status = Minutes.objects.filter(meeting=meeting).values_list("status", flat=True).first()
    if status not in (None, Minutes.Status.DRAFT):
        raise ValidationError(_("The minutes have been submitted: the meeting room is closed."), code="submitted")


def present_members(meeting: Meeting):
    """The members marked present at `meeting`."""
    return CouncilMember.objects.filter(attendance__meeting=meeting, attendance__present=True)


@transaction.atomic
def motion_propose(
    *,
    item: AgendaItem,
    text: str,
    by: User,
    secret: bool = False,
    amends: Motion | None = None,
    proposed_by: CouncilMember | None = None,
) -> Motion:
    """Put a motion on an item, or an amendment to its motion (proposed before the motion is voted)."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=item.meeting_id)
    require_meeting_staff(meeting.council, by)
    _refuse_unless_in_session(meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the motion.")})
    if proposed_by is not None and proposed_by.council_id != meeting.council_id:
        raise ValidationError({"proposed_by": _("Only members of this council can propose.")})
    if amends is not None:
        amends = Motion.objects.select_for_update().get(pk=amends.pk)
        if amends.agenda_item_id != item.pk or amends.is_amendment:
            raise ValidationError(_("An amendment amends this item's motion."), code="amends")
        if amends.status != Motion.Status.PROPOSED:
            raise ValidationError(_("The motion has been put to the vote: it can no longer be amended."), code="amends")
    elif item.motions.filter(amends__isnull=True).exists():
        raise ValidationError({"text": _("This item has its motion already: propose an amendment to it.")})
    motion = Motion.objects.create(
        agenda_item=item, amends=amends, text=text, secret=secret, proposed_by=proposed_by, original_text=text
    )
    audit(actor=by, action="motion_propose", obj=motion, community_id=meeting.council.community_id)
    return motion


@transaction.atomic
def motion_open(*, motion: Motion, by: User) -> Motion:
    """Open the vote. One open vote per meeting; a motion's amendments are voted first."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=motion.agenda_item.meeting_id)
    require_meeting_staff(meeting.council, by)
    _refuse_unless_in_session(meeting)
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.status != Motion.Status.PROPOSED:
        raise ValidationError(_("This vote has been opened already."), code="status")
    if Motion.objects.filter(agenda_item__meeting=meeting, status=Motion.Status.OPEN).exists():
        raise ValidationError(_("Another vote is open: close it first."), code="one_open")
    if motion.is_amendment and motion.amends.status != Motion.Status.PROPOSED:
        raise ValidationError(_("The motion has been put to the vote: its amendments can no longer be."))
    if not motion.is_amendment and motion.amendments.exclude(status=Motion.Status.CLOSED).exists():
        raise ValidationError(_("Vote on the amendments first."), code="amendments_first")
    motion.status = Motion.Status.OPEN
    motion.opened_at = timezone.now()
    motion.save(update_fields=["status", "opened_at"])
    Meeting.objects.filter(pk=meeting.pk).update(current_item=motion.agenda_item_id)
    audit(actor=by, action="motion_open", obj=motion, community_id=meeting.council.community_id)
    return motion


@transaction.atomic
def motion_close(*, motion: Motion, by: User) -> Motion:
    """Close the vote and compute the result; a carried amendment rewrites its motion; a motion's totals go into
    the minutes."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=motion.agenda_item.meeting_id)
    require_meeting_staff(meeting.council, by)
    _refuse_unless_in_session(meeting)
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.status != Motion.Status.OPEN:
        raise ValidationError(_("Only an open vote can be closed."), code="status")
    quorum = meeting.quorum()
    motion.status = Motion.Status.CLOSED
    motion.closed_at = timezone.now()
    motion.present = quorum.present
    motion.quorum_reached = quorum.reached
    motion.carried = quorum.reached and motion.votes_yes * 2 > motion.votes_cast
    motion.save(update_fields=["status", "closed_at", "present", "quorum_reached", "carried"])
    if motion.is_amendment and motion.carried:
        Motion.objects.filter(pk=motion.amends_id).update(text=motion.text)
    if not motion.is_amendment:
        minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.DRAFT).first()
        if minutes is not None:
            minutes_votes_from_motions(minutes)
    audit(
        actor=by,
        action="motion_close",
        obj=motion,
        community_id=meeting.council.community_id,
        summary=f"{motion.votes_yes}/{motion.votes_no}/{motion.votes_abstain} carried={motion.carried}",
    )
    return motion


def minutes_votes_from_motions(minutes: Minutes) -> int:
    """Write each closed motion's totals into its item of the (draft) minutes, in place of typed ones; an empty
    decision starts with the motion's text. Returns how many items were written."""
    written = 0
    motions = Motion.objects.filter(
        agenda_item__meeting_id=minutes.meeting_id, amends__isnull=True, status=Motion.Status.CLOSED
    )
    for motion in motions:
        item = MinutesItem.objects.filter(minutes=minutes, agenda_item_id=motion.agenda_item_id).first()
        if item is None:
            item = MinutesItem(minutes=minutes, agenda_item_id=motion.agenda_item_id)
        item.votes_for, item.votes_against, item.votes_abstain = motion.votes_yes, motion.votes_no, motion.votes_abstain
        if not item.decision.strip():
            item.decision = motion.text
        item.save()  # a version in the minutes' history
        written += 1
    return written


def items_with_votes(minutes: Minutes) -> set[int]:
    """The minutes items whose totals come from a vote in the meeting room (not typed)."""
    return set(
        MinutesItem.objects.filter(
            minutes=minutes,
            agenda_item__motions__amends__isnull=True,
            agenda_item__motions__status=Motion.Status.CLOSED,
        ).values_list("pk", flat=True)
    )


def _member_may_be_entered_by(member: CouncilMember, by: User, council) -> None:
    """A member with an account votes or asks to speak themselves; the secretary acts for a member without one."""
    if member.user_id is not None and member.user_id == by.pk:
        return
    if council.may_run_meetings(by) and member.user_id is None:
        return
    if council.may_run_meetings(by):
        raise ValidationError(
            {"member": _("This member has a portal account and votes on their own phone.")}, code="own_phone"
        )
    raise PermissionDenied


@transaction.atomic
def ballot_cast(*, motion: Motion, member: CouncilMember, choice: str, by: User) -> Ballot:
    """One present member's vote on an open motion. The motion's row is locked while the count moves on."""
    motion = Motion.objects.select_for_update().select_related("agenda_item__meeting__council").get(pk=motion.pk)
    meeting = motion.agenda_item.meeting
    council = meeting.council
    if member.council_id != council.pk:
        raise PermissionDenied
    _member_may_be_entered_by(member, by, council)
    refuse_locked(motion, _("The minutes are approved: the votes are the record now."))
    if choice not in COUNTER:
        raise ValidationError({"choice": _("Choose yes, no or abstain.")}, code="choice")
    if motion.status != Motion.Status.OPEN:
        raise ValidationError(_("This vote is not open."), code="not_open")
    if not Attendance.objects.filter(meeting=meeting, member=member, present=True).exists():
        raise ValidationError(_("Only members present can vote."), code="absent")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                motion=motion, member=member, choice="" if motion.secret else choice, entered_by=by
            )
    except IntegrityError:
        raise ValidationError(_("This member has voted already."), code="voted") from None
    Motion.objects.filter(pk=motion.pk).update(**{COUNTER[choice]: F(COUNTER[choice]) + 1})
    audit(actor=by, action="ballot_cast", obj=ballot, community_id=council.community_id)
    return ballot


@transaction.atomic
def item_show(*, item: AgendaItem, by: User) -> Meeting:
    """Put an agenda item on the meeting room's screen."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=item.meeting_id)
    require_meeting_staff(meeting.council, by)
    _refuse_unless_in_session(meeting)
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    return meeting


@transaction.atomic
def speaker_request(*, item: AgendaItem, member: CouncilMember, by: User) -> Speaker:
    """A member asks to speak on an item (the secretary adds a member without an account); last in the list."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=item.meeting_id)
    if member.council_id != meeting.council_id:
        raise PermissionDenied
    _member_may_be_entered_by(member, by, meeting.council)
    _refuse_unless_in_session(meeting)
    if not Attendance.objects.filter(meeting=meeting, member=member, present=True).exists():
        raise ValidationError(_("Only members present can speak."), code="absent")
    if item.speakers.filter(member=member, status__in=Speaker.ACTIVE).exists():
        raise ValidationError(_("This member is on the speakers list already."), code="listed")
    position = (item.speakers.aggregate(m=Max("position"))["m"] or 0) + 1
    speaker = Speaker.objects.create(agenda_item=item, member=member, position=position)
    audit(actor=by, action="speaker_request", obj=speaker, community_id=meeting.council.community_id)
    return speaker


SPEAKER_STEPS = ("up", "down", "start", "stop", "withdraw")


def _stop(speaker: Speaker, now) -> None:
    speaker.seconds_used += int((now - speaker.started_at).total_seconds()) if speaker.started_at else 0
    speaker.status = Speaker.Status.DONE
    speaker.save(update_fields=["status", "seconds_used"])


@transaction.atomic
def speaker_step(*, speaker: Speaker, step: str, by: User) -> Speaker:
    """The secretary orders the list (up, down), marks who speaks (start; the one speaking before is done), stops
    the clock (stop) or strikes a request (withdraw; a member may withdraw their own)."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=speaker.agenda_item.meeting_id)
    speaker = Speaker.objects.select_for_update().select_related("member").get(pk=speaker.pk)
    own = speaker.member.user_id is not None and speaker.member.user_id == by.pk
    if not (meeting.council.may_run_meetings(by) or (own and step == "withdraw")):
        raise PermissionDenied
    _refuse_unless_in_session(meeting)
    if step not in SPEAKER_STEPS:
        raise ValidationError(_("Unknown step."), code="step")
    waiting = speaker.status == Speaker.Status.WAITING
    now = timezone.now()
    if step in ("up", "down"):
        if not waiting:
            raise ValidationError(_("Only a waiting speaker can be moved."), code="status")
        queue = list(speaker.agenda_item.speakers.filter(status=Speaker.Status.WAITING).order_by("position", "pk"))
        at = next(i for i, s in enumerate(queue) if s.pk == speaker.pk)
        other = at - 1 if step == "up" else at + 1
        if 0 <= other < len(queue):
            queue[at], queue[other] = queue[other], queue[at]
            for position, s in enumerate(queue, start=1):
                if s.position != position:
                    Speaker.objects.filter(pk=s.pk).update(position=position)
    elif step == "start":
        if not waiting:
            raise ValidationError(_("Only a waiting speaker can be given the floor."), code="status")
        for current in Speaker.objects.select_for_update().filter(
            agenda_item__meeting=meeting, status=Speaker.Status.SPEAKING
        ):
            _stop(current, now)
        speaker.status, speaker.started_at = Speaker.Status.SPEAKING, now
        speaker.save(update_fields=["status", "started_at"])
        Meeting.objects.filter(pk=meeting.pk).update(current_item=speaker.agenda_item_id)
    elif step == "stop":
        if speaker.status != Speaker.Status.SPEAKING:
            raise ValidationError(_("This member is not speaking."), code="status")
        _stop(speaker, now)
    elif step == "withdraw":
        if not waiting:
            raise ValidationError(_("Only a waiting request can be withdrawn."), code="status")
        speaker.status = Speaker.Status.WITHDRAWN
        speaker.save(update_fields=["status"])
    audit(actor=by, action=f"speaker_{step}", obj=speaker, community_id=meeting.council.community_id)
    return speaker
