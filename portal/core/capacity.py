"""The one capacity primitive (DESIGN.md rule 3): things with seats, and taking, freeing and moving a seat.

A *thing* (hall slot, room slot, event, class, volunteer activity) inherits `Seated`: `capacity` and a
`seats_taken` counter that a database check keeps ≤ capacity. A *seat* model inherits `Seat` and declares
which field points at the thing (`seat_thing_field`) and which at the person (`seat_holder_field`), plus
`seat_unique_constraint(...)`: one live seat (active or waiting) per person per thing, enforced by the
database.

Taking a seat is one conditional UPDATE (`seats_taken = seats_taken + 1 WHERE seats_taken < capacity`):
PostgreSQL re-checks the condition after waiting for the row lock, so concurrent takers can never
overbook, and nobody gets an error — they get FULL. The insert of the seat row happens in the same
transaction, so a duplicate (one person, twice) rolls the increment back and answers ALREADY.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core import pagecache
from portal.core.notify import notify


class Seated(models.Model):
    """Abstract: a thing with a fixed number of seats."""

    capacity = models.PositiveIntegerField(_("seats"))
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)

    # Whether a full thing offers a waiting list.
    has_waiting_list = False

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="%(app_label)s_%(class)s_seats_within_capacity"
            )
        ]

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity


class SeatStatus(models.TextChoices):
    ACTIVE = "active", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


LIVE_STATUSES = (SeatStatus.ACTIVE, SeatStatus.WAITING)


class Seat(models.Model):
    """Abstract: one person's seat (or place on the waiting list) at one thing."""

    seat_thing_field = "thing"
    seat_holder_field = "holder"

    status = models.CharField(_("status"), max_length=10, choices=SeatStatus.choices, default=SeatStatus.ACTIVE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    cancelled_at = models.DateTimeField(pgettext_lazy("time of", "cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def promotion_notice(self) -> dict[str, Any] | None:
        """What to tell the holder when a waiting seat is confirmed: kwargs for portal.core.notify.notify, or None."""
        return None


def seat_unique_constraint(thing_field: str, holder_field: str, name: str) -> models.UniqueConstraint:
    """One live seat per holder per thing: the database, not the code, makes duplicates impossible."""
    return models.UniqueConstraint(fields=[thing_field, holder_field], condition=Q(status__in=LIVE_STATUSES), name=name)


class Outcome(enum.Enum):
    TAKEN = "taken"
    WAITING = "waiting"
    FULL = "full"
    ALREADY = "already"


@dataclass(frozen=True)
class SeatResult:
    outcome: Outcome
    seat: Seat | None

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.TAKEN, Outcome.WAITING)

    @property
    def message(self) -> str:
        return str(OUTCOME_MESSAGES[self.outcome])


OUTCOME_MESSAGES = {
    Outcome.TAKEN: _("Your place is confirmed."),
    Outcome.WAITING: _("All places are taken; you are on the waiting list and will be told if a place frees up."),
    Outcome.FULL: _("Sorry, all places are taken."),
    Outcome.ALREADY: _("You already have a place here."),
}


class _Duplicate(Exception):
    pass


def _seat_model(thing: Seated) -> type[Seat]:
    return type(thing).seat_model()  # type: ignore[attr-defined]


def _live_seat(seat_model: type[Seat], thing: Seated, holder: models.Model) -> Seat | None:
    return (
        seat_model._default_manager.filter(
            **{seat_model.seat_thing_field: thing, seat_model.seat_holder_field: holder}, status__in=LIVE_STATUSES
        )
        .order_by("-id")
        .first()
    )


def _increment(thing: Seated) -> bool:
    """Take one seat if one is left; True when it was taken."""
    taken = bool(
        type(thing)
        ._default_manager.filter(pk=thing.pk, seats_taken__lt=F("capacity"))
        .update(seats_taken=F("seats_taken") + 1)
    )
    if taken:
        pagecache.bump(type(thing))  # places-left figures cached from these rows are out of date
    return taken


def _decrement(thing_model: type[Seated], thing_id: int) -> None:
    thing_model._default_manager.filter(pk=thing_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
    pagecache.bump(thing_model)


def seat_take(*, thing: Seated, holder: models.Model, waiting_list: bool | None = None, **fields: Any) -> SeatResult:
    """Take a seat at `thing` for `holder` (extra `fields` go on the seat row). Never overbooks; never raises for full."""
    seat_model = _seat_model(thing)
    if waiting_list is None:
        waiting_list = thing.has_waiting_list
    existing = _live_seat(seat_model, thing, holder)
    if existing is not None:
        return SeatResult(Outcome.ALREADY, existing)
    try:
        with transaction.atomic():
            taken = _increment(thing)
            if not taken and not waiting_list:
                return SeatResult(Outcome.FULL, None)
            status = SeatStatus.ACTIVE if taken else SeatStatus.WAITING
            try:
                with transaction.atomic():
                    seat = seat_model._default_manager.create(
                        **{seat_model.seat_thing_field: thing, seat_model.seat_holder_field: holder},
                        status=status,
                        **fields,
                    )
            except IntegrityError as exc:
                if _live_seat(seat_model, thing, holder) is None:
                    raise
                raise _Duplicate from exc
    except _Duplicate:
        return SeatResult(Outcome.ALREADY, _live_seat(seat_model, thing, holder))
    thing.refresh_from_db(fields=["seats_taken"])
    return SeatResult(Outcome.TAKEN if taken else Outcome.WAITING, seat)


def seat_cancel(*, seat: Seat) -> Seat | None:
    """Cancel a seat (idempotent). A freed seat goes to the first on the waiting list, who is told; returns them."""
    seat_model = type(seat)
    thing_field = seat_model._meta.get_field(seat_model.seat_thing_field)
    thing_model = thing_field.related_model
    promoted = None
    with transaction.atomic():
        seat = seat_model._default_manager.select_for_update().get(pk=seat.pk)
        if seat.status == SeatStatus.CANCELLED:
            return None
        was_active = seat.status == SeatStatus.ACTIVE
        seat.status = SeatStatus.CANCELLED
        seat.cancelled_at = timezone.now()
        seat.save(update_fields=["status", "cancelled_at"])
        if was_active:
            thing_id = getattr(seat, thing_field.attname)
            _decrement(thing_model, thing_id)
            promoted = _promote_next(seat_model, thing_model, thing_id)
    return promoted


def _promote_next(seat_model: type[Seat], thing_model: type[Seated], thing_id: int) -> Seat | None:
    """Give a free seat to the longest-waiting holder, inside the caller's transaction."""
    waiting = (
        seat_model._default_manager.select_for_update(skip_locked=True)
        .filter(**{f"{seat_model.seat_thing_field}_id": thing_id}, status=SeatStatus.WAITING)
        .order_by("created_at", "id")
        .first()
    )
    if waiting is None:
        return None
    thing = thing_model._default_manager.get(pk=thing_id)
    if not _increment(thing):
        return None
    waiting.status = SeatStatus.ACTIVE
    waiting.promoted_at = timezone.now()
    waiting.save(update_fields=["status", "promoted_at"])
    notice = waiting.promotion_notice()
    if notice:
        notify(**notice)
    return waiting


def seat_move(*, seat: Seat, to: Seated, **fields: Any) -> SeatResult:
    """Move a live seat to another thing atomically: the new seat is taken before the old is freed, or nothing changes."""
    with transaction.atomic():
        holder = getattr(seat, type(seat).seat_holder_field)
        result = seat_take(thing=to, holder=holder, waiting_list=False, **fields)
        if result.outcome is Outcome.TAKEN:
            seat_cancel(seat=seat)
    return result
