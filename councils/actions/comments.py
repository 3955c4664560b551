"""Residents' comments on suggestions, resolutions and published minutes: writing and replying (rate-limited),
following a discussion, reporting abuse, and the staff's moderation (hide with a reason, dismiss reports).

Who is told: a new comment reaches the suggestion's proposer and everyone following the discussion (writing a
comment follows it), in the inbox only — a discussion can be busy, and e-mail or SMS for each word would be noise.
A hidden comment's author is told why, and the notifications that quoted its text lose the quote.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Comment, CommentFollow, CommentReport, Minutes, Resolution, Suggestion, subject_kind
from councils.models.comments import MAX_COMMENT_LENGTH, MAX_REASON_LENGTH
from portal.core.access import require_community, require_perm
from portal.core.audit import audit
from portal.core.models import Kind, Notification
from portal.core.notify import message, notify
from portal.core.ratelimit import Limit, lock_person, refuse_over_limit

if TYPE_CHECKING:
    from portal.core.models import User

COMMENT_LIMITS = (
    Limit(
        5,
        dt.timedelta(minutes=1),
        _("You have written %(count)d comments in the last minute. Please wait a moment, then send this one again."),
    ),
    Limit(
        50,
        dt.timedelta(days=1),
        _("You have written %(count)d comments today, the most for one day. Please send this one tomorrow."),
    ),
)
REPORT_LIMITS = (
    Limit(
        20,
        dt.timedelta(days=1),
        _("You have sent %(count)d reports today, the most for one day. Staff are looking at them."),
    ),
)


def subject_community_id(subject) -> int:
    if isinstance(subject, Minutes):
        return subject.meeting.council.community_id
    return subject.community_id


def subject_title(subject) -> str:
    if isinstance(subject, Suggestion):
        return subject.title
    if isinstance(subject, Resolution):
        return f"{subject.number} {subject.title}"
    return subject.meeting.title


def subject_url(subject) -> str:
    if isinstance(subject, Suggestion):
        return reverse("councils:suggestion", args=[subject.tracking_number])
    if isinstance(subject, Resolution):
        return reverse("councils:resolution", args=[subject.pk])
    return reverse("councils:minutes", args=[subject.pk])


def comment_url(comment: Comment) -> str:
    return f"{subject_url(comment.subject)}#comment-{comment.pk}"


def open_for_comments(subject) -> bool:
    """Public suggestions (not merged: the discussion goes on where it was merged to), public resolutions and
    published minutes."""
    if isinstance(subject, Suggestion):
        return subject.is_public and subject.status != Suggestion.Status.MERGED
    if isinstance(subject, Resolution):
        return Resolution.objects.public().filter(pk=subject.pk).exists()
    return subject.status == Minutes.Status.PUBLISHED


def is_resident_of(user: User, subject) -> bool:
    return bool(user.is_authenticated and user.is_active and user.community_id == subject_community_id(subject))


def comment_may_write(user: User, subject) -> bool:
    """Signed-in residents of the subject's community (the role's `add_comment`) write on an open subject."""
    return is_resident_of(user, subject) and user.has_perm("councils.add_comment") and open_for_comments(subject)


def _clean_text(text: str, field: str, max_length: int, *, required: bool) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("The text contains a character that cannot be stored.")})
    if required and not text:
        raise ValidationError({field: _("Write your comment.")})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters, please.") % {"n": max_length}})
    return text


def _followers(subject):
    return CommentFollow.objects.filter(**{subject_kind(subject): subject})


@transaction.atomic
def comment_post(*, subject, author: User, text: str, parent: Comment | None = None) -> Comment:
    """A resident's comment on `subject`, or a reply to one of its comments (a reply to a reply answers the same
    comment: threads are one level deep). The author follows the discussion from now on."""
    if not comment_may_write(author, subject):
        raise PermissionDenied
    text = _clean_text(text, "text", MAX_COMMENT_LENGTH, required=True)
    if parent is not None:
        if getattr(parent, f"{subject_kind(subject)}_id") != subject.pk:
            raise ValidationError(_("That comment belongs to another discussion."))
        parent = parent.parent or parent
        if parent.is_hidden:
            raise ValidationError(_("That comment is hidden and cannot be answered."))
    lock_person(author)
    try:
        refuse_over_limit(Comment.objects.filter(author=author), COMMENT_LIMITS)
    except ValidationError as exc:
        raise ValidationError({"text": exc.error_list}) from None
    comment = Comment(community_id=subject_community_id(subject), parent=parent, author=author, text=text)
    comment.set_subject(subject)
    comment.full_clean()
    comment.save()
    follow = CommentFollow(user=author)
    follow.set_subject(subject)
    CommentFollow.objects.bulk_create([follow], ignore_conflicts=True)
    _tell_about(comment, subject)
    return comment


def _tell_about(comment: Comment, subject) -> None:
    """The proposer of a suggestion and every follower, except the author, hear of the new comment."""
    recipients = {f.user_id: f.user for f in _followers(subject).select_related("user").filter(user__is_active=True)}
    if isinstance(subject, Suggestion) and subject.proposer.is_active:
        recipients.setdefault(subject.proposer_id, subject.proposer)
    recipients.pop(comment.author_id, None)
    title = message(
        _("New reply in the discussion of “%(title)s”") if comment.parent_id else _("New comment on “%(title)s”"),
        title=subject_title(subject)[:120],
    )
    body = message(comment.text[:300])
    url = comment_url(comment)
    for user in recipients.values():
        notify(recipient=user, title=title, body=body, url=url, kind=Kind.COUNCILS, channels=())


def comment_follow(*, subject, user: User, follow: bool = True) -> bool:
    """Follow (or stop following) a subject's discussion; returns whether the user follows it now."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if follow:
        record = CommentFollow(user=user)
        record.set_subject(subject)
        CommentFollow.objects.bulk_create([record], ignore_conflicts=True)
    else:
        _followers(subject).filter(user=user).delete()
    return follow


@transaction.atomic
def comment_report(*, comment: Comment, reporter: User, reason: str = "") -> CommentReport:
    """A resident of the community reports a comment as abusive, once; it waits on the staff's workbench."""
    if not (is_resident_of(reporter, comment.subject) and reporter.has_perm("councils.add_commentreport")):
        raise PermissionDenied
    if comment.author_id == reporter.pk:
        raise ValidationError(_("This is your own comment."))
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden already."))
    reason = _clean_text(reason, "reason", MAX_REASON_LENGTH, required=False)
    lock_person(reporter)
    try:
        refuse_over_limit(CommentReport.objects.filter(reporter=reporter), REPORT_LIMITS)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.error_list}) from None
    try:
        with transaction.atomic():
            return CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:
        raise ValidationError(_("You have reported this comment already; staff will look at it.")) from None


def _require_moderator(comment: Comment, by: User) -> None:
    require_perm(by, "councils.hide_comment")
    require_community(by, comment.community_id)


@transaction.atomic
def comment_hide(*, comment: Comment, by: User, reason: str) -> Comment:
    """Staff hide a comment with a reason: the page shows the reason in its place; its reports are handled; the
    author is told why."""
    _require_moderator(comment, by)
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden already."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden.")})
    reason = _clean_text(reason, "reason", MAX_REASON_LENGTH, required=True)
    now = timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, by, reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    comment.reports.filter(handled_at__isnull=True).update(handled_at=now, handled_by=by)
    # The text leaves the inboxes too: the notifications that quoted it keep their title and link only.
    Notification.objects.filter(url=comment_url(comment)).update(body="")
    audit(actor=by, action="comment_hide", obj=comment, community_id=comment.community_id, summary=reason)
    if comment.author.is_active:
        notify(
            recipient=comment.author,
            title=message(_("Your comment on “%(title)s” was hidden"), title=subject_title(comment.subject)[:120]),
            body=message(_("Reason: %(reason)s"), reason=reason),
            url=comment_url(comment),
            kind=Kind.COUNCILS,
            channels=(),
        )
    return comment


@transaction.atomic
def comment_reports_dismiss(*, comment: Comment, by: User) -> int:
    """Staff find nothing wrong with a reported comment: its open reports are closed; returns how many."""
    _require_moderator(comment, by)
    closed = comment.reports.filter(handled_at__isnull=True).update(handled_at=timezone.now(), handled_by=by)
    audit(actor=by, action="comment_reports_dismiss", obj=comment, community_id=comment.community_id)
    return closed
