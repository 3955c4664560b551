"""健康服务站: consent, health files (grouped by household), readings, checkups, follow-ups, maternal care,
focus groups with follow-up plans, and the retirees' annual physical campaign.

Health values live only in these models. Nothing here is shown outside the health views and the health admin,
which only health-station staff of the file's community (and the resident, for their own file) can open.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from portal.core.capacity import Seat, Seated, seat_unique_constraint
from portal.core.models import Kind
from portal.core.notify import message

__all__ = [
    "CURRENT_NOTICE_VERSION",
    "CampaignInvitation",
    "CheckupBooking",
    "CheckupCampaign",
    "CheckupRecord",
    "CheckupSlot",
    "FocusGroup",
    "FollowUpPlan",
    "FollowUpVisit",
    "HealthConsent",
    "HealthFile",
    "MaternalVisit",
    "Reading",
]

CURRENT_NOTICE_VERSION = "2026-01"
GUARDIAN_BELOW_AGE = 14  # PIPL art. 31: a guardian consents for a child under 14
RETENTION_YEARS = 10


class HealthConsent(models.Model):
    """A separate consent (单独同意) to keep a health file: which notice, when, who agreed; withdrawable."""

    class Relation(models.TextChoices):
        SELF = "self", _("the resident")
        GUARDIAN = "guardian", _("guardian")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="health_consents", verbose_name=_("resident")
    )
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"), default=timezone.now)
    given_by = models.CharField(_("given by"), max_length=10, choices=Relation.choices, default=Relation.SELF)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("health-file consent")
        verbose_name_plural = _("health-file consents")
        ordering = ["-consented_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="self") | ~Q(guardian_name=""), name="health_consent_guardian_named"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} @ {self.consented_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class HealthFileQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(anonymised_at__isnull=True)

    def past_retention(self, today: dt.date | None = None):
        return self.live().filter(retention_until__lt=today or timezone.localdate())


class HealthFile(models.Model):
    """A resident's health file (健康档案). Grouped by household through the resident."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    resident = models.OneToOneField(
        "residents.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="health_file",
        verbose_name=_("resident"),
        help_text=_("Empty once the file is anonymised."),
    )
    household = models.ForeignKey(
        "residents.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("household"),
    )
    consent = models.ForeignKey(
        HealthConsent, on_delete=models.PROTECT, related_name="files", verbose_name=_("consent")
    )
    maternal_care = models.BooleanField(_("file for a woman of child-bearing age (育龄妇女)"), default=False)
    chronic_conditions = models.TextField(_("chronic conditions"), blank=True)
    allergies = models.TextField(_("allergies"), blank=True)
    medications = models.TextField(_("medications"), blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("opened by")
    )
    retention_until = models.DateField(_("keep until"))
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Kept after anonymisation, for statistics only.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)

    objects = HealthFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("health file")
        verbose_name_plural = _("health files")
        ordering = ["household_id", "resident_id"]

    def __str__(self) -> str:
        if self.resident_id is None:
            return str(_("anonymised health file #%(pk)s") % {"pk": self.pk})
        return str(_("health file #%(pk)s") % {"pk": self.pk})

    @property
    def has_chronic_condition(self) -> bool:
        return bool(self.chronic_conditions.strip())

    def processing_allowed(self) -> bool:
        """New entries only while the file is live and its consent stands."""
        return self.anonymised_at is None and self.consent.is_active


class Reading(models.Model):
    """One measurement over time: blood pressure (two values), glucose or weight."""

    class Kind(models.TextChoices):
        BLOOD_PRESSURE = "bp", _("blood pressure (mmHg)")
        GLUCOSE = "glucose", _("blood glucose (mmol/L)")
        WEIGHT = "weight", _("weight (kg)")

    file = models.ForeignKey(HealthFile, on_delete=models.CASCADE, related_name="readings", verbose_name=_("file"))
    kind = models.CharField(_("measurement"), max_length=10, choices=Kind.choices)
    taken_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=1, help_text=_("Systolic for blood pressure."))
    value2 = models.DecimalField(
        _("second value"), max_digits=6, decimal_places=1, null=True, blank=True, help_text=_("Diastolic.")
    )

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["kind", "taken_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="reading_value_positive"),
            models.CheckConstraint(condition=~Q(kind="bp") | Q(value2__isnull=False), name="reading_bp_has_two_values"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on}"


class CheckupRecord(models.Model):
    """A physical examination and its results."""

    file = models.ForeignKey(HealthFile, on_delete=models.CASCADE, related_name="checkups", verbose_name=_("file"))
    examined_on = models.DateField(_("date"))
    results = models.TextField(_("results"), blank=True)
    booking = models.OneToOneField(
        "services.CheckupBooking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="record",
        verbose_name=_("campaign booking"),
    )

    class Meta:
        verbose_name = _("checkup record")
        verbose_name_plural = _("checkup records")
        ordering = ["-examined_on", "-id"]

    def __str__(self) -> str:
        return str(self.examined_on)


class FocusGroup(models.TextChoices):
    """Groups for targeted care, chosen from the register's tags (and, for chronic conditions, the files)."""

    ELDERLY = "elderly", _("elderly")
    VETERAN = "veteran", _("old veterans (老荣军)")
    DISABLED = "disabled", pgettext_lazy("focus group", "disabled")
    CHRONIC = "chronic", pgettext_lazy("focus group", "chronic conditions")


class FollowUpPlanQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(active=True)

    def overdue(self, today: dt.date | None = None):
        return self.active().filter(next_due__lt=today or timezone.localdate())


class FollowUpPlan(models.Model):
    """Regular follow-up visits for a member of a focus group."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    file = models.ForeignKey(HealthFile, on_delete=models.CASCADE, related_name="plans", verbose_name=_("file"))
    group = models.CharField(_("focus group"), max_length=10, choices=FocusGroup.choices)
    interval_days = models.PositiveSmallIntegerField(_("every (days)"), default=30)
    next_due = models.DateField(_("next visit due"), db_index=True)
    active = models.BooleanField(_("active"), default=True)

    objects = FollowUpPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        ordering = ["next_due", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "group"], name="followup_plan_once_per_group")]

    def __str__(self) -> str:
        return f"{self.get_group_display()} #{self.file_id}"


class FollowUpVisit(models.Model):
    """A follow-up visit (随访) recorded in a file."""

    file = models.ForeignKey(HealthFile, on_delete=models.CASCADE, related_name="visits", verbose_name=_("file"))
    plan = models.ForeignKey(
        FollowUpPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits", verbose_name=_("plan")
    )
    visited_on = models.DateField(_("date"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("visited by")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return str(self.visited_on)


class MaternalVisit(models.Model):
    """A maternal-care visit (孕产期/计划生育) in the file of a woman of child-bearing age."""

    class Kind(models.TextChoices):
        PRENATAL = "prenatal", _("prenatal visit")
        POSTNATAL = "postnatal", _("postnatal visit")
        FAMILY_PLANNING = "planning", _("family-planning advice")

    file = models.ForeignKey(
        HealthFile, on_delete=models.CASCADE, related_name="maternal_visits", verbose_name=_("file")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    visited_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("maternal-care visit")
        verbose_name_plural = _("maternal-care visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


class CheckupCampaign(models.Model):
    """The retirees' free annual physical (退休人员免费体检) of one year."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    place = models.CharField(_("place"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkup campaign")
        verbose_name_plural = _("checkup campaigns")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="campaign_once_a_year")]

    def __str__(self) -> str:
        return self.title


class CampaignInvitation(models.Model):
    """An eligible resident invited to the campaign."""

    campaign = models.ForeignKey(
        CheckupCampaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="checkup_invitations", verbose_name=_("resident")
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["campaign", "resident"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.resident_id}"


class CheckupSlotQuerySet(ScopedQuerySet):
    community_path = "campaign__community"


class CheckupSlot(Seated):
    """A time at which a number of invited residents can come for their physical."""

    campaign = models.ForeignKey(
        CheckupCampaign, on_delete=models.CASCADE, related_name="slots", verbose_name=_("campaign")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    objects = CheckupSlotQuerySet.as_manager()

    class Meta(Seated.Meta):
        verbose_name = _("checkup slot")
        verbose_name_plural = _("checkup slots")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @classmethod
    def seat_model(cls):
        return CheckupBooking


class CheckupBooking(Seat):
    """An invited resident's booked slot; attendance is recorded on the day."""

    seat_thing_field = "slot"
    seat_holder_field = "resident"

    slot = models.ForeignKey(CheckupSlot, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("slot"))
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="checkup_bookings", verbose_name=_("resident")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("no-show reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("checkup booking")
        verbose_name_plural = _("checkup bookings")
        constraints = [seat_unique_constraint("slot", "resident", "checkup_booking_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.slot} / {self.resident_id}"

    def promotion_notice(self) -> dict | None:
        """Moved up from the waiting list: the resident is told their time."""
        if not self.resident.user_id:
            return None
        return {
            "recipient": self.resident.user,
            "title": message(
                _("A place at the free physical is yours: %(when)s"),
                when=f"{timezone.localtime(self.slot.starts_at):%Y-%m-%d %H:%M}",
            ),
            "body": _("You have moved up from the waiting list."),
            "url": reverse("services:health:my_checkup"),
            "kind": Kind.BOOKINGS,
        }
