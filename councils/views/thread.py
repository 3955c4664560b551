"""The discussion under a suggestion, a resolution or published minutes: what its pages show (comments 20 threads a
page with their replies, the forms, who may write, report, hide, follow). Four queries whatever the thread's size."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from councils.actions.comments import comment_may_write, is_resident_of, subject_url
from councils.forms import CommentForm
from councils.models import Comment, CommentFollow, Minutes, Resolution, Suggestion, subject_kind
from councils.views.common import staff_of
from portal.core.requests import paginate


def subject_key(subject):
    """How the subject's URLs name it: a suggestion by its tracking number, the others by id."""
    return subject.tracking_number if isinstance(subject, Suggestion) else subject.pk


def post_url(subject) -> str:
    return reverse(f"councils:{subject_kind(subject)}_comment", args=[subject_key(subject)])


def follow_url(subject) -> str:
    return reverse(f"councils:{subject_kind(subject)}_follow", args=[subject_key(subject)])


def _community_id(subject) -> int:
    return subject.meeting.council.community_id if isinstance(subject, Minutes) else subject.community_id


def comments_context(
    request: HttpRequest,
    subject: Suggestion | Resolution | Minutes,
    *,
    comment_form: CommentForm | None = None,
    reply_form: CommentForm | None = None,
    reply_to: int | None = None,
) -> dict:
    """`comment_form` / `reply_form` (to comment `reply_to`): a comment that was refused, as typed, with the reason
    next to its field."""
    user = request.user
    kind = subject_kind(subject)
    comments = Comment.objects.filter(**{kind: subject})
    top = comments.filter(parent__isnull=True).select_related("author").order_by("created_at", "id")
    page = paginate(request, top)
    threads = list(page)
    replies: dict[int, list[Comment]] = {}
    for reply in comments.filter(parent__in=[c.pk for c in threads]).select_related("author").order_by("created_at"):
        replies.setdefault(reply.parent_id, []).append(reply)
    may_write = comment_may_write(user, subject)
    for comment in threads:
        comment.thread_replies = replies.get(comment.pk, [])
        if may_write and not comment.is_hidden:
            bound = reply_to == comment.pk and reply_form is not None
            comment.reply_form = reply_form if bound else CommentForm(auto_id=f"reply-{comment.pk}-%s")
            comment.reply_open = bound
    if reply_form is not None and not any(getattr(c, "reply_open", False) for c in threads):
        comment_form = reply_form  # its comment is not shown (hidden, or on another page): the message goes here
    community_id = _community_id(subject)
    following = user.is_authenticated and CommentFollow.objects.filter(user=user, **{kind: subject}).exists()
    return {
        "thread": {
            "page": page,
            "threads": threads,
            "total": comments.count(),
            "form": comment_form or CommentForm(),
            "may_write": may_write,
            "closed": is_resident_of(user, subject) and user.has_perm("councils.add_comment") and not may_write,
            "proposer_id": subject.proposer_id if isinstance(subject, Suggestion) else None,
            "may_report": is_resident_of(user, subject) and user.has_perm("councils.add_commentreport"),
            "may_hide": user.has_perm("councils.hide_comment") and staff_of(user, community_id),
            "following": following,
            "post_url": post_url(subject),
            "follow_url": follow_url(subject),
            "here": subject_url(subject),
        }
    }
