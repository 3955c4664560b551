"""Property companies (物业公司), the courtyards they serve, their accounts and cleaners; owners' committees (业委会)."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from services.property.querysets import CommitteeScopedQuerySet, CompanyScopedQuerySet

BUILDINGS_PER_CLEANER = 2  # 每两栋楼核定1名保洁员: one subsidised cleaner per two buildings


class PropertyCompany(models.Model):
    """A property company (物业公司) serving courtyards of the community, with its hotline and its promise."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="property_companies", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=80)
    hotline = models.CharField(
        _("property hotline"), max_length=30, help_text=_("The company's special number for repairs (专门电话).")
    )
    manager = models.CharField(_("manager"), max_length=50, blank=True)
    arrive_hours = models.PositiveSmallIntegerField(
        _("arrive within (hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("The promise (随叫随到): hours from dispatch until the repairer is at the door."),
    )
    fix_hours = models.PositiveSmallIntegerField(
        _("fix within (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("Hours from dispatch until the fault is fixed."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("property company")
        verbose_name_plural = _("property companies")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="property_company_unique_in_community"),
            models.CheckConstraint(
                condition=Q(fix_hours__gte=models.F("arrive_hours")), name="property_fix_after_arrive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.arrive_hours and self.fix_hours and self.fix_hours < self.arrive_hours:
            raise ValidationError({"fix_hours": _("The repair cannot be promised before the repairer arrives.")})

    @staticmethod
    def cleaner_quota(buildings: int) -> int:
        """Subsidised cleaners for this many buildings: one per two (每两栋楼核定1名保洁员)."""
        return math.ceil(buildings / BUILDINGS_PER_CLEANER)


class PropertyCoverage(models.Model):
    """A building or courtyard a company serves; each is served by one company at a time."""

    company = models.ForeignKey(
        PropertyCompany, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("property company")
    )
    building = models.OneToOneField(
        "residents.Building",
        on_delete=models.CASCADE,
        related_name="property_coverage",
        verbose_name=_("building / courtyard"),
    )
    since = models.DateField(_("served since"), default=timezone.localdate)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("courtyard served")
        verbose_name_plural = _("courtyards served")
        ordering = ["company_id", "building_id"]

    def __str__(self) -> str:
        return f"{self.company} · {self.building}"

    def clean(self) -> None:
        if self.company_id and self.building_id and self.company.community_id != self.building.community_id:
            raise ValidationError({"building": _("This building belongs to another community.")})


class PropertyStaff(models.Model):
    """A portal account working for a property company: sees and works that company's repairs."""

    company = models.ForeignKey(
        PropertyCompany, on_delete=models.CASCADE, related_name="staff", verbose_name=_("property company")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="property_staff", verbose_name=_("account")
    )

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("property company account")
        verbose_name_plural = _("property company accounts")

    def __str__(self) -> str:
        return f"{self.company} · {self.user.name}"

    def clean(self) -> None:
        if self.company_id and self.user_id and self.user.community_id != self.company.community_id:
            raise ValidationError({"user": _("This account belongs to another community.")})


class Cleaner(models.Model):
    """A cleaner (保洁员) a company employs for its courtyards; subsidised at one per two buildings."""

    company = models.ForeignKey(
        PropertyCompany, on_delete=models.CASCADE, related_name="cleaners", verbose_name=_("property company")
    )
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    buildings = models.ManyToManyField(
        "residents.Building", blank=True, related_name="cleaners", verbose_name=_("buildings / courtyards")
    )
    started_on = models.DateField(_("started"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cleaner")
        verbose_name_plural = _("cleaners")
        ordering = ["company_id", "name"]

    def __str__(self) -> str:
        return self.name


class OwnersCommittee(models.Model):
    """An owners' committee (业委会) of a residential area, elected for a term."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="owners_committees", verbose_name=_("community")
    )
    area = models.ForeignKey(
        "residents.Area", on_delete=models.CASCADE, related_name="owners_committees", verbose_name=_("residential area")
    )
    name = models.CharField(_("name"), max_length=80)
    elected_on = models.DateField(_("elected on"))
    term_ends_on = models.DateField(_("term ends on"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")
        ordering = ["community_id", "area_id", "-elected_on"]
        constraints = [
            models.CheckConstraint(condition=Q(term_ends_on__gt=models.F("elected_on")), name="owners_term_ends_later")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_office(self) -> bool:
        return self.elected_on <= timezone.localdate() <= self.term_ends_on

    def clean(self) -> None:
        errors = {}
        if self.elected_on and self.term_ends_on and self.term_ends_on <= self.elected_on:
            errors["term_ends_on"] = _("The term must end after the election.")
        if self.area_id and self.community_id and self.area.community_id != self.community_id:
            errors["area"] = _("This area belongs to another community.")
        if errors:
            raise ValidationError(errors)


class OwnersCommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", pgettext_lazy("owners' committee", "chair")
        DEPUTY = "deputy", pgettext_lazy("owners' committee", "deputy chair")
        MEMBER = "member", pgettext_lazy("owners' committee", "member")

    committee = models.ForeignKey(
        OwnersCommittee, on_delete=models.CASCADE, related_name="members", verbose_name=_("owners' committee")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owners_committee_seats",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    term_starts_on = models.DateField(_("term starts"))
    term_ends_on = models.DateField(_("term ends"))

    objects = CommitteeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("owners' committee member")
        verbose_name_plural = _("owners' committee members")
        ordering = ["committee_id", "role", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.term_starts_on and self.term_ends_on and self.term_ends_on <= self.term_starts_on:
            raise ValidationError({"term_ends_on": _("The term must end after it starts.")})
