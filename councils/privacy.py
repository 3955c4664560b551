"""A resident's own survey answers, for "download my data" (portal.site.views.account.user_data)."""

from __future__ import annotations

from councils.models import Answer


def export_user_data(user) -> dict | None:
    answers = (
        Answer.objects.filter(response__user=user)
        .select_related("response__survey", "question", "option")
        .order_by("response__created_at", "question__order", "pk")
    )
    surveys: dict[int, dict] = {}
    for a in answers:
        response = a.response
        entry = surveys.setdefault(
            response.pk,
            {"survey": response.survey.title, "answered_at": response.created_at, "answers": []},
        )
        value = a.option.text if a.option_id else (a.value if a.value is not None else a.text)
        entry["answers"].append({"question": a.question.text, "answer": value})
    return {"survey_answers": list(surveys.values())} if surveys else None
