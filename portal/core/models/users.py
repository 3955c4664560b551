"""Accounts: people who log in with a mainland mobile number, and their sessions."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.disclosure import mask_phone
from portal.core.sessions import SessionStore

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
        "portal.Community",
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
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Messages to this person are written in this language; set when they switch the site's language."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # This sign-in and the one before it (portal.core.sessions.remember_sign_in): staff pages show the one before,
    # so that someone else's use of the account is noticed.
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True, editable=False)
    signed_in_from = models.GenericIPAddressField(_("signed in from"), null=True, blank=True, editable=False)
    previous_sign_in_at = models.DateTimeField(_("previous sign-in"), null=True, blank=True, editable=False)
    previous_sign_in_from = models.GenericIPAddressField(
        _("previous sign-in from"), null=True, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_all_communities", _("Can see and manage every community of the district")),
            ("link_account", _("Can link a registered account to a resident record")),
            # Grid workers (网格员): portal.core.access narrows every register query to their own grid.
            ("only_own_grid", _("Works only in their own grid of the community")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({mask_phone(self.phone)})"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class PendingAccount(User):
    """A self-registered resident account that staff have not yet linked to a record in the register (admin only)."""

    class Meta:
        proxy = True
        verbose_name = _("pending registration")
        verbose_name_plural = _("pending registrations")


class Session(AbstractBaseSession):
    """A login session with its owner, device and address (see portal.core.sessions)."""

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
        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
