"""Residents' comments on suggestions, resolutions and published minutes: threaded one level (a reply answers a
comment, never a reply), moderated by staff, reported by residents, followed by whoever wants to hear of new ones.

A comment is on exactly one subject, held by one of three nullable foreign keys (the codebase has no generic
relations; a database constraint says exactly one is set), and belongs to the subject's community.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models.meetings import Minutes
from councils.models.resolutions import Resolution
from councils.models.suggestions import Suggestion
from councils.querysets import CommentQuerySet, CommentReportQuerySet
from portal.core.models import Community

User = settings.AUTH_USER_MODEL

# The three kinds of subject a comment can be on, by the name of their foreign key.
SUBJECTS = ("suggestion", "resolution", "minutes")
MAX_COMMENT_LENGTH = 1000
MAX_REASON_LENGTH = 200


def subject_kind(subject) -> str:
    """ "suggestion", "resolution" or "minutes": the field that holds `subject`."""
    kinds = {Suggestion: "suggestion", Resolution: "resolution", Minutes: "minutes"}
    return kinds[type(subject)]


def one_subject() -> Q:
    """Exactly one of the three subject fields is set."""
    cases = Q(pk__in=[])
    for kind in SUBJECTS:
        case = Q(**{f"{kind}__isnull": False})
        for other in SUBJECTS:
            if other != kind:
                case &= Q(**{f"{other}__isnull": True})
        cases |= case
    return cases


class OnSubject(models.Model):
    """A record about one suggestion, resolution or published minutes."""

    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("suggestion")
    )
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("resolution")
    )
    minutes = models.ForeignKey(
        Minutes, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("minutes")
    )

    class Meta:
        abstract = True
        constraints = [models.CheckConstraint(condition=one_subject(), name="%(class)s_on_one_subject")]

    @property
    def subject(self):
        return self.suggestion or self.resolution or self.minutes

    def set_subject(self, subject) -> None:
        setattr(self, subject_kind(subject), subject)


class Comment(OnSubject):
    """A resident's comment, or a reply to one. Hidden by staff with a reason: the text stays in the database (for
    the record and an appeal) but is never shown on a page again."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+", verbose_name=_("community"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    text = models.TextField(_("comment"), validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)])
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("hidden by")
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=MAX_REASON_LENGTH, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        permissions = [("hide_comment", _("Can hide residents' comments"))]
        indexes = [models.Index(fields=["author", "created_at"], name="comment_author_time")]
        constraints = [
            *OnSubject.Meta.constraints,
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="hidden_comment_has_reason"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:30]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def author_label(self) -> str:
        """The author as the public page shows them: the family name and a star for each other character."""
        name = getattr(self.author, "name", "") or ""
        return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else str(_("a resident"))


class CommentFollow(OnSubject):
    """A person follows a subject's comments (writing a comment follows it): they hear of each new one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("follower"))
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("followed comment thread")
        verbose_name_plural = _("followed comment threads")
        constraints = [
            *OnSubject.Meta.constraints,
            *[
                models.UniqueConstraint(
                    fields=["user", kind], condition=Q(**{f"{kind}__isnull": False}), name=f"follow_{kind}_once"
                )
                for kind in SUBJECTS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.subject}"


class CommentReport(models.Model):
    """A resident reports a comment as abusive (once per person and comment); staff hide it or dismiss the report."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment"))
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("reported by"))
    reason = models.CharField(_("what is wrong with it"), max_length=MAX_REASON_LENGTH, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("handled by")
    )

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="report_comment_once")]

    def __str__(self) -> str:
        return f"{self.reporter_id} → #{self.comment_id}"
