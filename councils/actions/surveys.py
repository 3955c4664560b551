"""Surveys and polls (民意调查 / 征求意见): building a survey, opening, closing and publishing it, and a resident's
answers — once per person or per household (database constraints), counted once however many arrive at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import tell_proposers
from councils.models import Answer, Option, Question, Response, Survey
from portal.core.access import require_community
from portal.core.audit import audit
from portal.core.notify import message

if TYPE_CHECKING:
    from portal.core.models import User

SURVEY_FIELDS = (
    "title",
    "intro",
    "council",
    "per_household",
    "opens_at",
    "closes_at",
    "results_public",
    "suggestion",
    "agenda_item",
)
MAX_TEXT = 2000


def _require_editor(survey: Survey, by: User) -> None:
    """403 without the permission; 404 for another community's survey."""
    if not by.has_perm("councils.change_survey"):
        raise PermissionDenied
    require_community(by, survey.community_id)


def _require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("The survey is open already: its questions can no longer change."))


@transaction.atomic
def survey_save(*, survey: Survey | None = None, community_id: int | None = None, by: User, buildings=(), **fields):
    """Create (with `community_id`) or change a survey and whom it asks (`buildings`; none: the whole community).
    While a survey is open only its end and its text may change."""
    creating = survey is None
    if creating:
        if not by.has_perm("councils.add_survey"):
            raise PermissionDenied
        require_community(by, community_id)
        survey = Survey(community_id=community_id, created_by=by)
    else:
        _require_editor(survey, by)
        if survey.is_locked or survey.status == Survey.Status.CLOSED:
            raise ValidationError(_("This survey has ended and can no longer change."))
        if survey.status == Survey.Status.OPEN:
            fields = {k: v for k, v in fields.items() if k in ("title", "intro", "closes_at", "results_public")}
            buildings = None
    for name, value in fields.items():
        if name not in SURVEY_FIELDS:
            raise TypeError(name)
        setattr(survey, name, value)
    survey.full_clean()
    survey.save()
    if buildings is not None:
        if any(b.community_id != survey.community_id for b in buildings):
            raise ValidationError({"buildings": _("Choose buildings of this community.")})
        survey.buildings.set(buildings)
    audit(actor=by, action="survey_create" if creating else "survey_change", obj=survey)
    return survey


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    by: User,
    kind: str,
    text: str,
    required: bool = True,
    options: Iterable[str] = (),
    show_if_option: Option | None = None,
) -> Question:
    """A question at the end of a draft survey; a choice question takes two options or more (one a line)."""
    _require_editor(survey, by)
    _require_draft(survey)
    options = [o.strip()[:200] for o in options if o.strip()]
    if kind in Question.CHOICE_KINDS and len(options) < 2:
        raise ValidationError({"options": _("Give at least two options, one a line.")})
    if kind not in Question.CHOICE_KINDS and options:
        raise ValidationError({"options": _("Only a choice question has options.")})
    if len(set(options)) != len(options):
        raise ValidationError({"options": _("Each option must be different.")})
    last = survey.questions.aggregate(m=Max("order"))["m"] or 0
    question = Question(
        survey=survey, order=last + 1, kind=kind, text=text, required=required, show_if_option=show_if_option
    )
    question.full_clean()
    question.save()
    Option.objects.bulk_create(Option(question=question, order=i, text=t) for i, t in enumerate(options, 1))
    audit(actor=by, action="survey_question_add", obj=survey, summary=f"question #{question.pk}")
    return question


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    survey = question.survey
    _require_editor(survey, by)
    _require_draft(survey)
    audit(actor=by, action="survey_question_delete", obj=survey, summary=f"question #{question.pk}")
    question.delete()


def survey_problems(survey: Survey) -> list[str]:
    """Why the survey cannot open yet (empty: it can)."""
    problems = []
    questions = list(survey.questions.prefetch_related("options"))
    if not questions:
        problems.append(_("Add at least one question."))
    for q in questions:
        if q.is_choice and len(q.options.all()) < 2:
            problems.append(_("Question “%(text)s” needs at least two options.") % {"text": q.text})
    if survey.closes_at <= timezone.now():
        problems.append(_("The end is already past: set a later end."))
    return [str(p) for p in problems]


@transaction.atomic
def survey_open(*, survey: Survey, by: User) -> Survey:
    """Open a draft to the residents (from its start). The proposer of the suggestion it asks about is told;
    residents at large find it on their survey page (no message to everyone)."""
    _require_editor(survey, by)
    _require_draft(survey)
    problems = survey_problems(survey)
    if problems:
        raise ValidationError(problems)
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["status"])
    if survey.suggestion_id:
        tell_proposers(
            survey.suggestion,
            message(_("A survey about your suggestion: %(title)s"), title=survey.title),
            message(
                _("Residents are asked until %(end)s. Your suggestion's page links to it."),
                end=timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M"),
            ),
        )
    audit(actor=by, action="survey_open", obj=survey)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by: User) -> Survey:
    """End an open survey now (it also ends by itself at its end time)."""
    _require_editor(survey, by)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    now = timezone.now()
    if survey.closes_at > now:
        survey.closes_at = max(now, survey.opens_at + timezone.timedelta(seconds=1))
    survey.save(update_fields=["status", "closes_at"])
    audit(actor=by, action="survey_close", obj=survey)
    return survey


@transaction.atomic
def survey_publish(*, survey: Survey, by: User) -> Survey:
    """Publish the results of an ended survey: final from now on (Survey.is_locked)."""
    _require_editor(survey, by)
    if survey.status not in (Survey.Status.OPEN, Survey.Status.CLOSED) or not survey.has_ended:
        raise ValidationError(_("Results are published once the survey has ended."))
    survey.status = Survey.Status.PUBLISHED
    survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at"])
    if survey.suggestion_id and survey.results_public:
        tell_proposers(
            survey.suggestion, message(_("Results of the survey about your suggestion: %(title)s"), title=survey.title)
        )
    audit(actor=by, action="survey_publish", obj=survey)
    return survey


def household_of(user: User):
    """The household a resident's account is linked to in the register, or None."""
    resident = getattr(user, "resident", None) if user.is_authenticated else None
    return resident.household if resident is not None else None


def may_answer(survey: Survey, user: User) -> str:
    """Why `user` cannot answer `survey` now ('' when they can)."""
    if not user.is_authenticated or not user.has_perm("councils.add_response"):
        return str(_("Only residents answer surveys."))
    if user.community_id != survey.community_id:
        return str(_("This survey asks the residents of another community."))
    if not survey.is_accepting:
        return str(_("This survey is not open for answers now."))
    household = household_of(user)
    if survey.per_household and household is None:
        return str(_("This survey takes one answer per household: ask the community office to link your account."))
    building_ids = set(survey.buildings.values_list("pk", flat=True))
    if building_ids and (household is None or household.building_id not in building_ids):
        return str(_("This survey asks the residents of some buildings / courtyards only."))
    return ""


def shown_questions(questions: list[Question], picked: Mapping[int, set[int]]) -> list[Question]:
    """The questions that apply, in order: a conditional question only when its option was picked in a question
    that applies itself (`picked`: {question id: option ids})."""
    shown, chosen = [], set()
    for q in questions:
        if not q.show_if_option_id or q.show_if_option_id in chosen:
            shown.append(q)
            chosen |= picked.get(q.pk, set())
    return shown


def _parse(question: Question, raw, option_ids: set[int]):
    """(option ids, scale value, text) from the raw value(s); ValidationError for a value that is not one."""
    if question.kind == Question.Kind.TEXT:
        text = (raw or "").replace("\x00", "").strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(_("Keep the answer under %(n)d characters.") % {"n": MAX_TEXT})
        return set(), None, text
    values = raw if isinstance(raw, list | tuple | set) else ([raw] if raw not in (None, "") else [])
    try:
        numbers = {int(v) for v in values}
    except (TypeError, ValueError):
        raise ValidationError(_("Choose one of the answers given.")) from None
    if question.kind == Question.Kind.SCALE:
        if len(numbers) > 1 or not numbers <= set(Question.SCALE):
            raise ValidationError(_("Choose one of the answers given."))
        return set(), next(iter(numbers), None), ""
    if not numbers <= option_ids or (question.kind == Question.Kind.SINGLE and len(numbers) > 1):
        raise ValidationError(_("Choose one of the answers given."))
    return numbers, None, ""


def survey_answer(*, survey: Survey, user: User, data: Mapping[int, object]) -> Response:
    """Record a resident's answers ({question id: option id(s) / scale value / text}). Every missing required
    answer and every invalid value is reported under `q<id>`; nothing is saved until all are right. A second
    answer from the same person (or household) is refused by the database, however close together they come."""
    problem = may_answer(survey, user)
    if problem:
        raise ValidationError(problem)
    questions = list(survey.questions.prefetch_related("options").order_by("order", "pk"))
    parsed, errors = {}, {}
    for q in questions:
        try:
            parsed[q.pk] = _parse(q, data.get(q.pk), {o.pk for o in q.options.all()})
        except ValidationError as exc:
            errors[f"q{q.pk}"] = exc.messages
    shown = shown_questions(questions, {q_id: p[0] for q_id, p in parsed.items()})
    for q in shown:
        options, value, text = parsed.get(q.pk, (set(), None, ""))
        if q.required and f"q{q.pk}" not in errors and not (options or value or text):
            errors[f"q{q.pk}"] = [str(_("Please answer this question."))]
    if errors:
        raise ValidationError(errors)
    household = household_of(user) if survey.per_household else None
    rows = []
    for q in shown:
        options, value, text = parsed[q.pk]
        rows.extend(Answer(question=q, option_id=o) for o in sorted(options))
        if value is not None or text:
            rows.append(Answer(question=q, value=value, text=text))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, user=user, household=household)
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            Survey.objects.filter(pk=survey.pk).update(responses_count=F("responses_count") + 1)
    except IntegrityError:
        if survey.per_household:
            raise ValidationError(
                _("Your household has already answered this survey."), code="household_answered"
            ) from None
        raise ValidationError(_("You have already answered this survey."), code="answered") from None
    return response


def survey_url(survey: Survey) -> str:
    return reverse("councils:survey", args=[survey.pk])
