"""Cases (办件) on the site: the resident's list, filing one (also by staff on a resident's behalf), a case's
timeline with rating and messages to the hall, and its files (never public)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.idempotency import idempotent
from portal.core.pagecache import own_page
from portal.core.requests import form_errors
from residents.models_proxies import Right
from services.hall import actions
from services.hall.forms import CaseFileForm, CaseIntakeForm, CaseNoteForm, CaseRateForm
from services.hall.models import Case, CaseAttachment, ServiceItem
from services.hall.timeline import case_timeline
from services.hall.views import intake
from services.hall.views.acting import NoSubject, for_query, for_whom, subject_of


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Only residents have cases of their own."))
        return redirect("portal:my")
    cases = Case.objects.filter(resident=resident).select_related("item").order_by("-submitted_at")[:50]
    return render(request, "services/hall/my_cases.html", {"cases": cases})


@login_required
@idempotent
def case_new(request: HttpRequest) -> HttpResponse:
    """File a case (application, repair, mediation, complaint); staff or a family proxy may file one on a
    resident's behalf."""
    try:
        resident, acting = subject_of(request, Right.CASES)
    except NoSubject as exc:
        return exc.response
    initial = {}
    item_id = request.GET.get("item")
    if item_id and item_id.isdecimal():
        item = ServiceItem.objects.filter(pk=int(item_id), community_id=resident.community_id).first()
        if item is not None:
            initial = {"item": item, "kind": item.case_kind, "title": item.name}
    taking_report = acting and request.user.is_staff  # staff record the channel; a family proxy files online
    form_class = CaseIntakeForm if taking_report else CaseFileForm
    form = form_class(request.POST or None, request.FILES or None, community_id=resident.community_id, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid() and taking_report:
        merged, duplicates = intake.merge_or_duplicates(request, form, resident)
        if merged is not None:
            return merged
    if request.method == "POST" and form.is_valid() and not duplicates:
        data = form.cleaned_data
        try:
            case = actions.case_file(
                resident=resident,
                kind=data["kind"],
                item=data["item"],
                title=data["title"],
                description=data["description"],
                location=data["location"],
                other_party=data["other_party"],
                filed_by=request.user,
                attachments=[data["attachment"]] if data.get("attachment") else [],
                **intake.channel_of(data),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Case %(number)s is filed. We will handle it by %(day)s.")
                % {"number": case.number, "day": case.deadline.strftime("%Y-%m-%d")},
            )
            return redirect("services:case", case.pk)
    return render(
        request,
        "services/hall/case_new.html",
        {
            "form": form,
            "resident": resident,
            "acting": acting,
            "for_query": for_query(resident, acting),
            "duplicates": duplicates,
            "for_whom": for_whom(request, resident, Right.CASES),
        },
    )


# What a case page shows: the case, its steps, files and mediation, and whose cases a family proxy may follow.
CASE_PAGE_DEPENDS = (
    "services.Case",
    "services.CaseEvent",
    "services.CaseAttachment",
    "services.Mediation",
    "services.MediationSession",
    "residents.ProxyGrant",
)


def _case_for(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("item", "counter", "assignee", "resident"), pk=pk
    )


@login_required
@own_page(depends=CASE_PAGE_DEPENDS)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case_for(request, pk))


def _case_page(request: HttpRequest, case: Case, **bound_forms) -> HttpResponse:
    """The case's timeline. `bound_forms` put back a form that was refused, with what was typed and the message
    next to its field, in place of the empty one."""
    staff = request.user.has_perm("services.view_case")
    attachments = case.attachments.order_by("uploaded_at")
    if not staff:
        attachments = attachments.filter(internal=False)
    is_owner = case.resident.user_id == request.user.pk
    context = {
        "case": case,
        "timeline": case_timeline(case, staff=staff),
        "attachments": attachments,
        "is_owner": is_owner,
        "rate_form": CaseRateForm() if is_owner and case.can_rate else None,
        "note_form": CaseNoteForm() if is_owner and case.is_open else None,
    }
    context.update(bound_forms)
    return render(request, "services/hall/case.html", context)


@login_required
@require_POST
def case_rate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    form = CaseRateForm(request.POST)
    if form.is_valid():
        try:
            actions.case_rate(
                case=case, by=request.user, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("services:case", case.pk)
    return _case_page(request, case, rate_form=form)


@login_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident writes to the hall about their open case."""
    case = _case_for(request, pk)
    if case.resident.user_id != request.user.pk or not case.is_open:
        raise Http404
    form = CaseNoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, note_form=form)
    actions.case_add_note(case=case, by=request.user, text=form.cleaned_data["text"], internal=False)
    messages.success(request, _("Your message was added to the case."))
    return redirect("services:case", case.pk)


@login_required
def attachment_download(request: HttpRequest, case_pk: int, pk: int) -> FileResponse:
    """Case files are never public: the case must be visible to you, and internal files only to staff."""
    case = _case_for(request, case_pk)
    files = CaseAttachment.objects.filter(case=case)
    if not request.user.has_perm("services.view_case"):
        files = files.filter(internal=False)
    attachment = get_object_or_404(files, pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "inline" if attachment.content_type != "application/pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="case-{case.pk}-{attachment.pk}.{attachment.file.name.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
