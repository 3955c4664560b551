"""The council staff's work in the browser: councils, meetings, attendance, minutes, triage and follow-up.

The core's gate (portal.core.access): sign in first, then the role's permission (403 without it); every object
loads through the staff scope (another community's record is a 404); which council a secretary or convenor works
on is set on the council (403 for the others).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import actions
from councils.cadence import cadence_for
from councils.forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    ElectionForm,
    MeetingForm,
    MergeForm,
    NominationForm,
    PledgeForm,
    ProgressForm,
    ReplyForm,
    SuggestionToAgendaForm,
)
from councils.models import Council, Meeting, Minutes, Nomination, Resolution, Suggestion
from councils.views.common import flash_errors, staff_council, staff_meeting
from councils.views.public import resolution_page, suggestion_page
from portal.core.access import staff_object, staff_required
from portal.core.requests import form_errors, paginate


@staff_required("councils.view_council")
def work_index(request: HttpRequest) -> HttpResponse:
    """The council staff's desk: the councils with their rhythm, minutes waiting, new suggestions, overdue resolutions."""
    user = request.user
    councils = list(Council.objects.for_staff(user).select_related("community", "convenor", "secretary"))
    minutes_waiting = (
        Minutes.objects.for_staff(user)
        .filter(status__in=(Minutes.Status.SUBMITTED, Minutes.Status.APPROVED))
        .select_related("meeting__council")
        .order_by("meeting__starts_at")[:20]
    )
    upcoming = (
        Meeting.objects.for_staff(user)
        .filter(status__in=(Meeting.Status.DRAFT, Meeting.Status.SCHEDULED))
        .select_related("council")
        .order_by("starts_at")[:20]
    )
    suggestion_counts = dict(
        Suggestion.objects.for_staff(user).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    overdue = (
        Resolution.objects.for_staff(user)
        .overdue()
        .select_related("council", "executor_unit")
        .order_by("deadline")[:20]
    )
    return render(
        request,
        "councils/work.html",
        {
            "cadences": cadence_for(councils),
            "minutes_waiting": minutes_waiting,
            "upcoming": upcoming,
            "new_suggestions": suggestion_counts.get(Suggestion.Status.SUBMITTED, 0),
            "accepted_suggestions": suggestion_counts.get(Suggestion.Status.ACCEPTED, 0),
            "overdue": overdue,
            "may_setup": not councils and user.community_id and user.has_perm("councils.change_council"),
        },
    )


@staff_required("councils.change_council")
@require_POST
def councils_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.community_id:
        raise PermissionDenied
    actions.councils_ensure(community=request.user.community)
    messages.success(request, _("The three councils are set up."))
    return redirect("councils:work")


@staff_required("councils.view_council")
def meeting_create(request: HttpRequest, council_pk: int) -> HttpResponse:
    """Call a meeting: regular, ad hoc or emergency (an emergency notice goes out at once)."""
    council = staff_council(request, council_pk)
    if not council.may_run_meetings(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, initial={"place": council.community.address})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.meeting_create(council=council, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The meeting is called."))
            return redirect("councils:meeting", meeting.pk)
    return render(request, "councils/meeting_form.html", {"form": form, "council": council})


@staff_required("councils.view_meeting")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, staff_meeting(request, pk))


def _meeting_page(request: HttpRequest, meeting: Meeting, **bound_forms) -> HttpResponse:
    """A meeting: agenda, notice, attendance and quorum, and the way to its minutes. `bound_forms` put back a form
    that was refused, as typed and with the reason next to its field, in place of the empty one."""
    council = meeting.council
    day = timezone.localtime(meeting.starts_at).date()
    members = list(council.members.active_on(day).select_related("unit").order_by("role", "name"))
    present = set(meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    if "attendance_form" in bound_forms:  # the ticks sent, not those recorded
        present = {int(v) for v in bound_forms["attendance_form"].data.getlist("present") if v.isdecimal()}
    minutes = Minutes.objects.filter(meeting=meeting).first()
    context = {
        "meeting": meeting,
        "council": council,
        "agenda": meeting.agenda.select_related("suggestion").prefetch_related("surveys"),
        "members": members,
        "present": present,
        "quorum": meeting.quorum(),
        "minutes": minutes,
        "may_run": council.may_run_meetings(request.user),
        "is_secretary": council.is_secretary(request.user),
        "agenda_form": AgendaItemForm(),
        "cancel_form": CancelForm(),
        "attendance_form": AttendanceForm(members=members, initial={"present": [str(p) for p in present]}),
        **bound_forms,
    }
    return render(request, "councils/meeting.html", context)


def _meeting_post(request: HttpRequest, pk: int, handler, form_class=None, form_name: str = "") -> HttpResponse:
    """A meeting's secretary or convenor changes it: `handler(meeting, form)` returns the success message. With a
    `form_class` (built as form_class(request.POST, meeting)), a refused form comes back on the meeting's page as
    typed, with the reason next to its field; a refused button is a message above the page."""
    meeting = staff_meeting(request, pk)
    if not meeting.council.may_run_meetings(request.user):
        raise PermissionDenied
    form = form_class(request.POST, meeting) if form_class else None
    try:
        if form is not None and not form.is_valid():
            return _meeting_page(request, meeting, **{form_name: form})
        text = handler(meeting, form)
    except ValidationError as exc:
        if form is None:
            flash_errors(request, exc)
            return redirect("councils:meeting", meeting.pk)
        form_errors(form, exc)
        return _meeting_page(request, meeting, **{form_name: form})
    if text:
        messages.success(request, text)
    return redirect("councils:meeting", meeting.pk)


@staff_required("councils.view_meeting")
@require_POST
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    def handler(meeting, form):
        actions.meeting_schedule(meeting=meeting, by=request.user)
        return _("The meeting is scheduled.")

    return _meeting_post(request, pk, handler)


@staff_required("councils.view_meeting")
@require_POST
def meeting_notice(request: HttpRequest, pk: int) -> HttpResponse:
    def handler(meeting, form):
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError(_("Schedule the meeting first."))
        sent = actions.meeting_send_notice(meeting=meeting, by=request.user)
        return _("Notice sent to %(n)d people.") % {"n": sent} if sent else _("The notice had been sent already.")

    return _meeting_post(request, pk, handler)


@staff_required("councils.view_meeting")
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def handler(meeting, form):
        actions.meeting_cancel(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
        return _("The meeting is cancelled.")

    return _meeting_post(request, pk, handler, lambda data, meeting: CancelForm(data), "cancel_form")


@staff_required("councils.view_council")
def pledge_create(request: HttpRequest, council_pk: int) -> HttpResponse:
    """共驻共建: record a unit's pledge of rooms, funds or supplies, and what it delivered."""
    council = staff_council(request, council_pk)
    if not council.may_run_meetings(request.user) or council.kind != Council.Kind.JOINT:
        raise PermissionDenied
    form = PledgeForm(request.POST or None, council=council, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            actions.resource_pledge_add(council=council, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The pledge is recorded."))
            return redirect("councils:council", council.pk)
    return render(request, "councils/pledge_form.html", {"form": form, "council": council})


@staff_required("councils.view_meeting")
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handler(meeting, form):
        actions.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        return _("Added to the agenda.")

    return _meeting_post(request, pk, handler, lambda data, meeting: AgendaItemForm(data), "agenda_form")


@staff_required("councils.view_meeting")
@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    def handler(meeting, form):
        actions.attendance_record(meeting=meeting, present_member_ids=form.cleaned_data["present"], by=request.user)
        quorum = meeting.quorum()
        if quorum.reached:
            return _("Attendance recorded: %(present)d of %(members)d present, quorum reached.") % vars(quorum)
        return _(
            "Attendance recorded: %(present)d of %(members)d present. No quorum: no resolution can be passed."
        ) % vars(quorum)

    def form_class(data, meeting):
        day = timezone.localtime(meeting.starts_at).date()
        return AttendanceForm(data, members=meeting.council.members.active_on(day))

    return _meeting_post(request, pk, handler, form_class, "attendance_form")


@staff_required("councils.view_council")
def nomination_create(request: HttpRequest, council_pk: int) -> HttpResponse:
    """Record a nomination: election candidate, joint nomination with its co-signers, or party nomination."""
    council = staff_council(request, council_pk)
    if not council.may_run_meetings(request.user):
        raise PermissionDenied
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.nomination_create(council=council, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The nomination is recorded."))
            return redirect("councils:council", council.pk)
    return render(request, "councils/nomination_form.html", {"form": form, "council": council})


@staff_required("councils.view_meeting")
def election(request: HttpRequest, pk: int) -> HttpResponse:
    """An election at a held meeting: the votes per candidate; the winners take the seats."""
    meeting = staff_meeting(request, pk)
    council = meeting.council
    if not council.may_run_meetings(request.user):
        raise PermissionDenied
    if meeting.status != Meeting.Status.HELD:
        messages.error(request, _("Record the attendance first: an election happens at a held meeting."))
        return redirect("councils:meeting", meeting.pk)
    pending = council.nominations.filter(status=Nomination.Status.PENDING).order_by("role", "nominee")
    form = ElectionForm(request.POST or None, nominations=pending)
    if request.method == "POST" and form.is_valid():
        try:
            winners = actions.election_record(
                meeting=meeting, votes=form.votes(), seats=form.cleaned_data["seats"], by=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Elected: %(names)s.") % {"names": "、".join(w.name for w in winners) or "—"})
            return redirect("councils:council", council.pk)
    return render(request, "councils/election_form.html", {"form": form, "meeting": meeting, "council": council})


@staff_required("councils.change_suggestion")
def triage_list(request: HttpRequest) -> HttpResponse:
    """Suggestions to triage, newest first, by status."""
    status = request.GET.get("status", Suggestion.Status.SUBMITTED)
    qs = (
        Suggestion.objects.for_staff(request.user)
        .select_related("proposer", "resolution")
        .order_by("-created_at", "-id")
    )
    if status in Suggestion.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("q"):
        q = request.GET["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(tracking_number__iexact=q))
    page = paginate(request, qs)
    return render(
        request, "councils/triage_list.html", {"page": page, "statuses": Suggestion.Status.choices, "current": status}
    )


@staff_required("councils.change_suggestion")
@require_POST
def suggestion_triage(request: HttpRequest, number: str, step: str) -> HttpResponse:
    """Reply, decline, close, merge or put on an agenda. A refused step shows the suggestion's page again with what
    was typed and the reason next to the field."""
    suggestion = staff_object(Suggestion.objects.all(), request.user, tracking_number=number)
    user = request.user
    if step == "merge":
        form, name = MergeForm(request.POST), "merge_form"
    elif step == "agenda":
        meetings = Meeting.objects.for_staff(user).filter(status__in=(Meeting.Status.DRAFT, Meeting.Status.SCHEDULED))
        form, name = SuggestionToAgendaForm(request.POST, meetings=meetings), "agenda_form"
    else:
        form, name = ReplyForm(request.POST), "reply_form"
        form.fields["reply"].required = step != "close"  # a note on closing is optional
    if not form.is_valid():
        return suggestion_page(request, number, **{name: form})
    try:
        if step == "reply":
            actions.suggestion_reply(suggestion=suggestion, reply=form.cleaned_data["reply"], by=user)
            messages.success(request, _("Reply sent."))
        elif step == "decline":
            actions.suggestion_decline(suggestion=suggestion, reply=form.cleaned_data["reply"], by=user)
            messages.success(request, _("Declined with the reason."))
        elif step == "merge":
            into = Suggestion.objects.for_staff(user).filter(tracking_number=form.cleaned_data["into"].strip()).first()
            if into is None:
                raise ValidationError({"into": _("No suggestion of this community has that tracking number.")})
            actions.suggestion_merge(suggestion=suggestion, into=into, by=user)
            messages.success(request, _("Merged."))
            return redirect("councils:suggestion", into.tracking_number)
        elif step == "agenda":
            meeting = form.cleaned_data["meeting"]
            actions.agenda_item_add(
                meeting=meeting, title=suggestion.title, description=suggestion.text, suggestion=suggestion, by=user
            )
            messages.success(request, _("Put on the agenda of %(meeting)s.") % {"meeting": meeting.title})
        elif step == "close":
            actions.suggestion_close(suggestion=suggestion, by=user, note=form.cleaned_data["reply"])
            messages.success(request, _("Closed; the proposer is asked to rate the outcome."))
    except ValidationError as exc:
        form_errors(form, exc)
        return suggestion_page(request, number, **{name: form})
    except PermissionDenied:
        messages.error(request, _("Only the council's secretary or convenor can change that meeting's agenda."))
    return redirect("councils:suggestion", number)


@staff_required("councils.add_resolutionprogress")
@require_POST
def resolution_progress(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = staff_object(Resolution.objects.all(), request.user, pk=pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.resolution_progress_add(resolution=resolution, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("councils:resolution", resolution.pk)
    return resolution_page(request, resolution.pk, form)
