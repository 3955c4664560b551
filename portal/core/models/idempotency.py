"""Idempotency keys of forms that write (portal/core/idempotency.py): one row per key a person's form carried,
with what its first sending did."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdempotencyKey(models.Model):
    """A form sent once. The row is inserted in the same transaction as the write the form asks for, so a second
    sending of the same key (a double tap, a retry after a dropped connection) waits for the first and then finds
    its outcome instead of doing the work again; a form refused (an error to correct) leaves no row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    path = models.CharField(_("address"), max_length=200)
    key = models.CharField(_("key"), max_length=32)
    status = models.PositiveSmallIntegerField(_("status code"), default=0)
    location = models.CharField(_("result page"), max_length=500, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("time of", "sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")
        constraints = [models.UniqueConstraint(fields=["user", "path", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.path} {self.key}"
