"""便民服务站, the one-stop service hall: the catalogue of service items, counters and their hours, bookable
slots (seats, see portal.core.capacity), bookings, the counter desk, and cases (办件) with their timeline,
attachments and mediation records."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.core.capacity import Seat, Seated, seat_unique_constraint
from services.querysets.hall import (
    BookingQuerySet,
    CaseQuerySet,
    ClosedDayQuerySet,
    CounterQuerySet,
    ServiceItemQuerySet,
    SlotQuerySet,
)

# ------------------------------------------------------------------------------------------------
# Catalogue


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


# ------------------------------------------------------------------------------------------------
# Slots and bookings (the capacity primitive)


class Slot(Seated):
    """A bookable time at one counter; its seats are appointments."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="slots", verbose_name=_("community")
    )
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="slots", verbose_name=_("counter"))
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    objects = SlotQuerySet.as_manager()

    class Meta(Seated.Meta):
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "counter_id"]
        constraints = [
            *Seated.Meta.constraints,
            models.UniqueConstraint(fields=["counter", "starts_at"], name="slot_unique_per_counter"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]
        indexes = [models.Index(fields=["counter", "date"]), models.Index(fields=["community", "date"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M}"

    @classmethod
    def seat_model(cls) -> type[Booking]:
        return Booking

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.ends_at)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud at the counter


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class Booking(Seat):
    """A resident's appointment in a slot, for one service item. `booked_by` is who acted (the resident, or staff: 代办)."""

    seat_thing_field = "slot"
    seat_holder_field = "resident"

    class Desk(models.TextChoices):
        BOOKED = "booked", _("booked")
        CHECKED_IN = "checked_in", _("checked in, waiting")
        CALLED = "called", _("called to the counter")
        SERVED = "served", _("served")
        NO_SHOW = "no_show", _("did not come")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="bookings", verbose_name=_("community")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resident")
    )
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("service"))
    date = models.DateField(_("date"))
    code = models.CharField(_("booking code"), max_length=8, unique=True, default=new_booking_code)
    note = models.CharField(_("note"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    rescheduled_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("rescheduled from")
    )
    desk = models.CharField(_("at the counter"), max_length=12, choices=Desk.choices, default=Desk.BOOKED)
    queue_number = models.PositiveSmallIntegerField(_("queue number"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    # Residents may cancel or reschedule until this long before the slot starts.
    CUTOFF = dt.timedelta(hours=2)

    class Meta(Seat.Meta):
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("work_desk", _("Can work the counter desk (check in, call, serve)")),
            ("book_on_behalf", _("Can book and file cases on behalf of a resident (代办)")),
        ]
        constraints = [seat_unique_constraint("slot", "resident", name="booking_one_live_seat_per_slot")]
        indexes = [
            models.Index(fields=["resident", "status", "date"]),
            models.Index(fields=["community", "date", "desk"]),
            # The admin list, newest first: without it a district's list sorted every booking (240 ms at 44,000).
            models.Index(fields=["-created_at", "-id"], name="booking_newest_first"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_acted_for(self) -> bool:
        """Booked by staff on the resident's behalf (代办)."""
        return bool(self.booked_by_id) and self.booked_by_id != self.resident.user_id

    @property
    def can_change(self) -> bool:
        """The resident may still cancel or reschedule it."""
        return (
            self.status == "active"
            and self.desk == self.Desk.BOOKED
            and timezone.now() < self.slot.starts_at - self.CUTOFF
        )

    def promotion_notice(self) -> dict | None:
        """Tell the resident when a waiting seat is confirmed (hall slots book without a waiting list by default)."""
        if not self.resident.user_id:
            return None
        start = timezone.localtime(self.slot.starts_at)
        return {
            "recipient": self.resident.user,
            "title": _("A place freed up: %(item)s, %(when)s is confirmed")
            % {"item": self.item.name, "when": f"{start:%Y-%m-%d %H:%M}"},
            "body": _("Booking code: %(code)s") % {"code": self.code},
        }

    @property
    def ticket(self) -> str:
        """The number called on the board: counter letter-free, e.g. 2-007."""
        if self.queue_number is None:
            return ""
        return f"{self.slot.counter.number}-{self.queue_number:03d}"


# ------------------------------------------------------------------------------------------------
# Cases (办件)


def add_working_days(start: dt.date, days: int, closed: set[dt.date] | frozenset = frozenset()) -> dt.date:
    """The date `days` working days after `start`: weekends and the hall's closed days do not count."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            left -= 1
    return day


class Case(models.Model):
    """An application, repair request, mediation or complaint, worked by staff until done or rejected."""

    Kind = ServiceItem.CaseKind

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")

    # Which status may follow which: the whole state machine in one place.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED},
        Status.ACCEPTED: {Status.IN_PROGRESS, Status.DONE, Status.REJECTED},
        Status.IN_PROGRESS: {Status.DONE, Status.REJECTED},
        Status.DONE: set(),
        Status.REJECTED: set(),
    }

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="cases", verbose_name=_("community")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="cases", verbose_name=_("resident")
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("service")
    )
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("counter")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    title = models.CharField(_("subject"), max_length=100)
    description = models.TextField(_("details"))
    location = models.CharField(
        _("where"), max_length=100, blank=True, help_text=_("For repairs: building, unit, room.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    deadline = models.DateField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the director"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the result"), max_length=300, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "deadline"]),
            models.Index(fields=["resident", "-submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="case_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="case_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"BJ{self.pk or 0:07d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()

    @property
    def can_rate(self) -> bool:
        return self.status == self.Status.DONE and self.rating is None

    def _move(self, to: str) -> str:
        """Change status if the flow allows it; returns the old status."""
        if to not in self.TRANSITIONS[self.Status(self.status)]:
            raise ValidationError(
                _("A case that is %(old)s cannot become %(new)s.")
                % {"old": self.get_status_display(), "new": self.Status(to).label}
            )
        old = self.status
        self.status = to
        return old

    def accept(self) -> str:
        old = self._move(self.Status.ACCEPTED)
        self.accepted_at = timezone.now()
        return old

    def start(self) -> str:
        return self._move(self.Status.IN_PROGRESS)

    def complete(self) -> str:
        old = self._move(self.Status.DONE)
        self.closed_at = timezone.now()
        return old

    def reject(self, reason: str) -> str:
        if not (reason or "").strip():
            raise ValidationError({"rejection_reason": _("Say why the case is rejected.")})
        old = self._move(self.Status.REJECTED)
        self.rejection_reason = reason.strip()
        self.closed_at = timezone.now()
        return old

    def rate(self, rating: int, comment: str = "") -> None:
        if not self.can_rate:
            raise ValidationError(_("Only a finished case can be rated, and only once."))
        if not 1 <= int(rating) <= 5:
            raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
        self.rating = int(rating)
        self.rating_comment = comment


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when; internal lines are for staff only."""

    class Kind(models.TextChoices):
        FILED = "filed", _("filed")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        NOTE = "note", _("note")
        ATTACHMENT = "attachment", _("attachment added")
        RATED = "rated", _("rated")
        ESCALATED = "escalated", _("escalated")
        MEDIATION = "mediation", _("mediation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    text = models.TextField(_("text"), blank=True)
    internal = models.BooleanField(_("internal (staff only)"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("timeline")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def to_status_label(self) -> str:
        return str(Case.Status(self.to_status).label) if self.to_status else ""


def private_storage() -> FileSystemStorage:
    """Case files live outside MEDIA_ROOT's public URL space and are served only through a checked view."""
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (settings.MEDIA_ROOT.parent / "private-media")
    return FileSystemStorage(location=root, base_url=None)


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    """A generated name: nothing the uploader chose reaches the file system but a known extension."""
    ext = PurePosixPath(filename).suffix.lower()
    return f"cases/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class CaseAttachment(models.Model):
    """An image or PDF on a case; checked by content, stored under a generated name, never public."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case"))
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    internal = models.BooleanField(_("internal (staff only)"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Mediation(models.Model):
    """The mediation record of a neighbour-dispute case (邻里矛盾纠纷调解)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="mediation", verbose_name=_("case"))
    parties = models.TextField(_("parties"), help_text=_("One party per line: name and address."))
    dispute = models.TextField(_("what the dispute is about"), blank=True)
    agreement = models.TextField(_("agreement reached"), blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up visit due"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("follow-up visit made"), null=True, blank=True)
    follow_up_notes = models.TextField(_("follow-up visit notes (回访)"), blank=True)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")

    def __str__(self) -> str:
        return str(self.case)

    @cached_property
    def party_list(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class MediationSession(models.Model):
    """One meeting of the parties with the mediator."""

    mediation = models.ForeignKey(
        Mediation, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mediation")
    )
    held_at = models.DateTimeField(_("held"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mediator"),
    )
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.held_at):%Y-%m-%d %H:%M}"
