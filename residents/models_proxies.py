"""Family proxies (子女代办): a resident lets another account (a son, a daughter) act for them — book and cancel
appointments, file cases, sign up to events and activities — for a period, revocable by either side. Health files
are a separate grant, off unless the resident ticks it. Imported by residents.models (Django finds it there)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet


class Right(models.TextChoices):
    """What a proxy may do; each is a field of the grant."""

    BOOK = "can_book", _("book and cancel appointments")
    CASES = "can_file_cases", _("file cases")
    SIGN_UP = "can_sign_up", _("sign up to events and activities")
    HEALTH = "can_see_health", _("see the health file")


class ProxyGrantQuerySet(ScopedQuerySet):
    def active(self, on: dt.date | None = None):
        """In force today: not revoked, within its period. Checked on every act, so a lapse stops it at once."""
        day = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day)

    def allowing(self, right: str):
        return self.active().filter(**{right: True})

    def involving(self, user):
        """The grants `user` gave (as the resident) or received (as the proxy)."""
        return self.filter(Q(grantee=user) | Q(grantor__user=user))


class ProxyGrant(models.Model):
    """A resident's (the grantor's) permission for another account (the grantee) to act on their behalf."""

    class Consent(models.TextChoices):
        ONLINE = "online", _("granted by the resident online")
        SIGNED_FORM = "form", _("signed form at the counter")
        IN_PERSON = "in_person", _("in person at the counter")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    grantor = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="proxy_grants", verbose_name=_("resident")
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proxy_grants_received",
        verbose_name=_("family member (proxy)"),
    )
    relation = models.CharField(_("relation"), max_length=20, blank=True, help_text=_("e.g. 儿子, 女儿"))
    can_book = models.BooleanField(Right.BOOK.label, default=True)
    can_file_cases = models.BooleanField(Right.CASES.label, default=True)
    can_sign_up = models.BooleanField(Right.SIGN_UP.label, default=True)
    can_see_health = models.BooleanField(
        Right.HEALTH.label, default=False, help_text=_("A separate permission: off unless the resident asks for it.")
    )
    starts_on = models.DateField(pgettext_lazy("proxy period", "from"))
    ends_on = models.DateField(pgettext_lazy("proxy period", "until"))
    consent = models.CharField(_("consent given"), max_length=10, choices=Consent.choices, default=Consent.ONLINE)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(pgettext_lazy("time of", "revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ProxyGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("family proxy")
        verbose_name_plural = _("family proxies")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["grantee", "revoked_at"]), models.Index(fields=["grantor", "revoked_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="proxy_period_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.grantor_id} → {self.grantee_id}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.starts_on <= timezone.localdate() <= self.ends_on

    def rights(self) -> list[str]:
        return [str(right.label) for right in Right if getattr(self, right.value)]
