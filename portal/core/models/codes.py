"""SMS one-time codes (短信验证码): one row per code sent or refused to be sent, kept hashed.

The rows are also the send counters (at most one a minute and ten a day per number and per address), so codes and
limits live in the database, not in the cache: the cache fails soft (portal.core.cache), and a limit that lifts
itself when Redis is away would let anyone flood a number or spend the district's SMS budget. See portal.core.codes.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PhoneCode(models.Model):
    """One six-digit code for one number and one purpose; valid five minutes, used once, a few wrong tries."""

    class Purpose(models.TextChoices):
        LOGIN = "login", pgettext_lazy("code purpose", "sign-in")
        REGISTER = "register", pgettext_lazy("code purpose", "registration")
        RESET = "reset", pgettext_lazy("code purpose", "password reset")
        CHANGE_PHONE = "change_phone", pgettext_lazy("code purpose", "change of mobile number")
        SECOND_STEP = "second_step", pgettext_lazy("code purpose", "staff second step")

    phone = models.CharField(_("mobile number"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    salt = models.CharField(_("salt"), max_length=32)
    ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    sent = models.BooleanField(
        _("sent"), default=True, help_text=_("False when no code went out (no account for a sign-in or a reset).")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="phonecode_phone_time"),
            models.Index(fields=["ip", "created_at"], name="phonecode_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
