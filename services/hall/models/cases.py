"""Cases (办件) of the hall: applications, repair requests, mediations and complaints, with their timeline,
attachments and mediation records."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.uploads import private_storage
from services.hall.models.catalogue import Counter, ServiceItem
from services.hall.querysets import CaseQuerySet


def add_working_days(start: dt.date, days: int, closed: set[dt.date] | frozenset = frozenset()) -> dt.date:
    """The date `days` working days after `start`: weekends and the hall's closed days do not count."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            left -= 1
    return day


class Case(models.Model):
    """An application, repair request, mediation or complaint, worked by staff until done or rejected."""

    Kind = ServiceItem.CaseKind

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")

    class Source(models.TextChoices):
        """How the case reached the community: every channel ends in the one queue."""

        ONLINE = "online", pgettext_lazy("case source", "online")
        COUNTER = "counter", pgettext_lazy("case source", "at the hall counter")
        PHONE = "phone", pgettext_lazy("case source", "by phone")
        HOTLINE = "12345", pgettext_lazy("case source", "12345 citizen hotline")
        CHAT = "chat", pgettext_lazy("case source", "residents' group chat")
        VISIT = "visit", pgettext_lazy("case source", "home visit")
        PATROL = "patrol", pgettext_lazy("case source", "grid patrol")

    # Which status may follow which: the whole state machine in one place.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED},
        Status.ACCEPTED: {Status.IN_PROGRESS, Status.DONE, Status.REJECTED},
        Status.IN_PROGRESS: {Status.DONE, Status.REJECTED},
        Status.DONE: set(),
        Status.REJECTED: set(),
    }

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="cases", verbose_name=_("community")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="cases", verbose_name=_("resident")
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("service")
    )
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("counter")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    title = models.CharField(_("subject"), max_length=100)
    description = models.TextField(_("details"))
    location = models.CharField(
        _("where"), max_length=100, blank=True, help_text=_("For repairs: building, unit, room.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    source = models.CharField(
        pgettext_lazy("case", "came in"), max_length=8, choices=Source.choices, default=Source.ONLINE
    )
    ticket = models.CharField(
        _("12345 ticket number"), max_length=40, blank=True, help_text=_("The city hotline's number for this ticket.")
    )
    deadline = models.DateField(_("deadline"))
    submitted_at = models.DateTimeField(pgettext_lazy("time of", "submitted"), default=timezone.now)
    accepted_at = models.DateTimeField(pgettext_lazy("time of", "accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("time of", "closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the director"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the result"), max_length=300, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "deadline"]),
            models.Index(fields=["resident", "-submitted_at"]),
            models.Index(fields=["community", "source", "submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="case_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="case_rejection_has_reason"
            ),
            models.CheckConstraint(condition=~Q(source="12345") | ~Q(ticket=""), name="case_12345_has_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"BJ{self.pk or 0:07d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()

    @property
    def is_locked(self) -> bool:
        """A closed case is final, with its timeline and files (portal.core.locks); only the resident's rating may
        still follow. A mediation's follow-up visit (回访) comes after it closes: it stays open until that is made."""
        if self.is_open:
            return False
        mediation = getattr(self, "mediation", None) if self.kind == self.Kind.MEDIATION else None
        return mediation is None or not mediation.follow_up_pending

    @property
    def can_rate(self) -> bool:
        return self.status == self.Status.DONE and self.rating is None

    def _move(self, to: str) -> str:
        """Change status if the flow allows it; returns the old status."""
        if to not in self.TRANSITIONS[self.Status(self.status)]:
            raise ValidationError(
                _("A case that is %(old)s cannot become %(new)s.")
                % {"old": self.get_status_display(), "new": self.Status(to).label}
            )
        old = self.status
        self.status = to
        return old

    def accept(self) -> str:
        old = self._move(self.Status.ACCEPTED)
        self.accepted_at = timezone.now()
        return old

    def start(self) -> str:
        return self._move(self.Status.IN_PROGRESS)

    def complete(self) -> str:
        old = self._move(self.Status.DONE)
        self.closed_at = timezone.now()
        return old

    def reject(self, reason: str) -> str:
        if not (reason or "").strip():
            raise ValidationError({"rejection_reason": _("Say why the case is rejected.")})
        old = self._move(self.Status.REJECTED)
        self.rejection_reason = reason.strip()
        self.closed_at = timezone.now()
        return old

    def rate(self, rating: int, comment: str = "") -> None:
        if not self.can_rate:
            raise ValidationError(_("Only a finished case can be rated, and only once."))
        if not 1 <= int(rating) <= 5:
            raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
        self.rating = int(rating)
        self.rating_comment = comment


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when; internal lines are for staff only."""

    class Kind(models.TextChoices):
        FILED = "filed", _("filed")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        NOTE = "note", pgettext_lazy("case event", "note")
        ATTACHMENT = "attachment", _("attachment added")
        RATED = "rated", _("rated")
        ESCALATED = "escalated", _("escalated")
        MEDIATION = "mediation", pgettext_lazy("case event", "mediation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    text = models.TextField(_("text"), blank=True)
    internal = models.BooleanField(_("internal (staff only)"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("timeline")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def to_status_label(self) -> str:
        return str(Case.Status(self.to_status).label) if self.to_status else ""

    @property
    def is_locked(self) -> bool:
        return self.case_id is not None and self.case.is_locked


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    """A generated name: nothing the uploader chose reaches the file system but a known extension."""
    ext = PurePosixPath(filename).suffix.lower()
    return f"cases/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class CaseAttachment(models.Model):
    """An image or PDF on a case; checked by content, stored under a generated name, never public."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case"))
    file = models.FileField(
        pgettext_lazy("document", "file"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    internal = models.BooleanField(_("internal (staff only)"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("services:attachment", args=[self.case_id, self.pk])

    @property
    def is_locked(self) -> bool:
        return self.case_id is not None and self.case.is_locked


class Mediation(models.Model):
    """The mediation record of a neighbour-dispute case (邻里矛盾纠纷调解)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="mediation", verbose_name=_("case"))
    parties = models.TextField(_("parties"), help_text=_("One party per line: name and address."))
    dispute = models.TextField(_("what the dispute is about"), blank=True)
    agreement = models.TextField(_("agreement reached"), blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up visit due"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("follow-up visit made"), null=True, blank=True)
    follow_up_notes = models.TextField(_("follow-up visit notes (回访)"), blank=True)
    follow_up_reminded_on = models.DateField(_("follow-up reminder sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")

    def __str__(self) -> str:
        return str(self.case)

    @property
    def follow_up_pending(self) -> bool:
        return self.follow_up_due is not None and self.follow_up_done_on is None

    @property
    def is_locked(self) -> bool:
        return self.case_id is not None and self.case.is_locked

    @cached_property
    def party_list(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class MediationSession(models.Model):
    """One meeting of the parties with the mediator."""

    mediation = models.ForeignKey(
        Mediation, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mediation")
    )
    held_at = models.DateTimeField(pgettext_lazy("time of", "held"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mediator"),
    )
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.held_at):%Y-%m-%d %H:%M}"

    @property
    def is_locked(self) -> bool:
        return self.mediation_id is not None and self.mediation.is_locked
