"""What the meeting room sees: the projector (staff of the community, or whoever holds its signed link) and each
member's phone (vote, ask to speak). Both refresh themselves by htmx polling (`hx-trigger="every …"`): an htmx
request gets only the live part of the page; no inline script (CSP).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import actions
from councils.forms import VoteForm
from councils.models import Ballot, CouncilMember, Meeting, Motion, Speaker
from councils.views.common import flash_errors, staff_meeting
from portal.core.access import staff_required

PROJECTOR_SALT = "councils.projector"
PROJECTOR_MAX_AGE = 24 * 3600  # a signed link opens the screen for a day: the meeting, not the council's term


def projector_token(meeting: Meeting) -> str:
    return signing.dumps(meeting.pk, salt=PROJECTOR_SALT)


def room_state(meeting: Meeting) -> dict:
    """The item on the screen, the motion being (or last) voted on it, its speakers and the live count."""
    item = meeting.current_item or meeting.agenda.order_by("order", "pk").first()
    open_motion = (
        Motion.objects.filter(agenda_item__meeting=meeting, status=Motion.Status.OPEN)
        .select_related("agenda_item", "amends")
        .first()
    )
    if open_motion is not None:
        item = open_motion.agenda_item
    motion = open_motion
    if motion is None and item is not None:
        motion = (
            Motion.objects.filter(agenda_item=item)
            .exclude(status=Motion.Status.PROPOSED)
            .select_related("amends")
            .order_by("-opened_at", "-pk")
            .first()
        ) or Motion.objects.filter(agenda_item=item, amends__isnull=True).first()
    speakers = []
    if item is not None:
        speakers = list(
            Speaker.objects.filter(agenda_item=item, status__in=(*Speaker.ACTIVE, Speaker.Status.DONE))
            .select_related("member")
            .order_by("position", "pk")
        )
    quorum = meeting.quorum()
    return {
        "item": item,
        "motion": motion,
        "speaking": next((s for s in speakers if s.status == Speaker.Status.SPEAKING), None),
        "waiting": [s for s in speakers if s.status == Speaker.Status.WAITING],
        "spoke": [s for s in speakers if s.status == Speaker.Status.DONE],
        "quorum": quorum,
        "not_voted": max(quorum.present - motion.votes_cast, 0) if motion is not None else 0,
    }


def _projector(request: HttpRequest, meeting: Meeting, poll_url: str) -> HttpResponse:
    context = {"meeting": meeting, "state": room_state(meeting), "poll_url": poll_url}
    if request.headers.get("HX-Request"):
        return render(request, "councils/_projector_live.html", context)
    return render(request, "councils/projector.html", context)


@staff_required("councils.view_meeting")
def projector(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting room's screen, for staff of the community (1280 px and up, large type)."""
    meeting = staff_meeting(request, pk)
    return _projector(request, meeting, request.path)


def projector_signed(request: HttpRequest, token: str) -> HttpResponse:
    """The same screen for the computer at the projector, by a signed link valid for a day (no account needed)."""
    try:
        pk = signing.loads(token, salt=PROJECTOR_SALT, max_age=PROJECTOR_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    return _projector(request, meeting, request.path)


def _my_seat(request: HttpRequest, meeting: Meeting) -> CouncilMember:
    """The signed-in member's seat at this meeting, if they are marked present; 404 for anyone else."""
    member = (
        CouncilMember.objects.filter(
            council_id=meeting.council_id, user=request.user, attendance__meeting=meeting, attendance__present=True
        )
        .order_by("pk")
        .first()
    )
    if member is None:
        raise Http404
    return member


@login_required
def member_room(request: HttpRequest, pk: int) -> HttpResponse:
    """A present member's phone: the motion open for the vote, their vote, asking to speak."""
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    member = _my_seat(request, meeting)
    state = room_state(meeting)
    motion = state["motion"]
    mine = None
    if motion is not None:
        mine = Ballot.objects.filter(motion=motion, member=member).first()
    my_request = None
    if state["item"] is not None:
        my_request = Speaker.objects.filter(agenda_item=state["item"], member=member, status__in=Speaker.ACTIVE).first()
    context = {
        "meeting": meeting,
        "member": member,
        "state": state,
        "mine": mine,
        "my_request": my_request,
        "vote_form": VoteForm(),
        "in_session": meeting.status == Meeting.Status.HELD and not meeting.is_locked,
    }
    if request.headers.get("HX-Request"):
        return render(request, "councils/_member_live.html", context)
    return render(request, "councils/member_room.html", context)


@login_required
@require_POST
def member_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A present member votes on an open motion from their phone."""
    motion = get_object_or_404(Motion.objects.select_related("agenda_item__meeting"), pk=pk)
    meeting = motion.agenda_item.meeting
    member = _my_seat(request, meeting)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, no or abstain."))
    else:
        try:
            actions.ballot_cast(motion=motion, member=member, choice=form.cleaned_data["choice"], by=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your vote is recorded."))
    return redirect("councils:member_room", meeting.pk)


@login_required
@require_POST
def member_speak(request: HttpRequest, pk: int) -> HttpResponse:
    """A present member asks to speak on the item on the screen, or withdraws their request."""
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    member = _my_seat(request, meeting)
    item = room_state(meeting)["item"]
    try:
        if item is None:
            raise ValidationError(_("Nothing is on the agenda."))
        waiting = Speaker.objects.filter(agenda_item=item, member=member, status=Speaker.Status.WAITING).first()
        if "withdraw" in request.POST:
            if waiting is not None:
                actions.speaker_step(speaker=waiting, step="withdraw", by=request.user)
                messages.success(request, _("Your request to speak is withdrawn."))
        else:
            actions.speaker_request(item=item, member=member, by=request.user)
            messages.success(request, _("You are on the speakers list."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("councils:member_room", meeting.pk)
