"""The secretary's minutes in the browser: recording with autosave, attachments, the workflow, the export.

The core's gate (portal.core.access): sign in first, then the role's permission (403 without it); every object
loads through the staff scope (another community's record is a 404); which council a secretary or convenor works
on is set on the council (403 for the others).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import actions
from councils.forms import (
    AddendumForm,
    AttachmentForm,
    MinutesForm,
    MinutesItemForm,
    ReturnForm,
)
from councils.models import Minutes
from councils.survey_results import agenda_summaries
from councils.views.common import flash_errors, minutes_context, staff_meeting, staff_minutes
from councils.views.public import minutes_page
from portal.core.access import require_perm, staff_object, staff_required
from portal.core.replica import reads_replica
from portal.core.requests import error_messages, form_errors


def _item_forms(minutes: Minutes, data=None) -> list[tuple]:
    community_id = minutes.meeting.council.community_id
    items = list(minutes.items.select_related("agenda_item__suggestion").order_by("agenda_item__order", "pk"))
    units = MinutesItemForm.unit_choices(community_id) if items else None  # once, not once per item
    voted = actions.items_with_votes(minutes) if items else set()
    forms = []
    for item in items:
        form = MinutesItemForm(
            data, instance=item, prefix=f"item{item.pk}", community_id=community_id, unit_choices=units
        )
        if item.pk in voted:  # the totals of the vote in the meeting room: not typed
            for name in actions.VOTE_FIELDS:
                form.fields[name].disabled = True
                form.fields[name].help_text = _("From the vote in the meeting room.")
        forms.append((item, form))
    return forms


def _typed(value: str) -> str:
    """Text as typed, trimmed; NUL characters (which PostgreSQL cannot store) dropped."""
    return value.replace("\x00", "").strip()


def _collect(forms_by_item, *, lenient: bool) -> dict[int, dict]:
    """Values per item from bound forms. Lenient (autosave): keep the valid fields and always the text."""
    values = {}
    for item, form in forms_by_item:
        if form.is_valid():
            values[item.pk] = dict(form.cleaned_data)
        elif lenient:
            kept = {name: form.cleaned_data[name] for name in form.cleaned_data if name not in form.errors}
            for name in ("discussion", "decision"):
                kept[name] = _typed(form.data.get(form.add_prefix(name), ""))
            values[item.pk] = kept
    return values


@staff_required("councils.view_meeting")
def minutes_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The secretary records the minutes per agenda item; autosaved every 30 s and on every change."""
    meeting = staff_meeting(request, meeting_pk)
    council = meeting.council
    if not council.is_secretary(request.user):
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            raise PermissionDenied
        return redirect("councils:minutes", minutes.pk)
    try:
        minutes = actions.minutes_start(meeting=meeting, by=request.user)
    except ValidationError as exc:  # a meeting still to come, or cancelled: it has no minutes (yet)
        flash_errors(request, exc)
        return redirect("councils:meeting", meeting.pk)
    if minutes.status != Minutes.Status.DRAFT:
        return redirect("councils:minutes", minutes.pk)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        item_forms = _item_forms(minutes, request.POST)
        all_valid = form.is_valid() and all(f.is_valid() for _i, f in item_forms)
        if all_valid:
            try:
                actions.minutes_save_draft(
                    minutes=minutes,
                    by=request.user,
                    summary=form.cleaned_data["summary"],
                    items=_collect(item_forms, lenient=False),
                )
                if "submit" in request.POST:
                    actions.minutes_submit(minutes=minutes, by=request.user)
                    messages.success(request, _("The minutes are submitted to the convenor for approval."))
                    return redirect("councils:minutes", minutes.pk)
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("councils:minutes_edit", meeting.pk)
        else:
            # Keep every character typed: save the text now, show the errors next to the fields.
            actions.minutes_save_draft(
                minutes=minutes,
                by=request.user,
                summary=_typed(request.POST.get("summary", "")),
                items=_collect(item_forms, lenient=True),
            )
            messages.error(request, _("Some fields need attention; your text has been saved."))
    else:
        form = MinutesForm(initial={"summary": minutes.summary})
        item_forms = _item_forms(minutes)
    surveys = agenda_summaries(item.agenda_item_id for item, _f in item_forms)
    for item, _f in item_forms:
        item.surveys = surveys.get(item.agenda_item_id, [])
    return render(
        request,
        "councils/minutes_edit.html",
        {
            "meeting": meeting,
            "council": council,
            "minutes": minutes,
            "form": form,
            "item_forms": item_forms,
            "quorum": meeting.quorum(),
            "problems": actions.minutes_check(minutes),
            "attachments": minutes.attachments.all(),
            "attachment_form": AttachmentForm(),
        },
    )


@staff_required("councils.view_minutes")
@require_POST
def minutes_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a photo or document to draft minutes."""
    minutes = staff_minutes(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.minutes_attach(minutes=minutes, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Attached."))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("councils:minutes_edit", minutes.meeting_id)


@require_POST
def minutes_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx target: save the draft as it is typed; answers with a short status line (htmx swaps only 2xx)."""
    if not request.user.is_authenticated:
        # No redirect to the login page (htmx would paste it into the status line): say what happened.
        text = _("Your session has ended: log in again in another tab, then save. Your text is still on this page.")
        return HttpResponse(render_to_string("councils/_autosave.html", {"error": text}))
    require_perm(request.user, "councils.change_minutes")
    minutes = staff_object(Minutes.objects.select_related("meeting__council"), request.user, pk=pk)
    item_forms = _item_forms(minutes, request.POST)
    try:
        actions.minutes_save_draft(
            minutes=minutes,
            by=request.user,
            summary=_typed(request.POST.get("summary", "")),
            items=_collect(item_forms, lenient=True),
        )
    except ValidationError as exc:
        return HttpResponse(render_to_string("councils/_autosave.html", {"error": error_messages(exc)[0]}))
    minutes.refresh_from_db(fields=["saved_at"])
    context = {"saved_at": minutes.saved_at, "problems": actions.minutes_check(minutes), "oob": True}
    return HttpResponse(render_to_string("councils/_autosave.html", context))


@staff_required("councils.view_minutes")
@require_POST
def minutes_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """submit / approve / return / publish, each one action."""
    minutes = staff_minutes(request, pk)
    user = request.user
    if step == "return":  # the one step with something typed: refused, it comes back with the note as typed
        if not minutes.meeting.council.is_convenor(user):
            raise PermissionDenied  # before the form: who may not return minutes learns nothing from its messages
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                actions.minutes_return(minutes=minutes, by=user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Returned to the secretary."))
                return redirect("councils:minutes", minutes.pk)
        return minutes_page(request, minutes, return_form=form)
    try:
        if step == "submit":
            actions.minutes_submit(minutes=minutes, by=user)
            messages.success(request, _("The minutes are submitted to the convenor for approval."))
        elif step == "approve":
            resolutions = actions.minutes_approve(minutes=minutes, by=user)
            messages.success(request, _("Approved; %(n)d resolutions numbered.") % {"n": len(resolutions)})
        elif step == "publish":
            actions.minutes_publish(minutes=minutes, by=user)
            messages.success(request, _("Published on the open ledger."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("councils:minutes", minutes.pk)


@staff_required("councils.view_minutes")
@require_POST
def minutes_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = staff_minutes(request, pk)
    council = minutes.meeting.council
    if not (council.is_secretary(request.user) or council.is_convenor(request.user)):
        raise PermissionDenied  # before the form, as the action would
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            actions.minutes_add_addendum(minutes=minutes, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The correction is added to the minutes."))
            return redirect("councils:minutes", minutes.pk)
    return minutes_page(request, minutes, addendum_form=form)


@reads_replica
@staff_required("councils.view_meeting")
def meeting_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's whole record — notice, agenda, attendance, minutes, resolutions — as one self-contained HTML file."""
    meeting = staff_meeting(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    context = {
        "meeting": meeting,
        "council": meeting.council,
        "agenda": meeting.agenda.all(),
        "exported_at": timezone.now(),
    }
    if minutes is not None:
        context.update(minutes_context(minutes))
    else:
        context["attendance"] = meeting.attendance.select_related("member__unit")
        context["quorum"] = meeting.quorum()
    with translation.override(settings.LANGUAGE_CODE):  # the archive copy is in Chinese
        response = render(request, "councils/meeting_export.html", context)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-{meeting.starts_at:%Y%m%d}.html"'
    return response
