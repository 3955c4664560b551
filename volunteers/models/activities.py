"""Activities (志愿服务活动) with seats, sign-ups with check-in/out, and the hours they earn."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from portal.core.capacity import Seat, Seated, SeatStatus, seat_unique_constraint
from volunteers.models.volunteers import SKILL_LABELS, Team, Volunteer

HOURS_PLACES = Decimal("0.01")
MAX_HOURS_PER_ACTIVITY = Decimal(24)


def span(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """Local start and end of something on `day` from `start` to `end`; an end at or before the start is the next day."""
    tz = timezone.get_default_timezone()
    begins = timezone.make_aware(dt.datetime.combine(day, start), tz)
    end_day = day + dt.timedelta(days=1) if end <= start else day
    ends = timezone.make_aware(dt.datetime.combine(end_day, end), tz)
    return begins, ends


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Hours from `start` to `end` (aware datetimes), to two decimals; across midnight and DST alike."""
    if end < start:
        raise ValueError("end before start")
    seconds = Decimal(int((end - start).total_seconds()))
    return (seconds / Decimal(3600)).quantize(HOURS_PLACES, rounding=ROUND_HALF_UP)


def time_after(reference: dt.datetime, at: dt.time) -> dt.datetime:
    """The first moment at local time `at` on or after `reference`'s day that is not before `reference`.

    A check-out time of 01:30 after a check-in at 22:00 is the next day's 01:30.
    """
    local = timezone.localtime(reference)
    candidate = timezone.make_aware(dt.datetime.combine(local.date(), at), timezone.get_default_timezone())
    if candidate < reference:
        candidate += dt.timedelta(days=1)
    return candidate


class ActivityQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=Activity.Status.OPEN)

    def upcoming(self, today: dt.date | None = None):
        return self.open().filter(date__gte=today or timezone.localdate())

    def in_month(self, year: int, month: int):
        return self.filter(date__year=year, date__month=month)


class Activity(Seated):
    """A volunteer activity on one date, with a number of places (the shared seat primitive)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("activity status", "open")
        CANCELLED = "cancelled", _("cancelled")

    community = models.ForeignKey(
        "portal.Community",
        on_delete=models.CASCADE,
        related_name="volunteer_activities",
        verbose_name=_("community"),
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"), help_text=_("An end before the start means the next day."))
    place = models.CharField(_("place"), max_length=100)
    skills_wanted = models.JSONField(_("skills wanted"), default=list, blank=True)
    serves = models.CharField(
        _("people or places served"),
        max_length=200,
        blank=True,
        help_text=_("E.g. elderly people living alone in building 3."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta(Seated.Meta):
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["community", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.start_time and self.end_time and self.start_time == self.end_time:
            errors["end_time"] = _("The activity must end at another time than it starts.")
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors["capacity"] = _("%(n)d places are already taken; the activity cannot have fewer.") % {
                "n": self.seats_taken
            }
        if self.team_id and self.community_id and self.team.community_id != self.community_id:
            errors["team"] = _("This team belongs to another community.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def seat_model(cls) -> type[SignUp]:
        return SignUp

    @property
    def starts_at(self) -> dt.datetime:
        return span(self.date, self.start_time, self.end_time)[0]

    @property
    def ends_at(self) -> dt.datetime:
        return span(self.date, self.start_time, self.end_time)[1]

    @property
    def planned_hours(self) -> Decimal:
        return hours_between(*span(self.date, self.start_time, self.end_time))

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def skill_labels(self) -> list[str]:
        return [str(SKILL_LABELS.get(code, code)) for code in self.skills_wanted]


class SignUpQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=SeatStatus.ACTIVE)

    def confirmed(self):
        return self.filter(hours_confirmed_at__isnull=False)


class SignUp(Seat):
    """A volunteer's place at an activity, the actual times, and the hours credited for it."""

    seat_thing_field = "activity"
    seat_holder_field = "volunteer"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="signups", verbose_name=_("volunteer")
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    hours_confirmed_at = models.DateTimeField(_("hours confirmed"), null=True, blank=True)
    hours_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity_id", "created_at", "pk"]
        constraints = [
            seat_unique_constraint("activity", "volunteer", "volunteer_signup_one_live_per_activity"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("checked_in_at")),
                name="volunteer_signup_out_after_in",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | (Q(hours__gte=0) & Q(hours__lte=MAX_HOURS_PER_ACTIVITY)),
                name="volunteer_signup_hours_in_range",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "hours_confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.activity_id}"

    @property
    def state(self) -> str:
        """Where the sign-up stands, for badges in lists."""
        if self.status != SeatStatus.ACTIVE:
            return self.get_status_display()
        if self.hours_confirmed_at:
            return str(_("hours confirmed"))
        if self.checked_out_at:
            return str(_("checked out, hours to confirm"))
        if self.checked_in_at:
            return str(_("checked in"))
        return str(_("signed up"))


class HourCorrection(models.Model):
    """A change to the hours of a sign-up: who, old, new and why. Never edited or deleted."""

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("sign-up"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("corrected by")
    )
    old_hours = models.DecimalField(_("hours before"), max_digits=5, decimal_places=2, null=True)
    new_hours = models.DecimalField(_("hours after"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("hour correction")
        verbose_name_plural = _("hour corrections")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_hours} → {self.new_hours}"
