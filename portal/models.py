"""The portal's own records: users, the notification inbox and its deliveries, and the audit logs."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import validate_document, validate_image

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    """Strip spaces, dashes and a +86/0086 prefix from a mainland mobile number."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting with 13–19."""
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a valid mainland mobile number: 11 digits starting with 1, e.g. 13812345678."), code="mobile"
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra) -> User:
        phone = normalize_mobile(phone)
        validate_mobile(phone)
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with a mainland mobile number: a resident or a member of staff."""

    phone = models.CharField(_("mobile number"), max_length=11, unique=True, validators=[validate_mobile])
    name = models.CharField(_("full name"), max_length=50)
    email = models.EmailField(_("e-mail"), blank=True)
    community = models.ForeignKey(
        "residents.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Staff work in this community; residents live in it. Empty for district administrators."),
    )
    registered_address = models.CharField(
        _("address given at registration"), max_length=200, blank=True, help_text=_("Used to find the household.")
    )
    elder_mode = models.BooleanField(
        _("elderly-friendly mode (长辈模式)"), default=False, help_text=_("Large type, high contrast, a simple menu.")
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_all_communities", _("Can see and manage every community of the district")),
            ("link_account", _("Can link a registered account to a resident record")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({mask_phone(self.phone)})"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


def mask_phone(phone: str) -> str:
    """138****5678."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone


class PendingAccount(User):
    """A self-registered resident account that staff have not yet linked to a record in the register (admin only)."""

    class Meta:
        proxy = True
        verbose_name = _("pending registration")
        verbose_name_plural = _("pending registrations")


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


class Delivery(models.Model):
    """A copy of a notification sent by e-mail or SMS; sent once, whatever the retries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.notification_id}"


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
        "residents.Community",
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

    def __str__(self) -> str:
        return f"{self.field} @ {self.at:%Y-%m-%d %H:%M}"


class NoticeQuerySet(models.QuerySet):
    def published(self, now=None):
        """Notices whose publish time has come and whose expiry has not."""
        now = now or timezone.now()
        return self.filter(publish_at__lte=now).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))

    def for_community(self, community_id: int | None):
        """A community's own notices plus the district-wide ones (no community)."""
        return self.filter(models.Q(community_id=community_id) | models.Q(community__isnull=True))


def notice_attachment_path(instance, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    return f"notices/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class Notice(models.Model):
    """A notice or news item (公告) of a community, or of the whole district when it has no community."""

    class Category(models.TextChoices):
        GENERAL = "general", _("general")
        SAFETY = "safety", _("safety")
        ENVIRONMENT = "environment", _("environment")
        CIVILITY = "civility", _("civility")
        SERVICES = "services", _("services")
        HEALTH = "health", _("health")
        CULTURE = "culture", _("culture")
        COUNCILS = "councils", _("councils")

    community = models.ForeignKey(
        "residents.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("community"),
        help_text=_("Empty: a notice for the whole district."),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.GENERAL)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    attachment = models.FileField(
        _("attachment"),
        upload_to=notice_attachment_path,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF or image, at most 5 MB."),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [models.Index(fields=["community", "-publish_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("publish_at")),
                name="notice_expires_after_publish",
                violation_error_message=_("The expiry must be after the publish time."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:notice", args=[self.pk])

    @property
    def is_published(self) -> bool:
        now = timezone.now()
        return self.publish_at <= now and (self.expires_at is None or self.expires_at > now)


def contact_photo_path(instance, filename: str) -> str:
    import uuid

    return f"contacts/{uuid.uuid4().hex}.jpg"


class ContactPerson(models.Model):
    """Someone on the courtyard contact boards (联系标牌): work phone and photo are public by design."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("community worker in charge")
        GROUP_LEADER = "group_leader", _("courtyard party-group leader")
        POLICE = "police", _("community police officer")
        DEPUTY = "deputy", _("people's congress deputy")

    community = models.ForeignKey(
        "residents.Community", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("community")
    )
    kind = models.CharField(_("role on the board"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("public phone"), max_length=30)
    photo = models.ImageField(_("photo"), upload_to=contact_photo_path, blank=True, validators=[validate_image])
    buildings = models.ManyToManyField(
        "residents.Building", related_name="contacts", blank=True, verbose_name=_("buildings / courtyards")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contact-board person")
        verbose_name_plural = _("contact-board people")
        ordering = ["order", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Session(AbstractBaseSession):
    """A login session with its owner, device and address (see portal.sessions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
        db_index=True,
    )
    user_agent = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    last_seen = models.DateTimeField(default=timezone.now)

    @classmethod
    def get_session_store_class(cls):
        from portal.sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
