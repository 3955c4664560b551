"""Surveys and polls (民意调查): residents answer on their phones and read the published results; staff and the
councils' secretaries build, open, close and publish them, read the results and export the written answers.

The core's gate (portal.core.access): staff pages need the role's permission (403 without it) and load the survey
through the staff scope (another community's survey is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from councils import survey_results
from councils.actions import surveys as actions
from councils.models import AgendaItem, Question, Response, Survey
from councils.survey_forms import AnswerForm, QuestionForm, SurveyForm
from councils.views.common import flash_errors, staff_of
from portal.core.access import staff_object, staff_required
from portal.core.replica import reads_replica
from portal.core.requests import form_errors, id_of, paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _questions(survey: Survey) -> list[Question]:
    return list(survey.questions.select_related("show_if_option__question").prefetch_related("options"))


# --- residents ---------------------------------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """My community's surveys: open ones to answer, ended ones with their results when published."""
    surveys = list(Survey.objects.for_resident(request.user).order_by("-closes_at", "-pk")[:50])
    answered = set(Response.objects.filter(user=request.user, survey__in=surveys).values_list("survey_id", flat=True))
    now = timezone.now()
    open_now = [s for s in surveys if s.is_accepting]
    coming = [s for s in surveys if s.status == Survey.Status.OPEN and s.opens_at > now]
    ended = [s for s in surveys if s not in open_now and s not in coming]
    return render(
        request,
        "councils/surveys/list.html",
        {"open_now": open_now, "coming": coming, "ended": ended, "answered": answered},
    )


def _resident_survey(request: HttpRequest, pk: int) -> Survey:
    """A survey put to this resident; staff of its community see it too (to check what residents see)."""
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT).select_related("community"), pk=pk)
    if not staff_of(request.user, survey.community_id):
        get_object_or_404(Survey.objects.for_resident(request.user), pk=pk)
    return survey


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer page: every question on one page, large enough for a phone (and the elderly mode); a missing
    required answer is marked next to its question and every answer given stays as it was."""
    survey = _resident_survey(request, pk)
    questions = _questions(survey)
    form = AnswerForm(request.POST or None, questions=questions)
    existing = Response.objects.filter(survey=survey, user=request.user).first()
    problem = "" if existing else actions.may_answer(survey, request.user)
    if request.method == "POST" and not existing and not problem and form.is_valid():
        try:
            actions.survey_answer(survey=survey, user=request.user, data=form.answers())
        except ValidationError as exc:
            form_errors(form, exc)
            messages.error(request, _("Some answers need attention; everything you answered is kept below."))
        else:
            return redirect("councils:survey_thanks", survey.pk)
    elif request.method == "POST" and form.errors:
        messages.error(request, _("Some answers need attention; everything you answered is kept below."))
    return render(
        request,
        "councils/surveys/answer.html",
        {"survey": survey, "form": form, "existing": existing, "problem": problem},
    )


@login_required
def survey_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _resident_survey(request, pk)
    answered = Response.objects.filter(survey=survey, user=request.user).exists()
    return render(request, "councils/surveys/thanks.html", {"survey": survey, "answered": answered})


def survey_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Published results (charts with their tables) for anyone; the community's staff see them at any time."""
    survey = get_object_or_404(Survey.objects.select_related("community", "suggestion"), pk=pk)
    is_staff = staff_of(request.user, survey.community_id) and request.user.has_perm("councils.view_survey")
    if not (survey.results_visible or is_staff):
        raise Http404
    return render(
        request,
        "councils/surveys/results.html",
        {"survey": survey, "results": survey_results.results(survey), "is_staff": is_staff},
    )


# --- staff -------------------------------------------------------------------------------------------------------


def _staff_survey(request: HttpRequest, pk: int) -> Survey:
    return staff_object(
        Survey.objects.select_related("community", "council", "suggestion", "agenda_item"), request.user, pk=pk
    )


@staff_required("councils.view_survey")
def staff_list(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.for_staff(request.user).select_related("council").order_by("-created_at", "-pk")
    status = request.GET.get("status")
    if status in Survey.Status.values:
        surveys = surveys.filter(status=status)
    return render(
        request,
        "councils/surveys/staff_list.html",
        {"page": paginate(request, surveys), "statuses": Survey.Status.choices, "current": status},
    )


@staff_required("councils.add_survey")
def survey_create(request: HttpRequest) -> HttpResponse:
    if not request.user.community_id:
        raise Http404  # a district account works in a community's admin, not here
    community_id = request.user.community_id
    now = timezone.localtime().replace(second=0, microsecond=0)
    # From a meeting's agenda item ("ask the residents"): the survey is attached to it, and to its suggestion.
    item = AgendaItem.objects.filter(
        pk=id_of(request.GET.get("agenda_item")) or 0, meeting__council__community_id=community_id
    ).first()
    initial = {
        "opens_at": now,
        "closes_at": now + timezone.timedelta(days=14),
        "title": item.title if item else "",
        "agenda_item": item,
        "suggestion": item.suggestion_id if item else None,
        "council": item.meeting.council_id if item else None,
    }
    form = SurveyForm(request.POST or None, community_id=community_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        buildings = list(data.pop("buildings"))
        try:
            survey = actions.survey_save(community_id=community_id, by=request.user, buildings=buildings, **data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The survey is saved as a draft: add its questions."))
            return redirect("councils:survey_work", survey.pk)
    return render(request, "councils/surveys/form.html", {"form": form})


@staff_required("councils.change_survey")
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _staff_survey(request, pk)
    form = SurveyForm(request.POST or None, instance=survey, community_id=survey.community_id)
    if survey.status in (Survey.Status.CLOSED, Survey.Status.PUBLISHED):
        messages.info(request, _("This survey has ended and can no longer change."))
        return redirect("councils:survey_work", survey.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        buildings = list(data.pop("buildings"))
        try:
            actions.survey_save(survey=survey, by=request.user, buildings=buildings, **data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("councils:survey_work", survey.pk)
    return render(request, "councils/surveys/form.html", {"form": form, "survey": survey})


@staff_required("councils.view_survey")
def survey_work(request: HttpRequest, pk: int, question_form: QuestionForm | None = None) -> HttpResponse:
    """A survey for staff: its questions (and a form to add one while it is a draft), what keeps it from opening,
    the buttons of its next step, and its results so far."""
    survey = _staff_survey(request, pk)
    draft = survey.status == Survey.Status.DRAFT
    found = survey_results.results(survey) if not draft else []
    return render(
        request,
        "councils/surveys/work.html",
        {
            "survey": survey,
            "questions": _questions(survey),
            "buildings": survey.buildings.select_related("area"),
            "question_form": (question_form or QuestionForm(survey=survey)) if draft else None,
            "problems": actions.survey_problems(survey) if draft else [],
            "results": found,
            "summary": survey_results.summary_lines(survey, found) if survey.has_ended else [],
            "may_change": request.user.has_perm("councils.change_survey"),
        },
    )


@staff_required("councils.change_survey")
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _staff_survey(request, pk)
    form = QuestionForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            actions.question_add(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect("councils:survey_work", survey.pk)
    return survey_work(request, survey.pk, question_form=form)


@staff_required("councils.change_survey")
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _staff_survey(request, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    try:
        actions.question_delete(question=question, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("councils:survey_work", survey.pk)


STEPS = {
    "open": (actions.survey_open, gettext_lazy("The survey is open to the residents.")),
    "close": (actions.survey_close, gettext_lazy("The survey is closed.")),
    "publish": (actions.survey_publish, gettext_lazy("The results are published.")),
}


@staff_required("councils.change_survey")
@require_POST
def survey_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """open / close / publish, each one action."""
    survey = _staff_survey(request, pk)
    action, done = STEPS[step]
    try:
        action(survey=survey, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, str(done))
    return redirect("councils:survey_work", survey.pk)


@reads_replica
@staff_required("councils.view_survey")
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The written answers as an Excel workbook (without the names of who wrote them)."""
    survey = _staff_survey(request, pk)
    response = HttpResponse(survey_results.texts_workbook(survey), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers.xlsx"'
    return response
