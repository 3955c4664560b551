"""The property hotline's repairs (专门电话, 随叫随到)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from services.hall.models import Case
from services.property.models.companies import PropertyCompany
from services.property.querysets import RepairQuerySet


class Repair(models.Model):
    """A fault of water, electricity or gas reported to the property hotline (by phone, at the hall or online):
    dispatched to the courtyard's company with its promise, tracked to completion and rated by the resident."""

    class Kind(models.TextChoices):
        WATER = "water", pgettext_lazy("fault", "water")
        ELECTRICITY = "electricity", pgettext_lazy("fault", "electricity")
        GAS = "gas", pgettext_lazy("fault", "gas")
        OTHER = "other", pgettext_lazy("fault", "other")

    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("repair", "reported")
        DISPATCHED = "dispatched", pgettext_lazy("repair", "dispatched")
        ARRIVED = "arrived", pgettext_lazy("repair", "repairer arrived")
        FIXED = "fixed", pgettext_lazy("repair", "fixed")
        CLOSED = "closed", pgettext_lazy("repair", "closed")

    Source = Case.Source  # one list of intake channels (services.hall)

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="repairs", verbose_name=_("community")
    )
    building = models.ForeignKey(
        "residents.Building", on_delete=models.PROTECT, related_name="repairs", verbose_name=_("building / courtyard")
    )
    company = models.ForeignKey(
        PropertyCompany,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
        verbose_name=_("property company"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
        verbose_name=_("resident"),
    )
    caller = models.CharField(_("reported by (name)"), max_length=50, blank=True)
    caller_phone = models.CharField(_("call-back phone"), max_length=20, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    kind = models.CharField(_("fault"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("what is wrong"))
    location = models.CharField(_("where"), max_length=100, blank=True, help_text=_("Unit and room, or the spot."))
    source = models.CharField(
        pgettext_lazy("case", "came in"), max_length=8, choices=Case.Source.choices, default=Case.Source.ONLINE
    )
    origin = models.CharField(
        _("from record"), max_length=80, blank=True, help_text=_("The record it came from, e.g. a grid patrol.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    reported_at = models.DateTimeField(pgettext_lazy("time of", "reported"), default=timezone.now)
    dispatched_at = models.DateTimeField(pgettext_lazy("time of", "dispatched"), null=True, blank=True)
    arrive_by = models.DateTimeField(_("to arrive by"), null=True, blank=True)
    fix_by = models.DateTimeField(_("to fix by"), null=True, blank=True)
    arrived_at = models.DateTimeField(pgettext_lazy("time of", "arrived"), null=True, blank=True)
    fixed_at = models.DateTimeField(pgettext_lazy("time of", "fixed"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("time of", "closed"), null=True, blank=True)
    fix_note = models.CharField(_("what was done"), max_length=300, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the result"), max_length=300, blank=True)
    rated_at = models.DateTimeField(pgettext_lazy("time of", "rated"), null=True, blank=True)

    objects = RepairQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair")
        verbose_name_plural = _("repairs")
        ordering = ["-reported_at", "-id"]
        permissions = [
            ("dispatch_repair", "Can take repair reports and dispatch them to a property company"),
            ("work_repair", "Can mark a repair arrived and fixed"),
        ]
        indexes = [
            models.Index(fields=["community", "status", "fix_by"]),
            models.Index(fields=["company", "status"]),
            models.Index(fields=["resident", "-reported_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="repair_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(status="reported") | Q(company__isnull=False), name="repair_dispatched_has_company"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def number(self) -> str:
        return f"WX{self.pk or 0:07d}"

    @property
    def is_open(self) -> bool:
        return self.status in RepairQuerySet.OPEN

    @property
    def is_locked(self) -> bool:
        """A closed repair is final (portal.core.locks); only the resident's rating may still follow."""
        return self.status == self.Status.CLOSED

    @property
    def can_rate(self) -> bool:
        return self.status in (self.Status.FIXED, self.Status.CLOSED) and self.rating is None

    def late_arrival(self, now: dt.datetime | None = None) -> bool:
        if self.arrive_by is None:
            return False
        at = self.arrived_at or (now or timezone.now())
        return at > self.arrive_by

    def late_fix(self, now: dt.datetime | None = None) -> bool:
        if self.fix_by is None:
            return False
        at = self.fixed_at or (now or timezone.now())
        return at > self.fix_by

    @property
    def is_overdue(self) -> bool:
        """Open and past a promise now."""
        return self.is_open and self.status != self.Status.REPORTED and (self.late_arrival() or self.late_fix())

    @property
    def within_promise(self) -> bool | None:
        """Fixed: arrived and fixed in time; still open: None."""
        if self.fixed_at is None:
            return None
        return not self.late_arrival() and not self.late_fix()
