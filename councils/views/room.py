"""The meeting room, run by the council's secretary (or convenor): motions and amendments, opening and closing the
votes, the votes of members without a portal account, the speakers list, and what the projector shows.

The core's gate (portal.core.access): sign in first, then `councils.view_meeting` (403 without it); the meeting
loads through the staff scope (another community's is a 404); only the council's secretary and convenor run it
(403 for other staff). A refused form comes back on the room's page as typed with the reason next to its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import actions
from councils.forms import BallotForm, MotionForm, SpeakerForm, member_choices
from councils.models import AgendaItem, Ballot, Meeting, Motion, Speaker
from councils.views.common import flash_errors, staff_meeting
from councils.views.screen import projector_token, room_state
from portal.core.access import scope_to_staff, staff_required
from portal.core.requests import form_errors


def _running(request: HttpRequest, meeting: Meeting) -> Meeting:
    if not meeting.council.may_run_meetings(request.user):
        raise PermissionDenied
    return meeting


@staff_required("councils.view_meeting")
def meeting_room(request: HttpRequest, pk: int) -> HttpResponse:
    return _room_page(request, _running(request, staff_meeting(request, pk)))


def _room_page(request: HttpRequest, meeting: Meeting, *, bound: dict | None = None) -> HttpResponse:
    """The secretary's page. `bound`: {"form": a refused form, "key": where it belongs} puts it back as typed."""
    present_qs = actions.present_members(meeting)
    present = list(present_qs.order_by("role", "name"))
    choices = member_choices(present)
    items = list(
        meeting.agenda.prefetch_related(
            Prefetch("motions", queryset=Motion.objects.select_related("proposed_by").order_by("created_at", "pk")),
            Prefetch(
                "speakers",
                queryset=Speaker.objects.select_related("member")
                .exclude(status=Speaker.Status.WITHDRAWN)
                .order_by("position", "pk"),
            ),
        ).order_by("order", "pk")
    )
    bound = bound or {}
    rows = []
    for item in items:
        motions = list(item.motions.all())
        main = next((m for m in motions if not m.amends_id), None)
        key_motion, key_amend, key_speaker = f"motion-{item.pk}", f"amend-{item.pk}", f"speaker-{item.pk}"
        rows.append(
            {
                "item": item,
                "motion": main,
                "amendments": [m for m in motions if m.amends_id],
                "speakers": list(item.speakers.all()),
                "motion_form": bound["form"]
                if bound.get("key") in (key_motion, key_amend)
                else MotionForm(
                    initial={"item": item.pk, "amends": main.pk if main else None},
                    members=present_qs,
                    choices=choices,
                    auto_id=motion_ids(item),
                ),
                "speaker_form": bound["form"]
                if bound.get("key") == key_speaker
                else SpeakerForm(
                    initial={"item": item.pk}, members=present_qs, choices=choices, auto_id=speaker_ids(item)
                ),
            }
        )
    open_motion = Motion.objects.filter(agenda_item__meeting=meeting, status=Motion.Status.OPEN).first()
    voted = set()
    if open_motion is not None:
        voted = set(Ballot.objects.filter(motion=open_motion).values_list("member_id", flat=True))
    ballot_form = bound["form"] if bound.get("key") == "ballot" else None
    if ballot_form is None:  # the members without an account who have not voted yet
        waiting = [m for m in present if m.user_id is None and m.pk not in voted]
        ballot_form = BallotForm(members=present_qs, choices=member_choices(waiting))
    context = {
        "meeting": meeting,
        "council": meeting.council,
        "rows": rows,
        "present": present,
        "voted": voted,
        "open_motion": open_motion,
        "ballot_form": ballot_form,
        "quorum": meeting.quorum(),
        "state": room_state(meeting),
        "projector_url": reverse("councils:projector_signed", args=[projector_token(meeting)]),
        "member_url": request.build_absolute_uri(reverse("councils:member_room", args=[meeting.pk])),
        "form": bound.get("form"),  # the refused form, if any (also in its place above)
    }
    return render(request, "councils/meeting_room.html", context)


def motion_ids(item: AgendaItem) -> str:
    """Each item's forms have their own ids (one page shows them all)."""
    return f"id_motion{item.pk}_%s"


def speaker_ids(item: AgendaItem) -> str:
    return f"id_speaker{item.pk}_%s"


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("councils:meeting_room", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@staff_required("councils.view_meeting")
@require_POST
def motion_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the motion on an item, or an amendment to it."""
    meeting = _running(request, staff_meeting(request, pk))
    form = MotionForm(request.POST, members=actions.present_members(meeting))
    item_pk = str(request.POST.get("item", ""))
    item = meeting.agenda.filter(pk=int(item_pk)).first() if item_pk.isdecimal() and len(item_pk) < 10 else None
    if item is None:  # the hidden field was tampered with: nothing typed belongs anywhere
        messages.error(request, _("That item is not on this meeting's agenda."))
        return _back(meeting)
    form.auto_id = motion_ids(item)
    if not form.is_valid():
        return _room_page(request, meeting, bound={"form": form, "key": f"motion-{item.pk}"})
    amends = None
    amends_pk = form.cleaned_data["amends"].strip()
    if amends_pk:
        amends = None
        if amends_pk.isdecimal() and len(amends_pk) < 10:
            amends = Motion.objects.filter(pk=int(amends_pk), agenda_item=item).first()
        if amends is None:  # a hidden field: its error is the form's
            form.add_error(None, _("An amendment amends this item's motion."))
            return _room_page(request, meeting, bound={"form": form, "key": f"motion-{item.pk}"})
    try:
        actions.motion_propose(
            item=item,
            text=form.cleaned_data["text"],
            secret=form.cleaned_data["secret"],
            amends=amends,
            proposed_by=form.cleaned_data["proposed_by"],
            by=request.user,
        )
    except ValidationError as exc:
        form_errors(form, exc)
        return _room_page(request, meeting, bound={"form": form, "key": f"motion-{item.pk}"})
    messages.success(request, _("The amendment is proposed.") if amends else _("The motion is proposed."))
    return _back(meeting, f"item-{item.pk}")


def _staff_motion(request: HttpRequest, pk: int) -> Motion:
    motion = get_object_or_404(
        scope_to_staff(
            Motion.objects.select_related("agenda_item__meeting__council"),
            request.user,
            "agenda_item__meeting__council__community",
        ),
        pk=pk,
    )
    _running(request, motion.agenda_item.meeting)
    return motion


@staff_required("councils.view_meeting")
@require_POST
def motion_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Open or close a vote (buttons: a refusal is a message above the page)."""
    motion = _staff_motion(request, pk)
    try:
        if step == "open":
            actions.motion_open(motion=motion, by=request.user)
            messages.success(request, _("The vote is open."))
        else:
            motion = actions.motion_close(motion=motion, by=request.user)
            messages.success(
                request,
                (
                    _("Carried: %(yes)d for, %(no)d against, %(abstain)d abstaining.")
                    if motion.carried
                    else _("Not carried: %(yes)d for, %(no)d against, %(abstain)d abstaining.")
                )
                % {"yes": motion.votes_yes, "no": motion.votes_no, "abstain": motion.votes_abstain},
            )
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(motion.agenda_item.meeting, f"item-{motion.agenda_item_id}")


@staff_required("councils.view_meeting")
@require_POST
def ballot_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary enters the vote of a present member without a portal account."""
    motion = _staff_motion(request, pk)
    meeting = motion.agenda_item.meeting
    form = BallotForm(request.POST, members=actions.present_members(meeting))
    if form.is_valid():
        try:
            actions.ballot_cast(
                motion=motion, member=form.cleaned_data["member"], choice=form.cleaned_data["choice"], by=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Vote entered for %(name)s.") % {"name": form.cleaned_data["member"].name})
            return _back(meeting, "open-vote")
    return _room_page(request, meeting, bound={"form": form, "key": "ballot"})


@staff_required("councils.view_meeting")
@require_POST
def speaker_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a present member on an item's speakers list."""
    meeting = _running(request, staff_meeting(request, pk))
    form = SpeakerForm(request.POST, members=actions.present_members(meeting))
    item_pk = str(request.POST.get("item", ""))
    item = meeting.agenda.filter(pk=int(item_pk)).first() if item_pk.isdecimal() and len(item_pk) < 10 else None
    if item is None:  # the hidden field was tampered with
        messages.error(request, _("That item is not on this meeting's agenda."))
        return _back(meeting)
    key, form.auto_id = f"speaker-{item.pk}", speaker_ids(item)
    if form.is_valid():
        try:
            actions.speaker_request(item=item, member=form.cleaned_data["member"], by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is on the speakers list.") % {"name": form.cleaned_data["member"].name}
            )
            return _back(meeting, f"item-{item.pk}")
    return _room_page(request, meeting, bound={"form": form, "key": key})


@staff_required("councils.view_meeting")
@require_POST
def speaker_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Order the speakers list, give the floor, stop the clock, strike a request."""
    speaker = get_object_or_404(
        scope_to_staff(
            Speaker.objects.select_related("agenda_item__meeting__council"),
            request.user,
            "agenda_item__meeting__council__community",
        ),
        pk=pk,
    )
    meeting = _running(request, speaker.agenda_item.meeting)
    try:
        actions.speaker_step(speaker=speaker, step=step, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(meeting, f"item-{speaker.agenda_item_id}")


@staff_required("councils.view_meeting")
@require_POST
def item_show(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an agenda item on the screen."""
    item = get_object_or_404(
        scope_to_staff(
            AgendaItem.objects.select_related("meeting__council"), request.user, "meeting__council__community"
        ),
        pk=pk,
    )
    meeting = _running(request, item.meeting)
    try:
        actions.item_show(item=item, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(meeting, f"item-{item.pk}")
