"""Meetings, their agenda and attendance, and the minutes with their items, addenda and attachments."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from councils.models.councils import Council, CouncilMember
from councils.querysets import (
    MeetingQuerySet,
    MinutesQuerySet,
)
from portal.core.stations import Station
from portal.core.uploads import MAX_IMAGE_PIXELS, ImageProblem, private_storage, probe_image
from residents.models import StationedUnit

User = settings.AUTH_USER_MODEL


class Meeting(models.Model):
    """A meeting of a council: regular (per the rhythm), ad hoc or emergency."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular")
        AD_HOC = "ad_hoc", _("ad hoc")
        EMERGENCY = "emergency", _("emergency")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("council"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    members_count = models.PositiveIntegerField(
        _("members at the time"), null=True, blank=True, help_text=_("Frozen when attendance is recorded.")
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum rule at the time"),
        null=True,
        blank=True,
        help_text=_("Frozen when attendance is recorded: a later change of the council's rule does not change it."),
    )
    current_item = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("item on the screen"),
        help_text=_("The agenda item the meeting room is on: the projector shows it."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["council", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """Final once its minutes are approved: the meeting, agenda, attendance and votes are the record now
        (portal.core.locks)."""
        return self.pk is not None and Minutes.objects.filter(meeting_id=self.pk, status__in=Minutes.LOCKED).exists()

    @property
    def notice_due_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(days=self.council.notice_days)

    def quorum(self) -> Quorum:
        """Members, present and needed. Uses `present_count` / `active_members` annotations when a list set them."""
        members = self.members_count
        if members is None:
            members = getattr(self, "active_members", None)
        if members is None:
            members = self.council.members.active_on(timezone.localtime(self.starts_at).date()).count()
        present = getattr(self, "present_count", None)
        if present is None:
            present = self.attendance.filter(present=True).count()
        percent = self.quorum_percent if self.quorum_percent is not None else self.council.quorum_percent
        return Quorum(members=members, present=present, needed=members * percent // 100 + 1, percent=percent)


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    needed: int
    percent: int

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.present >= self.needed


class AgendaItem(models.Model):
    """An item on a meeting's agenda: put there by staff or from a resident's suggestion."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    suggestion = models.ForeignKey(
        "Suggestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("from suggestion"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.meeting_id is not None and self.meeting.is_locked


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("member")
    )
    present = models.BooleanField(pgettext_lazy("meeting", "present"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("meeting", "attendance")
        verbose_name_plural = pgettext_lazy("meeting", "attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.meeting_id}: {'present' if self.present else 'absent'}"

    @property
    def is_locked(self) -> bool:
        return self.meeting_id is not None and self.meeting.is_locked


class Minutes(models.Model):
    """The record of a meeting. draft → submitted → approved (convenor) → published; never edited once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    LOCKED = (Status.APPROVED, Status.PUBLISHED)

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    summary = models.TextField(_("general summary"), blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    saved_at = models.DateTimeField(_("last saved"), default=timezone.now)
    submitted_at = models.DateTimeField(pgettext_lazy("time of", "submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(pgettext_lazy("time of", "approved"), null=True, blank=True)
    published_at = models.DateTimeField(pgettext_lazy("time of", "published"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)

    history = HistoricalRecords()
    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting minutes")
        verbose_name_plural = _("meeting minutes")
        ordering = ["-meeting__starts_at"]
        permissions = [("approve_minutes", _("Can approve minutes as the council's convenor"))]

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class MinutesItem(models.Model):
    """What was said and decided on one agenda item, with the vote."""

    class Executor(models.TextChoices):
        COMMITTEE = "committee", _("residents' committee (居委会)")
        STATION = "station", _("a station")
        UNIT = "unit", _("a stationed unit")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting minutes")
    )
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="minutes_item", verbose_name=_("agenda item")
    )
    discussion = models.TextField(_("discussion summary"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    adopt_resolution = models.BooleanField(
        _("binding: becomes a resolution"),
        default=False,
        help_text=_("Numbered when the convenor approves the minutes."),
    )
    executor = models.CharField(_("carried out by"), max_length=10, choices=Executor.choices, blank=True)
    executor_station = models.CharField(_("station"), max_length=10, choices=Station.choices, blank=True)
    executor_unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stationed unit"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes item")
        verbose_name_plural = _("minutes items")
        ordering = ["agenda_item__order", "id"]

    def __str__(self) -> str:
        return str(self.agenda_item)

    @property
    def is_locked(self) -> bool:
        """The discussion, decision and votes are final with the minutes."""
        return self.minutes_id is not None and self.minutes.is_locked

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain

    @property
    def carried(self) -> bool:
        """A motion carries with more votes for than half of the votes cast."""
        return self.votes_for * 2 > self.votes_cast


class MinutesAddendum(models.Model):
    """A correction to approved minutes: a new linked record; the minutes themselves are not changed."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="addenda", verbose_name=_("meeting minutes")
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("addendum to minutes")
        verbose_name_plural = _("addenda to minutes")
        ordering = ["minutes_id", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


DOCUMENT_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",  # Office Open XML is a zip file
    ".xlsx": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # the old Office compound file
    ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
}


def validate_attachment(file) -> None:
    """Photos (checked by Pillow), PDF and office documents, at most 10 MB."""
    extension = os.path.splitext(file.name)[1].lower()
    if extension not in MinutesAttachment.ALLOWED:
        raise ValidationError(
            _("Attach a photo (JPEG, PNG), a PDF or an office document (Word, Excel)."), code="attachment_type"
        )
    if file.size > MinutesAttachment.MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="attachment_size")
    if extension in MinutesAttachment.PHOTOS:
        try:
            probe_image(file, MAX_IMAGE_PIXELS)
        except ImageProblem as problem:
            if problem.code == "pixels":
                raise ValidationError(_("The image has too many pixels."), code="attachment_pixels") from None
            raise ValidationError(_("This file is not a readable image."), code="attachment_image") from None
        return
    # Documents are judged by their first bytes too: an HTML page called minutes.pdf is not a PDF.
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[extension]):
        raise ValidationError(
            _("Attach a photo (JPEG, PNG), a PDF or an office document (Word, Excel)."), code="attachment_type"
        )


class MinutesAttachment(models.Model):
    """A photo or document kept with the minutes (a signed attendance sheet, a photo of the meeting …)."""

    PHOTOS = (".jpg", ".jpeg", ".png")
    ALLOWED = (*PHOTOS, ".pdf", ".doc", ".docx", ".xls", ".xlsx")
    MAX_BYTES = 10 * 1024 * 1024

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("meeting minutes")
    )
    # Private: minutes are read by everyone only once published (councils:minutes_attachment applies that check).
    file = models.FileField(
        pgettext_lazy("document", "file"),
        upload_to="councils/minutes/%Y/%m/",
        validators=[validate_attachment],
        storage=private_storage,
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment to minutes")
        verbose_name_plural = _("attachments to minutes")
        ordering = ["minutes_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_locked(self) -> bool:
        return self.minutes_id is not None and self.minutes.is_locked

    @property
    def is_photo(self) -> bool:
        return self.file.name.lower().endswith(self.PHOTOS)

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("councils:minutes_attachment", args=[self.minutes_id, self.pk])
