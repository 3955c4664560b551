"""文化服务站: activity rooms and their bookings, teams, classes with sessions and attendance.

Two bookings of the same room can never overlap: a PostgreSQL exclusion constraint over (room, time range)
decides it, so it holds under any concurrency. It needs the btree_gist extension (created by the services
migration with BtreeGistExtension: keep that operation first when migrations are regenerated).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from portal.core.capacity import Seat, Seated, seat_unique_constraint

__all__ = [
    "ClassEnrolment",
    "CulturePlan",
    "ClassSession",
    "CultureClass",
    "Room",
    "RoomBooking",
    "SessionAttendance",
    "Team",
    "TeamMember",
]


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that is skipped on SQLite (the embedded `make run` default has no GiST)."""

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if schema_editor.connection.vendor == "postgresql" else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if schema_editor.connection.vendor == "postgresql" else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if schema_editor.connection.vendor == "postgresql" else None

    def validate(self, model, instance, exclude=None, using="default"):
        if connections[using].vendor != "postgresql":
            return
        if exclude and self.condition is not None and self.condition.referenced_base_fields & set(exclude):
            # A form without a field of the condition (the admin's booking form has no status): skipped, as Django
            # skips it for an excluded field of the expressions (it would fail on the missing field instead). That
            # form asks the same question itself (services.culture.actions.room_booking_check).
            return
        super().validate(model, instance, exclude=exclude, using=using)


class Room(models.Model):
    """An activity room (活动室) of the culture station."""

    class Kind(models.TextChoices):
        PARTY = "party", _("party-member activity room (党员活动室)")
        PAINTING = "painting", _("calligraphy and painting room (书画室)")
        CHESS = "chess", _("chess and cards room (棋牌室)")
        OPERA = "opera", _("opera and ballad room (曲艺室)")
        FITNESS = "fitness", _("fitness area (健身区)")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("people at most"))
    opens_at = models.TimeField(_("opens"), default=dt.time(8, 0))
    closes_at = models.TimeField(_("closes"), default=dt.time(21, 0))
    rules = models.TextField(_("rules"), blank=True)
    bookable = models.BooleanField(_("residents may book"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity room")
        verbose_name_plural = _("activity rooms")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="room_name_unique_in_community"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="room_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.name


class RoomBookingQuerySet(ScopedQuerySet):
    community_path = "room__community"

    def active(self):
        return self.filter(status=RoomBooking.Status.ACTIVE)

    def between(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class RoomBooking(models.Model):
    """A room for a time range, by a resident, a team, a class session or the station itself."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("booked")
        CANCELLED = "cancelled", _("cancelled")

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="bookings", verbose_name=pgettext_lazy("activity room", "room")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    resident = models.ForeignKey(
        "residents.Resident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="room_bookings",
        verbose_name=_("resident"),
    )
    team = models.ForeignKey(
        "services.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("team"),
    )
    purpose = models.CharField(_("purpose"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("booked by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RoomBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="room_booking_ends_after_start"),
            PostgresOnlyExclusionConstraint(
                name="room_booking_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=Q(status="active"),
                violation_error_message=_("This room is already booked at that time. Please choose another time."),
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.room_id} {start:%Y-%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class Team(models.Model):
    """A residents' team (梦想乐队, 老年合唱团 …) with members and leaders."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="team_name_unique_in_community")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="team_memberships", verbose_name=_("resident")
    )
    is_leader = models.BooleanField(_("leader"), default=False)
    joined_on = models.DateField(_("joined"), default=timezone.localdate)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_leader", "joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "resident"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.resident_id}"


class CultureClass(Seated):
    """A class (传统乐器演奏培训班 …): a series of sessions in a room, with an enrolment limit."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    teacher = models.CharField(_("teacher"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="classes", verbose_name=pgettext_lazy("activity room", "room")
    )
    has_waiting_list = models.BooleanField(_("waiting list when full"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta(Seated.Meta):
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["community_id", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def seat_model(cls):
        return ClassEnrolment


class ClassEnrolment(Seat):
    seat_thing_field = "klass"
    seat_holder_field = "resident"

    klass = models.ForeignKey(
        CultureClass, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("class")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="class_enrolments", verbose_name=_("resident")
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "id"]
        constraints = [seat_unique_constraint("klass", "resident", "class_enrolment_once")]

    def __str__(self) -> str:
        return f"{self.klass_id}/{self.resident_id}"


class ClassSessionQuerySet(ScopedQuerySet):
    community_path = "klass__community"


class ClassSession(models.Model):
    """One session of a class; it holds its room through a room booking."""

    klass = models.ForeignKey(CultureClass, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("class"))
    booking = models.OneToOneField(
        RoomBooking, on_delete=models.PROTECT, related_name="class_session", verbose_name=_("room booking")
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=100, blank=True)

    objects = ClassSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.klass_id} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        ClassEnrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("enrolment")
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}"


class CulturePlan(models.Model):
    """The culture station's plan for a year: how many large fun events (大型趣味性活动) it will hold — the source
    asks for 2 to 3 a year. The dashboard counts the year's large events (StationEvent.large) against it."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    large_events = models.PositiveSmallIntegerField(
        _("large fun events planned"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The source: 2 to 3 large fun events a year."),
    )
    note = models.TextField(_("what is planned"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("culture station's yearly plan")
        verbose_name_plural = _("culture station's yearly plans")
        ordering = ["community_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="culture_plan_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(large_events__gte=1, large_events__lte=12), name="culture_plan_large_events_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"
