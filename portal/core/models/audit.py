"""Audit logs: staff changes, and every staff read of sensitive personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.disclosure import PERMISSIONS


class AuditLog(models.Model):
    """Who did what to which record, for staff actions that change data."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    community = models.ForeignKey(
        "portal.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("community"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class SensitiveAccessLog(models.Model):
    """A staff read (or denied attempt) of a person's sensitive data; holds no sensitive values itself."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("read by")
    )
    subject = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="access_log", verbose_name=_("whose data")
    )
    field = models.CharField(_("what was read"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    denied = models.BooleanField(_("denied"), default=False)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data access log")
        ordering = ["-at", "-id"]
        # Who sees which personal field in full (portal/core/disclosure.py): "See … in full", one per kind.
        permissions = PERMISSIONS

    def __str__(self) -> str:
        return f"{self.field} @ {self.at:%Y-%m-%d %H:%M}"
