"""Staff's second factor (等保 2.0 level 3: administrators sign in with two factors): an authenticator app (TOTP,
RFC 6238) and single-use recovery codes. An SMS code to the account's number is the other second factor, kept in
PhoneCode like every code. The rules are in portal.core.second_factor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecondFactor(models.Model):
    """One staff member's authenticator app and second-step lock. The secret is kept encrypted and never shown
    again once confirmed; the last time step used refuses the same code a second time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="second_factor",
    )
    totp_secret = models.CharField(_("authenticator key (encrypted)"), max_length=300, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(_("authenticator set up"), null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(_("last code's time step"), null=True, blank=True, editable=False)
    failures = models.PositiveSmallIntegerField(_("wrong second-step tries"), default=0, editable=False)
    locked_until = models.DateTimeField(_("second step paused until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost, kept only as a keyed hash; shown once when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    salt = models.CharField(_("salt"), max_length=32)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
