"""Civility appraisals (文明家庭 / 文明楼院评选): a campaign, nominations, one vote per household, results."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.uploads import private_storage, validate_image


def nomination_photo_path(instance, filename: str) -> str:
    return f"appraisals/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class AppraisalQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Appraisal.Status.DRAFT)


class Appraisal(models.Model):
    """A campaign: its criteria and its nomination and voting dates."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("civilised family (文明家庭)")
        COURTYARD = "courtyard", _("civilised courtyard (文明楼院)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        PUBLISHED = "published", _("results published")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    criteria = models.TextField(_("criteria"))
    nominate_until = models.DateTimeField(_("nominations close"))
    vote_until = models.DateTimeField(_("voting closes"))
    winners = models.PositiveSmallIntegerField(_("number of winners"), default=5)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        db_table = "portal_appraisal"  # the table kept its name when the site got its own app
        verbose_name = _("civility appraisal")
        verbose_name_plural = _("civility appraisals")
        ordering = ["-vote_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_until__gte=models.F("nominate_until")),
                name="appraisal_vote_after_nomination",
                violation_error_message=_("Voting must close after nominations close."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def nominating(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() <= self.nominate_until

    @property
    def voting(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() <= self.vote_until


class Nomination(models.Model):
    """A household (文明家庭) or a building/courtyard (文明楼院) put forward, with reasons and a photo."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        ACCEPTED = "accepted", _("on the ballot")
        REJECTED = "rejected", _("not accepted")

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("appraisal")
    )
    household = models.ForeignKey(
        "residents.Household",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("household"),
    )
    building = models.ForeignKey(
        "residents.Building",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("building / courtyard"),
    )
    title = models.CharField(_("nominee"), max_length=100, help_text=_("As shown on the ballot, e.g. 3号楼 张家."))
    reasons = models.TextField(_("reasons"))
    # Private: a household's photo, seen by everyone only once the nomination is on the ballot (portal:nomination_photo).
    photo = models.ImageField(
        _("photo"), upload_to=nomination_photo_path, blank=True, validators=[validate_image], storage=private_storage
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("nominated by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    story = models.TextField(_("winner's story"), blank=True)
    is_winner = models.BooleanField(_("winner"), default=False)
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        db_table = "portal_nomination"  # the table kept its name when the site got its own app
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-votes", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(building__isnull=False), name="nomination_has_a_nominee"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("portal:nomination_photo", args=[self.appraisal_id, self.pk])

    def clean(self) -> None:
        if not (self.household_id or self.building_id):
            raise ValidationError({"building": _("Choose the building or courtyard of the nominee.")})
        if self.appraisal_id and self.appraisal.kind == Appraisal.Kind.COURTYARD and not self.building_id:
            raise ValidationError({"building": _("Choose the building or courtyard nominated.")})


class Vote(models.Model):
    """One vote per household per appraisal: the database refuses a second one, whoever in the family casts it."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="ballots")
    household = models.ForeignKey("residents.Household", on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "portal_vote"  # the table kept its name when the site got its own app
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "household"], name="one_vote_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id}/{self.nomination_id}"
