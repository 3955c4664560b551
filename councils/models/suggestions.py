"""Residents' suggestions (献计献策) and supports."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models.resolutions import Resolution
from councils.querysets import (
    SuggestionQuerySet,
)
from portal.core.models import Community
from portal.core.uploads import private_storage

User = settings.AUTH_USER_MODEL


def new_tracking_number() -> str:
    """JY + date + 6 random hex digits: unguessable, so the number alone reveals nothing about volume."""
    return f"JY{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


class Suggestion(models.Model):
    """A resident's suggestion (献计献策), followed from submission to a resolution and back to the resident."""

    class Category(models.TextChoices):
        ENVIRONMENT = "environment", _("environment and sanitation")
        FEES = "fees", _("fees (heating, sanitation …)")
        PARKING = "parking", _("parking and traffic")
        SAFETY = "safety", _("safety")
        FACILITIES = "facilities", _("public facilities and repairs")
        SERVICES = "services", _("services and care")
        CULTURE = "culture", _("culture and activities")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        ON_AGENDA = "on_agenda", _("on a meeting's agenda")
        DECIDED = "decided", _("decided")
        IN_PROGRESS = "in_progress", _("being carried out")
        DONE = "done", _("carried out")
        CLOSED = "closed", _("closed")
        MERGED = "merged", _("merged into another")
        DECLINED = "declined", _("not taken up")

    # Public once staff have looked at it; "submitted" waits for triage.
    PUBLIC = [s for s in Status.values if s != "submitted"]
    RATEABLE = (Status.DONE, Status.CLOSED, Status.DECLINED)

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("community")
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, default=new_tracking_number)
    proposer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("proposer"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("your suggestion"))
    # Private: a resident's suggestion is public only once staff have looked at it (councils:suggestion_photo).
    photo = models.ImageField(_("photo"), upload_to="councils/suggestions/%Y/%m/", blank=True, storage=private_storage)
    location = models.CharField(_("where"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    reply = models.TextField(_("reply from the community"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    resolution = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name=_("resolution"),
    )
    supporters_count = models.PositiveIntegerField(_("supporters"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating of the outcome"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the outcome"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="suggestion_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="merged_suggestion_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("councils:suggestion_photo", args=[self.tracking_number])

    @property
    def may_be_rated(self) -> bool:
        return self.status in self.RATEABLE and self.rating is None


class SuggestionSupport(models.Model):
    """A resident's support (附议) for a suggestion: once per person, enforced by the database."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="supports", verbose_name=_("suggestion")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("supporter"))
    created_at = models.DateTimeField(_("supported"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["suggestion", "user"], name="support_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.suggestion_id}"
