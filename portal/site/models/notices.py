"""Site content: notices (公告) and the people on the courtyard contact boards (联系标牌)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.uploads import private_storage, public_storage, validate_document, validate_image


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
        "portal.Community",
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
        storage=private_storage,  # a notice may be previewed before it is published: portal:notice_attachment
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
        db_table = "portal_notice"  # the table kept its name when the site got its own app
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
        return reverse("portal:notice", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        """Where the admin links this record's private file: the view that serves it after the record's check."""
        return reverse("portal:notice_attachment", args=[self.pk])

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
        "portal.Community", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("community")
    )
    kind = models.CharField(_("role on the board"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("public phone"), max_length=30)
    # Public: the photo hangs on the courtyard's contact board, whose page anyone may read (portal:contact_photo).
    photo = models.ImageField(
        _("photo"), upload_to=contact_photo_path, blank=True, validators=[validate_image], storage=public_storage
    )
    buildings = models.ManyToManyField(
        "residents.Building", related_name="contacts", blank=True, verbose_name=_("buildings / courtyards")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "portal_contactperson"  # the table kept its name when the site got its own app
        verbose_name = _("contact-board person")
        verbose_name_plural = _("contact-board people")
        ordering = ["order", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Facility(models.Model):
    """The 10-minute life service circle (10分钟生活服务圈): places near the community, and rooms that stationed
    units open to residents (资源共享)."""

    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("kindergarten")
        SCHOOL = "school", _("school")
        SUPERMARKET = "supermarket", _("supermarket / market")
        CLINIC = "clinic", _("clinic")
        HOSPITAL = "hospital", _("hospital")
        PHARMACY = "pharmacy", _("pharmacy")
        BANK = "bank", _("bank")
        UNIT_ROOM = "unit_room", _("room opened by a stationed unit")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="facilities", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    walk_minutes = models.PositiveSmallIntegerField(_("minutes on foot"), default=10)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "residents.StationedUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_rooms",
        verbose_name=_("stationed unit"),
        help_text=_("For rooms a stationed unit opens to residents (图书室, 阅览室, 活动场地)."),
    )

    class Meta:
        db_table = "portal_facility"  # the table kept its name when the site got its own app
        verbose_name = _("nearby facility")
        verbose_name_plural = _("nearby facilities")
        ordering = ["kind", "walk_minutes", "name"]

    def __str__(self) -> str:
        return self.name
