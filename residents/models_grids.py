"""Grid management (网格化管理): the community divided into grids of buildings and courtyards, a grid worker (网格员)
for each, who visits the households of the grid door to door (定期入户走访, enterprise retirees taken over by the
community among them) and patrols it (巡查). Imported by residents.models (Django finds the models there).

A grid worker sees only their own grid: each queryset says where a row's grid is (`grid_worker_path`) and
portal.core.access narrows to it. An issue found on a visit or a patrol is handed over in one step (services/grids/
handover.py: a case of the hall); the visit or patrol keeps what it became (`handed_over_to`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from portal.core.uploads import private_storage

DEFAULT_VISIT_INTERVAL_DAYS = 90  # a household not visited for a quarter is due


class GridQuerySet(ScopedQuerySet):
    grid_worker_path = "worker"


class Grid(models.Model):
    """A grid (网格) of the community: some of its buildings and courtyards, worked by one grid worker."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="grids", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
        limit_choices_to={"is_staff": True},
        verbose_name=_("grid worker"),
    )
    visit_interval_days = models.PositiveSmallIntegerField(
        _("visit every (days)"),
        default=DEFAULT_VISIT_INTERVAL_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text=_("A household not visited for this many days is due for a visit."),
    )

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="grid_name_unique_in_community")]

    def __str__(self) -> str:
        return self.name

    def visit_cutoff(self, today: dt.date) -> dt.date:
        """A household whose last visit was before this day is due."""
        return today - dt.timedelta(days=self.visit_interval_days)


class HandedOver(models.Model):
    """What an issue found became (a case of the hall; later perhaps a repair): set by services/grids/handover.py."""

    handed_over_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    handed_over_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    handed_over_to = GenericForeignKey("handed_over_type", "handed_over_id")
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def can_hand_over(self) -> bool:
        return bool(self.issue.strip()) and self.handed_over_at is None


class HomeVisitQuerySet(ScopedQuerySet):
    grid_worker_path = "household__building__grid__worker"


class HomeVisit(HandedOver):
    """A door-to-door visit (入户走访) of a household by its grid worker."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", pgettext_lazy("home visit", "regular visit (定期走访)")
        RETIREE = "retiree", pgettext_lazy("home visit", "enterprise retiree follow-up (企业退休人员)")
        CARE = "care", pgettext_lazy("home visit", "care visit: elderly living alone, disabled, in difficulty")
        FLOATING = "floating", pgettext_lazy("home visit", "floating population check (流动人口)")
        OTHER = "other", pgettext_lazy("home visit", "other")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="home_visits", verbose_name=_("community")
    )
    household = models.ForeignKey(
        "residents.Household", on_delete=models.CASCADE, related_name="visits", verbose_name=_("household")
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("visited by"),
        editable=False,
    )
    visited_on = models.DateField(_("date of the visit"), default=timezone.localdate)
    kind = models.CharField(_("kind of visit"), max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    notes = models.TextField(_("notes"), blank=True, help_text=_("How the household is doing; what they asked for."))
    issue = models.TextField(
        _("issue found"), blank=True, help_text=_("A problem to be dealt with; leave empty when there is none.")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = HomeVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "-visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_kind_display()}"


class PatrolQuerySet(ScopedQuerySet):
    grid_worker_path = "grid__worker"


class Patrol(HandedOver):
    """A patrol (巡查) of a grid: where, what was seen, the issue found, with photos."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="patrols", verbose_name=_("community")
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("grid"))
    patrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("patrolled by"),
        editable=False,
    )
    patrolled_at = models.DateTimeField(_("time of the patrol"), default=timezone.now)
    location = models.CharField(_("where"), max_length=100, help_text=_("Building, courtyard, street or landmark."))
    notes = models.TextField(_("what was seen"), blank=True)
    issue = models.TextField(
        _("issue found"), blank=True, help_text=_("A problem to be dealt with; leave empty when there is none.")
    )

    objects = PatrolQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-patrolled_at", "-id"]
        indexes = [models.Index(fields=["grid", "-patrolled_at"])]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.patrolled_at):%Y-%m-%d %H:%M} {self.location}"


class PatrolPhotoQuerySet(ScopedQuerySet):
    community_path = "patrol__community"
    grid_worker_path = "patrol__grid__worker"


class PatrolPhoto(models.Model):
    """A photo taken on a patrol: private (it may show people and homes), served after the patrol's own check."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="photos", verbose_name=_("patrol"))
    image = models.FileField(_("photo"), upload_to="patrols/%Y/%m/", storage=private_storage)
    content_type = models.CharField(_("type"), max_length=50, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = PatrolPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol photo")
        verbose_name_plural = _("patrol photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.image.name.rsplit("/", 1)[-1]

    def private_file_url(self, field_name: str) -> str:
        return reverse("services:grids:patrol_photo", args=[self.patrol_id, self.pk])
