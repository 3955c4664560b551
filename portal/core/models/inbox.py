"""The notification inbox and the e-mail/SMS deliveries of each notification."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """One entry in a user's in-site inbox; e-mail and SMS deliveries hang off it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    """What a notification is about: residents choose, per kind, which channels besides the inbox carry it."""

    BOOKINGS = "bookings", _("appointments and bookings")
    CASES = "cases", _("cases and requests")
    COUNCILS = "councils", _("councils and suggestions")
    EVENTS = "events", _("events and activities")
    VOLUNTEERS = "volunteers", pgettext_lazy("notification kind", "volunteering")
    ACCOUNT = "account", _("account and family proxies")


def default_quiet_start() -> dt.time:
    return dt.time(21, 0)


def default_quiet_end() -> dt.time:
    return dt.time(8, 0)


class NotificationPreference(models.Model):
    """A person's choice of channels per kind of notification, and the quiet hours in which no SMS is sent (it
    waits for their end). No row: every channel on, default quiet hours. The inbox is always on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    # "kind:channel" pairs switched off, e.g. "events:sms"; everything else is on.
    muted = models.JSONField(_("channels switched off"), default=list, blank=True)
    quiet_hours = models.BooleanField(_("quiet hours"), default=True)
    quiet_start = models.TimeField(_("quiet from"), default=default_quiet_start)
    quiet_end = models.TimeField(_("quiet until"), default=default_quiet_end)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)

    def wants(self, kind: str, channel: str) -> bool:
        return kind == Kind.ACCOUNT or f"{kind}:{channel}" not in (self.muted or [])


class Delivery(models.Model):
    """A copy of a notification sent by e-mail or SMS; sent once, whatever the retries. An SMS to someone without
    an account (a council member) has no notification: its text is kept on the delivery. During the recipient's
    quiet hours an SMS waits (`not_before`) rather than being dropped."""

    class Channel(models.TextChoices):
        EMAIL = "email", pgettext_lazy("channel", "e-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    text = models.CharField(_("text"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(pgettext_lazy("time of", "sent"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.notification_id}"
