"""The councils' part of "download my data" (portal.site.views.account.user_data): the person's own suggestions,
comments (with why staff hid one), reports of abuse and followed discussions — never who reported their comments."""

from __future__ import annotations

from councils.models import Comment, CommentFollow, CommentReport, Suggestion


def export_user_data(user) -> dict:
    return {
        "suggestions": list(
            Suggestion.objects.filter(proposer=user).values(
                "tracking_number", "title", "text", "status", "created_at", "rating", "rating_comment"
            )
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
            )  # fmt: skip
        ),
        "comment_reports": list(
            CommentReport.objects.filter(reporter=user).values("comment_id", "reason", "created_at", "handled_at")
        ),
        "followed_discussions": list(
            CommentFollow.objects.filter(user=user).values("suggestion__tracking_number", "resolution_id", "minutes_id")
        ),
    }
