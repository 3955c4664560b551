"""A survey's results: counts per option and scale value (a chart and a table each), the free-text answers, an
Excel workbook of them, and the summary quoted with the minutes. A fixed number of queries whatever the size."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from councils.models import Answer, Question, Survey
from portal.core.panels import Panel, percent


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0  # responses that answered it
    rows: list[tuple[str, int, str]] = field(default_factory=list)  # (label, count, share)
    average: float | None = None
    texts: list[str] = field(default_factory=list)
    panel: Panel | None = None


def results(survey: Survey, *, texts: int = 20) -> list[QuestionResult]:
    """Per question: how many answered, the count (and share) of each option or scale value, the average of a
    scale, and the latest `texts` free-text answers."""
    return results_for([survey], texts=texts)[survey.pk]


def results_for(surveys: list[Survey], *, texts: int = 20) -> dict[int, list[QuestionResult]]:
    """results() of several surveys in the same five queries."""
    by_id = {s.pk: s for s in surveys}
    questions = list(
        Question.objects.filter(survey_id__in=by_id).prefetch_related("options").order_by("survey_id", "order", "pk")
    )
    answers = Answer.objects.filter(question__survey_id__in=by_id)
    by_option = dict(
        answers.filter(option__isnull=False)
        .values_list("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    by_value = defaultdict(dict)
    for q_id, value, n in (
        answers.filter(value__isnull=False).values_list("question_id", "value").annotate(n=Count("pk"))
    ):
        by_value[q_id][value] = n
    answered = dict(
        answers.values_list("question_id").annotate(n=Count("response", distinct=True)).values_list("question_id", "n")
    )
    latest_texts = defaultdict(list)
    if texts and any(q.kind == Question.Kind.TEXT for q in questions):
        rows = (
            answers.filter(question__kind=Question.Kind.TEXT)
            .exclude(text="")
            .annotate(rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("pk").desc()))
            .filter(rank__lte=texts)
            .order_by("question_id", "-pk")
            .values_list("question_id", "text")
        )
        for q_id, text in rows:
            latest_texts[q_id].append(text)
    out: dict[int, list[QuestionResult]] = {pk: [] for pk in by_id}
    for q in questions:
        survey = by_id[q.survey_id]
        result = QuestionResult(q, answered=answered.get(q.pk, 0))
        if q.is_choice:
            pairs = [(o.text, by_option.get(o.pk, 0)) for o in q.options.all()]
        elif q.kind == Question.Kind.SCALE:
            pairs = [(str(v), by_value[q.pk].get(v, 0)) for v in Question.SCALE]
            total = sum(n for _v, n in pairs)
            if total:
                result.average = round(sum(int(v) * n for v, n in pairs) / total, 1)
        else:
            pairs = []
            result.texts = latest_texts.get(q.pk, [])
        result.rows = [(label, n, percent(n, result.answered)) for label, n in pairs]
        if pairs:
            result.panel = Panel(
                title=q.text,
                columns=[_("Answer"), _("Answers"), _("Share")],
                rows=[list(r) for r in result.rows],
                chart=pairs,
                value_label=_("Answers (people)") if not survey.per_household else _("Answers (households)"),
                category_label=_("Answer"),
            )
        out[survey.pk].append(result)
    return out


def summary_lines(survey: Survey, found: list[QuestionResult] | None = None) -> list[str]:
    """The results in a few lines of text, as quoted with the minutes (in the active language); `found`: its
    results when already read."""
    lines = [
        _("Survey “%(title)s”, %(start)s to %(end)s: %(n)d answers.")
        % {
            "title": survey.title,
            "start": f"{timezone.localtime(survey.opens_at):%Y-%m-%d}",
            "end": f"{timezone.localtime(survey.closes_at):%Y-%m-%d}",
            "n": survey.responses_count,
        }
    ]
    for i, r in enumerate(found if found is not None else results(survey, texts=0), 1):
        question = r.question.text.rstrip("？?：: ")
        if r.average is not None:
            rows = [(_("%(value)s points") % {"value": label}, n, share) for label, n, share in r.rows]
        else:
            rows = r.rows
        if rows:
            counts = _("; ").join(f"{label} {n}（{share}）" for label, n, share in rows)
            line = _("%(n)d. %(question)s: %(counts)s") % {"n": i, "question": question, "counts": counts}
            if r.average is not None:
                line += _(" (average %(avg)s)") % {"avg": r.average}
        else:
            written = _("%(n)d written answers") % {"n": r.answered}
            line = _("%(n)d. %(question)s: %(counts)s") % {"n": i, "question": question, "counts": written}
        lines.append(line)
    return lines


def agenda_summaries(agenda_item_ids) -> dict[int, list[tuple[Survey, list[str]]]]:
    """{agenda item id: [(survey, summary lines)]} for the ended surveys attached to these agenda items: the
    results quoted with the minutes."""
    found = defaultdict(list)
    surveys = Survey.objects.filter(
        agenda_item_id__in=list(agenda_item_ids),
        status__in=(Survey.Status.OPEN, Survey.Status.CLOSED, Survey.Status.PUBLISHED),
    ).order_by("closes_at", "pk")
    ended = [survey for survey in surveys if survey.has_ended]
    counted = results_for(ended, texts=0)
    for survey in ended:
        found[survey.agenda_item_id].append((survey, summary_lines(survey, counted[survey.pk])))
    return dict(found)


def texts_workbook(survey: Survey) -> bytes:
    """The free-text answers as an Excel workbook: one sheet, a row per answer, without who wrote it."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Written answers")[:31]
    ws.append([_("Question"), _("Answer"), _("Answered")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    rows = (
        Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .order_by("question__order", "question_id", "response__created_at", "pk")
        .values_list("question__text", "text", "response__created_at")
    )
    for question, text, answered in rows:
        ws.append([question, text, f"{timezone.localtime(answered):%Y-%m-%d %H:%M}"])
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # typed text stays text: "=…" is never a formula in the office's Excel
    ws.freeze_panes = "A2"
    for letter, width in (("A", 30), ("B", 60), ("C", 18)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
