"""Volunteers (志愿者), their teams, and the star levels earned by service hours."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from portal.core.uploads import private_storage
from volunteers.models.party import PartyTask

SKILL_CHOICES = [
    ("haircut", _("haircuts")),
    ("repair", _("household repairs")),
    ("electrical", _("electrical work")),
    ("medical", _("medical care")),
    ("legal", _("legal advice")),
    ("teaching", _("tutoring")),
    ("computer", _("computers and phones")),
    ("cooking", _("cooking")),
    ("music", _("music and opera")),
    ("calligraphy", _("calligraphy and painting")),
    ("driving", _("driving")),
    ("counselling", _("listening and counselling")),
    ("patrol", _("safety patrol")),
    ("cleaning", _("cleaning and greening")),
]
AVAILABILITY_CHOICES = [
    ("weekday_morning", _("weekday mornings")),
    ("weekday_afternoon", _("weekday afternoons")),
    ("weekday_evening", _("weekday evenings")),
    ("weekend", _("weekends")),
    ("holiday", _("public holidays")),
]
SKILL_LABELS = dict(SKILL_CHOICES)

# National practice (《志愿服务记录办法》): stars by total confirmed hours.
STAR_THRESHOLDS = (
    (5, Decimal(1500)),
    (4, Decimal(1000)),
    (3, Decimal(600)),
    (2, Decimal(300)),
    (1, Decimal(100)),
)


def star_level(hours: Decimal | float | int | None) -> int:
    """0–5 stars for a total of confirmed service hours."""
    total = Decimal(str(hours or 0))
    for stars, threshold in STAR_THRESHOLDS:
        if total >= threshold:
            return stars
    return 0


HOURS_FIELD = DecimalField(max_digits=9, decimal_places=2)


class Team(models.Model):
    """A volunteer team (服务队) of a community, with a leader."""

    class Kind(models.TextChoices):
        ENVIRONMENT = "environment", _("environment and clean-up")
        ELDERLY = "elderly", _("care for the elderly")
        PATROL = "patrol", _("safety patrol")
        HAIRCUT = "haircut", _("haircuts")
        REPAIR = "repair", _("repairs")
        CULTURE = "culture", _("culture and sport")
        LEGAL = "legal", _("legal aid and mediation")
        HEALTH = "health", _("health")
        OTHER = "other", _("other")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="volunteer_teams", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    leader = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
        verbose_name=_("team leader"),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="volunteer_team_name_unique")]

    def __str__(self) -> str:
        return self.name


def confirmed_hours_subquery(outer: str = "pk") -> Coalesce:
    """Confirmed activity hours plus completed party-task hours of the volunteer at OuterRef(outer).

    SignUp is defined in volunteers.models.activities, which builds on this module: named through the app registry."""
    signups = (
        apps.get_model("volunteers", "SignUp")
        .objects.filter(volunteer=OuterRef(outer), hours_confirmed_at__isnull=False)
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    tasks = (
        PartyTask.objects.filter(assignee__resident__volunteer=OuterRef(outer), completed_on__isnull=False)
        .order_by()
        .values("assignee")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    zero = Value(Decimal(0), output_field=HOURS_FIELD)
    return Coalesce(Subquery(signups, output_field=HOURS_FIELD), zero) + Coalesce(
        Subquery(tasks, output_field=HOURS_FIELD), zero
    )


class VolunteerQuerySet(ScopedQuerySet):
    def approved(self):
        return self.filter(status=Volunteer.Status.APPROVED)

    def pending(self):
        return self.filter(status=Volunteer.Status.APPLIED)

    def with_hours(self):
        """Annotate `total_hours`: confirmed hours of activities plus completed party tasks."""
        return self.annotate(total_hours=confirmed_hours_subquery())

    def of_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(resident__user=user)


def photo_path(instance: Volunteer, filename: str) -> str:
    # No name in the path: files are addressed by a random token only.
    return f"volunteers/photos/{timezone.now():%Y}/{filename}"


class Volunteer(models.Model):
    """A resident registered as a volunteer: applies, is approved (and gets a number), may be revoked."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("application received")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")
        REVOKED = "revoked", _("revoked")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="volunteers", verbose_name=_("community")
    )
    resident = models.OneToOneField(
        "residents.Resident", on_delete=models.PROTECT, related_name="volunteer", verbose_name=_("resident")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    number = models.CharField(_("volunteer number"), max_length=20, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("team")
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    skill_note = models.CharField(
        _("special skill (一技之长)"), max_length=200, blank=True, help_text=_("What you are good at, in a few words.")
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_path, storage=private_storage, blank=True)
    is_council_member = models.BooleanField(
        _("on the volunteer coordination council"), default=False, help_text=_("志愿者协调会 member.")
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    decided_at = models.DateTimeField(pgettext_lazy("time of", "decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True, db_index=True)
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["community_id", "number", "pk"]
        permissions = [
            ("approve_volunteer", _("Can approve, reject and revoke volunteers")),
            ("coordinate", _("Can coordinate volunteers: check-in, hours, statistics, people served")),
            ("lead_team", _("Can coordinate the team they lead")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"], condition=~Q(number=""), name="volunteer_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(number=""), name="approved_volunteer_has_number"
            ),
        ]
        # The lists' order (the unique constraint above is partial, so it cannot give it): without it the
        # district's list joined every resident before sorting (80 ms).
        indexes = [models.Index(fields=["community", "number", "id"], name="volunteer_list_order")]

    def __str__(self) -> str:
        name = self.resident.name if "resident" in self._state.fields_cache else f"#{self.pk}"
        return f"{self.number} {name}".strip()

    @property
    def name(self) -> str:
        return self.resident.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def skill_labels(self) -> list[str]:
        return [str(SKILL_LABELS.get(code, code)) for code in self.skills]

    @property
    def stars(self) -> int:
        return star_level(getattr(self, "total_hours", 0))
