"""What can be checked in by QR code: a hall appointment, a checkup appointment, an event registration. Each kind
names its model, the permission of the staff who check it in, when its token stops working, and the station's own
check-in action (the counter desk's `booking_check_in`, the health station's attendance record, the events' door
check-in) — the scan page adds no check-in of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.core import tokens
from portal.core.models import User
from services.events.actions import event_check_in
from services.events.models import EventRegistration
from services.hall.actions import booking_check_in
from services.hall.models import Booking
from services.health.actions import checkup_attendance_record
from services.health.models import CheckupBooking

PURPOSE = "checkin"


def _end_of_day(moment: dt.datetime | dt.date) -> dt.datetime:
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _hall_check_in(booking: Booking, by: User) -> str:
    booking = booking_check_in(community_id=booking.community_id, code=booking.code, by=by)
    return str(
        _("Checked in: number %(ticket)s at %(counter)s.")
        % {"ticket": booking.ticket, "counter": booking.slot.counter.label}
    )


def _checkup_check_in(booking: CheckupBooking, by: User) -> str:
    if booking.attended:
        raise ValidationError(_("Already checked in."), code="checked_in")
    if timezone.localdate(booking.slot.starts_at) != timezone.localdate():
        raise ValidationError(_("This appointment is not today."), code="not_today")
    checkup_attendance_record(booking=booking, attended=True, by=by)
    return str(_("Checked in for the physical."))


def _event_check_in(registration: EventRegistration, by: User) -> str:
    event_check_in(registration=registration, by=by)
    return str(_("Checked in at the event."))


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    model: type[models.Model]
    related: tuple[str, ...]
    perm: str
    community_path: str
    expires: Callable[[models.Model], dt.datetime]
    what: Callable[[models.Model], str]
    check_in: Callable[[models.Model, User], str]

    def community_id(self, obj) -> int:
        value = obj
        for part in self.community_path.split("__"):
            value = getattr(value, part)
        return value


KINDS = {
    kind.code: kind
    for kind in (
        Kind(
            code="h",
            label=_("hall appointment"),
            model=Booking,
            related=("slot__counter", "item", "resident"),
            perm="services.work_desk",
            community_path="community_id",
            expires=lambda b: _end_of_day(b.date),
            what=lambda b: f"{b.item.name} · {timezone.localtime(b.slot.starts_at):%Y-%m-%d %H:%M} · {b.code}",
            check_in=_hall_check_in,
        ),
        Kind(
            code="c",
            label=_("checkup appointment"),
            model=CheckupBooking,
            related=("slot__campaign", "resident"),
            perm="services.change_checkupbooking",
            community_path="slot__campaign__community_id",
            expires=lambda b: _end_of_day(b.slot.starts_at),
            what=lambda b: f"{b.slot.campaign.title} · {timezone.localtime(b.slot.starts_at):%Y-%m-%d %H:%M}",
            check_in=_checkup_check_in,
        ),
        Kind(
            code="e",
            label=_("event registration"),
            model=EventRegistration,
            related=("event", "resident"),
            perm="services.change_eventregistration",
            community_path="event__community_id",
            expires=lambda r: r.event.ends_at,
            what=lambda r: f"{r.event.title} · {timezone.localtime(r.event.starts_at):%Y-%m-%d %H:%M}",
            check_in=_event_check_in,
        ),
    )
}
_CODE_OF = {kind.model: kind.code for kind in KINDS.values()}
SCAN_PERMS = tuple(kind.perm for kind in KINDS.values())


def checkin_token(obj) -> str:
    """The token a resident's QR code carries for this seat (valid until the seat's day or event is over)."""
    kind = KINDS[_CODE_OF[type(obj)]]
    return tokens.make(purpose=PURPOSE, kind=kind.code, pk=obj.pk, expires=kind.expires(obj))


def may_scan(user: User) -> bool:
    """Staff of one community who check in at least one kind."""
    return bool(user.is_authenticated and user.community_id and any(user.has_perm(p) for p in SCAN_PERMS))


def seat_of_token(text: str, *, user: User):
    """(kind, record) of a scanned token that this member of staff may check in; ValidationError otherwise.
    Another community's record answers as an unknown code: it does not exist for them."""
    try:
        code, pk = tokens.read(text, purpose=PURPOSE)
    except tokens.BadToken as exc:
        if exc.reason == "expired":
            raise ValidationError(_("This code has expired."), code="expired") from None
        raise ValidationError(_("This is not a valid check-in code."), code="invalid") from None
    kind = KINDS.get(code)
    if kind is None:
        raise ValidationError(_("This is not a valid check-in code."), code="invalid")
    obj = kind.model.objects.select_related(*kind.related).filter(pk=pk).first()
    if obj is None or kind.community_id(obj) != user.community_id:
        raise ValidationError(_("No such booking in your community."), code="unknown")
    if not user.has_perm(kind.perm):
        raise ValidationError(_("Your role cannot check in a %(kind)s.") % {"kind": kind.label}, code="role")
    return kind, obj
