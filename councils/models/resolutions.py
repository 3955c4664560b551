"""Resolutions (决议) and their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models.councils import Council
from councils.models.meetings import MinutesItem
from councils.querysets import (
    ResolutionQuerySet,
)
from portal.core.models import Community
from portal.core.stations import Station
from portal.core.uploads import private_storage
from residents.models import StationedUnit

User = settings.AUTH_USER_MODEL


class Resolution(models.Model):
    """A binding decision (决议), numbered per community and year, carried out by an executor by a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("to be carried out")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("carried out")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("community")
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("council")
    )
    minutes_item = models.OneToOneField(
        MinutesItem, on_delete=models.PROTECT, related_name="resolution", verbose_name=_("decided in")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("decision"))
    executor = models.CharField(_("carried out by"), max_length=10, choices=MinutesItem.Executor.choices)
    executor_station = models.CharField(_("station"), max_length=10, choices=Station.choices, blank=True)
    executor_unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
        verbose_name=_("stationed unit"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    done_at = models.DateTimeField(_("carried out on"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last overdue reminder"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["community", "year", "seq"], name="resolution_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """〔2026〕3号 style: year and sequence within the community."""
        return f"〔{self.year}〕{self.seq}号"

    @property
    def executor_label(self) -> str:
        if self.executor == MinutesItem.Executor.UNIT and self.executor_unit_id:
            return self.executor_unit.name
        if self.executor == MinutesItem.Executor.STATION and self.executor_station:
            return str(self.get_executor_station_display())
        return str(self.get_executor_display())

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.DONE and self.deadline < timezone.localdate()


class ResolutionProgress(models.Model):
    """A progress update on a resolution with its evidence."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="progress", verbose_name=_("resolution")
    )
    text = models.TextField(_("what was done"))
    # Private: a resolution is public only once its minutes are published (councils:progress_photo).
    photo = models.ImageField(_("photo"), upload_to="councils/progress/%Y/%m/", blank=True, storage=private_storage)
    completes = models.BooleanField(_("this completes the resolution"), default=False)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["resolution_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("councils:progress_photo", args=[self.resolution_id, self.pk])
