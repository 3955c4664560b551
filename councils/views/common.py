"""What the councils views share: who works for a community, the staff's way to a council, meeting or minutes,
the context of the minutes and of a suggestion's triage forms, and a ValidationError shown as messages.

The gate is the core's (portal.core.access): the view is decorated with `staff_required(<permission>)` (sign in
first, 403 without the permission) and loads its record with `staff_object` (404 outside the staff's community).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest

from councils.forms import MergeForm, ReplyForm, SuggestionToAgendaForm
from councils.models import Council, Meeting, Minutes, Motion, Suggestion
from councils.survey_results import agenda_summaries
from portal.core.access import is_community_staff, sees_all_communities, staff_object
from portal.core.requests import error_messages


def staff_of(user, community_id: int) -> bool:
    """Whether `user` works for this community (or for the whole district)."""
    return sees_all_communities(user) or (is_community_staff(user) and user.community_id == community_id)


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Each message of a ValidationError as an error message on the next page."""
    for text in error_messages(exc):
        messages.error(request, text)


def staff_council(request: HttpRequest, pk: int) -> Council:
    """A council of the staff member's community (404 for any other)."""
    return staff_object(Council.objects.select_related("community"), request.user, pk=pk)


def staff_meeting(request: HttpRequest, pk: int) -> Meeting:
    """A meeting of the staff member's community (404 for any other)."""
    return staff_object(Meeting.objects.select_related("council__community", "council__convenor"), request.user, pk=pk)


def staff_minutes(request: HttpRequest, pk: int) -> Minutes:
    """Minutes of the staff member's community (404 for any other)."""
    return staff_object(Minutes.objects.select_related("meeting__council"), request.user, pk=pk)


def minutes_context(minutes: Minutes) -> dict:
    """What the minutes' pages (reading, printing, the PDF, the meeting's export) show."""
    meeting = minutes.meeting
    votes_held = Motion.objects.filter(status=Motion.Status.CLOSED).order_by("closed_at", "pk")
    items = list(
        minutes.items.select_related("agenda_item__suggestion", "resolution", "executor_unit")
        .prefetch_related(Prefetch("agenda_item__motions", queryset=votes_held, to_attr="votes_held"))
        .order_by("agenda_item__order", "pk")
    )
    surveys = agenda_summaries(item.agenda_item_id for item in items)
    for item in items:
        item.surveys = surveys.get(item.agenda_item_id, [])
    attendance = list(meeting.attendance.select_related("member__unit").order_by("member__role", "member__name"))
    return {
        "present_names": [a.member.name for a in attendance if a.present],
        "minutes": minutes,
        "meeting": meeting,
        "council": meeting.council,
        "items": items,
        "attendance": attendance,
        "quorum": meeting.quorum(),
        "addenda": minutes.addenda.select_related("created_by"),
        "attachments": minutes.attachments.all(),
    }


def triage_context(suggestion: Suggestion) -> dict:
    """The forms staff use on a suggestion's page."""
    meetings = (
        Meeting.objects.filter(council__community_id=suggestion.community_id)
        .filter(status__in=(Meeting.Status.DRAFT, Meeting.Status.SCHEDULED))
        .select_related("council")
        .order_by("starts_at")
    )
    similar = (
        Suggestion.objects.filter(community_id=suggestion.community_id, category=suggestion.category)
        .exclude(pk=suggestion.pk)
        .exclude(status__in=(Suggestion.Status.MERGED, Suggestion.Status.CLOSED, Suggestion.Status.DECLINED))
        .order_by("-created_at")[:5]
    )
    return {
        "similar": similar,
        "reply_form": ReplyForm(initial={"reply": suggestion.reply}),
        "merge_form": MergeForm(),
        "agenda_form": SuggestionToAgendaForm(meetings=meetings),
        "may_triage": suggestion.status in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED),
    }
