"""People served (服务对象): elderly living alone, disabled residents, families in difficulty; visits to them.

Sensitive (DESIGN.md rule 4): only the coordination roles see these records; names are masked in lists and
every read of a record is logged through portal.core.audit.sensitive_read. URLs carry ids only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.access import ScopedQuerySet


def mask_name(name: str) -> str:
    """王秀英 → 王*英, 王英 → 王*: enough for a coordinator to recognise, not to identify."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class PersonServedQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def due_for_visit(self, today: dt.date | None = None):
        return self.current().filter(plans__next_visit_on__lte=today or timezone.localdate()).distinct()


class PersonServed(models.Model):
    """A resident the volunteers look after, and why (from the register's tags)."""

    class Kind(models.TextChoices):
        ELDERLY_ALONE = "elderly_alone", _("elderly person living alone")
        DISABLED = "disabled", _("disabled resident")
        DIFFICULTY = "difficulty", _("family in difficulty")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="people_served", verbose_name=_("community")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="served_as", verbose_name=_("resident")
    )
    kind = models.CharField(_("why served"), max_length=15, choices=Kind.choices)
    needs = models.TextField(_("needs"), blank=True)
    since = models.DateField(_("served since"), default=timezone.localdate)
    ended_on = models.DateField(_("no longer served since"), null=True, blank=True)

    objects = PersonServedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person served")
        verbose_name_plural = _("people served")
        ordering = ["community_id", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["resident", "kind"], name="person_served_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.resident.name)


class VisitPlan(models.Model):
    """Who visits a person served, how often, and when next."""

    person = models.ForeignKey(
        PersonServed, on_delete=models.CASCADE, related_name="plans", verbose_name=_("person served")
    )
    team = models.ForeignKey(
        "volunteers.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_plans",
        verbose_name=_("team"),
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_plans",
        verbose_name=_("volunteer"),
    )
    every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=14)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    content = models.CharField(_("what to do"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["next_visit_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.every_days}"


class VisitRecord(models.Model):
    """A visit: who went, when, what was done, what is needed next."""

    person = models.ForeignKey(
        PersonServed, on_delete=models.CASCADE, related_name="visits", verbose_name=_("person served")
    )
    visited_on = models.DateField(_("visited on"), default=timezone.localdate)
    visitors = models.ManyToManyField(
        "volunteers.Volunteer", blank=True, related_name="visits", verbose_name=_("visitors")
    )
    what_was_done = models.TextField(_("what was done"))
    needs_next = models.TextField(_("what is needed next"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.visited_on}"
