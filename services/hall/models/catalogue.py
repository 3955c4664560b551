"""The catalogue of the one-stop service hall (便民服务站): categories, counters with their opening hours and closed
days, and the service items each community offers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from services.hall.querysets import ClosedDayQuerySet, CounterQuerySet, ServiceItemQuerySet


class ServiceCategory(models.Model):
    """A heading of the catalogue (低保救助, 户籍及流动人口管理 …), shared by every community of the district."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """A counter (窗口) of the hall, with its weekly opening hours; slots are cut from those hours."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="counters", verbose_name=_("community")
    )
    number = models.PositiveSmallIntegerField(_("counter number"))
    name = models.CharField(_("name"), max_length=50)
    location = models.CharField(_("where"), max_length=100, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per slot"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    seats_per_slot = models.PositiveSmallIntegerField(
        _("appointments per slot"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_active = models.BooleanField(_("open for bookings"), default=True)

    objects = CounterQuerySet.as_manager()

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["community_id", "number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="counter_number_unique")]

    def __str__(self) -> str:
        return _("Counter %(number)s · %(name)s") % {"number": self.number, "name": self.name}

    @property
    def label(self) -> str:
        return str(_("Counter %(number)s") % {"number": self.number})


class OpeningHours(models.Model):
    """One opening period of a counter on a weekday (a day can have a morning and an afternoon period)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="hours", verbose_name=_("counter"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["counter_id", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"),
            models.UniqueConstraint(fields=["counter", "weekday", "opens"], name="opening_hours_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosedDay(models.Model):
    """A day the whole hall (no counter) or one counter is closed: a public holiday, training, a move."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="closed_days", verbose_name=_("community")
    )
    counter = models.ForeignKey(
        Counter,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closed_days",
        verbose_name=_("counter"),
        help_text=_("Leave empty when the whole hall is closed."),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=100)

    objects = ClosedDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days and holidays")
        ordering = ["-date"]
        indexes = [models.Index(fields=["community", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class ServiceItem(models.Model):
    """One thing the hall does (办事项目), with what to bring and how long it may take by law."""

    class CaseKind(models.TextChoices):
        APPLICATION = "application", _("application")
        REPAIR = "repair", _("repair request")
        MEDIATION = "mediation", _("neighbour-dispute mediation")
        RIGHTS = "rights", _("rights and complaints")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="service_items", verbose_name=_("community")
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="items", verbose_name=_("counter that handles it")
    )
    name = models.CharField(_("name"), max_length=100)
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)
    description = models.TextField(_("what it is and who may apply"), blank=True)
    documents = models.JSONField(
        _("documents to bring"), default=list, blank=True, help_text=_("One entry per document.")
    )
    time_limit_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"), default=5)
    case_kind = models.CharField(
        _("kind of case"), max_length=12, choices=CaseKind.choices, default=CaseKind.APPLICATION
    )
    needs_appointment = models.BooleanField(_("needs an appointment"), default=True)
    online_application = models.BooleanField(_("can be applied for online"), default=False)
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__order", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="service_item_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.documents, list) or not all(isinstance(d, str) for d in self.documents):
            raise ValidationError({"documents": _("Give the documents as a list of texts.")})
        if self.counter_id and self.community_id and self.counter.community_id != self.community_id:
            raise ValidationError({"counter": _("This counter belongs to another community.")})
