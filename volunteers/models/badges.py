"""Volunteer badges (专门标志): a PNG drawn by a Celery task, verified through a signed QR token."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.uploads import private_storage
from volunteers.models.volunteers import Volunteer


def badge_path(instance: Badge, filename: str) -> str:
    return f"volunteers/badges/{instance.code.hex}.png"


class Badge(models.Model):
    """One issued badge. The QR code holds a signed token of `code` only: no personal data."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("could not be drawn")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="badges", verbose_name=_("volunteer")
    )
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    image = models.FileField(_("image"), upload_to=badge_path, storage=private_storage, blank=True)
    verify_url = models.CharField(_("verification address"), max_length=300, blank=True)
    font_name = models.CharField(_("font used"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    rendered_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return str(self.code)[:8]

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("volunteers:badge_image", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        """A badge verifies while it is not revoked and its volunteer is approved."""
        return self.revoked_at is None and self.volunteer.status == Volunteer.Status.APPROVED
