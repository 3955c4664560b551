"""An appointment as a calendar event: the .ics download of one booking and the resident's personal feed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.core import ical
from services.hall.models import Booking


def booking_entry(booking: Booking) -> ical.Entry:
    """The appointment as a calendar event (the .ics download and the resident's personal feed)."""
    slot = booking.slot
    # The UID follows the code, which a move keeps; SEQUENCE counts the moves: a calendar that imports the file
    # again replaces the event. A cancelled appointment is sent as cancelled, one step later; a place on the
    # waiting list is tentative.
    cancelled = booking.status == "cancelled"
    lines = [_("Booking code: %(code)s") % {"code": booking.code}]
    if booking.item.documents:
        lines.append(_("Please bring: %(docs)s") % {"docs": "、".join(booking.item.documents)})
    return ical.Entry(
        uid=f"booking-{booking.code}@community-portal",
        sequence=booking.sequence + (1 if cancelled else 0),
        status="CANCELLED" if cancelled else ("TENTATIVE" if booking.status == "waiting" else "CONFIRMED"),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        title=f"{booking.item.name} · {slot.counter.label}",
        place=str(slot.counter),
        description="\n".join(lines),
    )
