"""The councils' part of "download my data" (portal.site.views.account.user_data): my suggestions (with the
community's reply), the suggestions I supported, my council seats and their meeting attendance, my nominations, my
comments (with why staff hid one), my reports of abuse and the discussions I follow — never who reported my comments —
and my survey answers."""

from __future__ import annotations

from django.db.models import Q

from councils.models import (
    Answer,
    Attendance,
    Comment,
    CommentFollow,
    CommentReport,
    CouncilMember,
    Nomination,
    Suggestion,
    SuggestionSupport,
)


def export_user_data(user) -> dict:
    resident = getattr(user, "resident", None)
    mine = Q(user=user) | Q(resident=resident) if resident is not None else Q(user=user)
    seats = CouncilMember.objects.filter(mine)
    return {
        "suggestions": list(
            Suggestion.objects.filter(proposer=user)
            .order_by("created_at")
            .values(
                "tracking_number",
                "category",
                "title",
                "text",
                "location",
                "status",
                "reply",
                "replied_at",
                "rating",
                "rating_comment",
                "created_at",
                "closed_at",
            )
        ),
        "supported_suggestions": list(
            SuggestionSupport.objects.filter(user=user)
            .order_by("created_at")
            .values("suggestion__tracking_number", "suggestion__title", "created_at")
        ),
        "council_seats": list(
            seats.order_by("term_start").values(
                "council__name", "role", "name", "skill", "chosen_by", "term_start", "term_end"
            )
        ),
        "meeting_attendance": list(
            Attendance.objects.filter(member__in=seats)
            .order_by("meeting__starts_at")
            .values("meeting__title", "meeting__starts_at", "present")
        ),
        "nominations": list(
            Nomination.objects.filter(resident=resident).values("council__name", "role", "method", "status")
            if resident is not None
            else []
        ),
        "comments": list(
            Comment.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values(
                "pk",
                "text",
                "created_at",
                "parent_id",
                "suggestion__tracking_number",
                "resolution_id",
                "minutes_id",
                "hidden_at",
                "hidden_reason",
            )
        ),
        "comment_reports": list(
            CommentReport.objects.filter(reporter=user).values("comment_id", "reason", "created_at", "handled_at")
        ),
        "followed_discussions": list(
            CommentFollow.objects.filter(user=user).values("suggestion__tracking_number", "resolution_id", "minutes_id")
        ),
        "survey_answers": _survey_answers(user),
    }


def _survey_answers(user) -> list[dict]:
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
    return list(surveys.values())
