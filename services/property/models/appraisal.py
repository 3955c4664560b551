"""Inspections and the street office's appraisal periods with their published scores."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from services.property.models.companies import PropertyCompany
from services.property.querysets import CompanyScopedQuerySet


class PropertyInspection(models.Model):
    """A street or community inspection of a company's courtyards, scored 0–100 (考评 of the premises)."""

    company = models.ForeignKey(
        PropertyCompany, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("property company")
    )
    building = models.ForeignKey(
        "residents.Building",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("building / courtyard"),
    )
    inspected_on = models.DateField(_("inspected on"), default=timezone.localdate)
    score = models.PositiveSmallIntegerField(
        _("score (0–100)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    notes = models.TextField(_("findings"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inspector"),
    )

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("property inspection")
        verbose_name_plural = _("property inspections")
        ordering = ["-inspected_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(score__lte=100), name="inspection_score_at_most_100")]

    def __str__(self) -> str:
        return f"{self.company} {self.inspected_on:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        """Counted in a published appraisal: final."""
        if self.pk is None or not self.inspected_on:
            return False
        return PropertyAppraisal.objects.filter(
            published_at__isnull=False, starts_on__lte=self.inspected_on, ends_on__gte=self.inspected_on
        ).exists()


class PropertyAppraisal(models.Model):
    """A period of the street office's appraisal of mixed-courtyard property management (《街道杂居院物业管理考评办法》),
    district-wide: each company's score from repair times, ratings and inspections; published, it is final."""

    name = models.CharField(_("name"), max_length=40, unique=True, help_text=_("For example 2026 Q3."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    published_at = models.DateTimeField(pgettext_lazy("time of", "published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("property appraisal period")
        verbose_name_plural = _("property appraisal periods")
        ordering = ["-starts_on"]
        permissions = [("publish_propertyappraisal", "Can publish a property appraisal period")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="appraisal_period_order")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.published_at is not None

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period must end after it starts.")})


class PropertyScore(models.Model):
    """A company's published score of an appraisal period, with what it was computed from and its rank."""

    appraisal = models.ForeignKey(
        PropertyAppraisal, on_delete=models.CASCADE, related_name="scores", verbose_name=_("appraisal period")
    )
    company = models.ForeignKey(
        PropertyCompany, on_delete=models.CASCADE, related_name="scores", verbose_name=_("property company")
    )
    repairs = models.PositiveIntegerField(_("repairs fixed"))
    in_promise = models.FloatField(_("share within the promise"), null=True, blank=True)
    average_rating = models.FloatField(_("average rating"), null=True, blank=True)
    inspection = models.FloatField(_("average inspection score"), null=True, blank=True)
    score = models.FloatField(_("score"))
    rank = models.PositiveSmallIntegerField(_("rank"))

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("property appraisal score")
        verbose_name_plural = _("property appraisal scores")
        ordering = ["appraisal_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "company"], name="one_score_per_company")]

    def __str__(self) -> str:
        return f"{self.appraisal} · {self.company}: {self.score:.1f}"

    @property
    def is_locked(self) -> bool:
        return True
