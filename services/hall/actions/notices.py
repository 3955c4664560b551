"""What the hall tells residents about their appointments: lazy texts, rendered in the recipient's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.core.notify import message, notify
from residents.models import Resident
from residents.proxies import acted_by_note
from services.hall.models import Booking
from services.hall.texts import lines, when_text


def notify_resident(resident: Resident, *, kind: str, title: Promise, body: Promise | str = "", url: str = "") -> None:
    """Notify the resident, when they have an account (staff book for residents without one too)."""
    if resident.user_id:
        notify(recipient=resident.user, kind=kind, title=title, body=body, url=url)


def booking_body(booking: Booking, *, link: str = "") -> Promise:
    """The appointment's service, time and counter, code, the sign-in-free `link` to view or cancel it (with the
    confirmation: before the documents, so that an SMS cut at its length keeps it), and the documents to bring."""
    slot = booking.slot
    parts = [
        message(_("Service: %(item)s"), item=booking.item.name),
        message(_("Time: %(when)s, %(counter)s"), when=when_text(slot.starts_at), counter=slot.counter),
        message(_("Booking code: %(code)s"), code=booking.code),
    ]
    if link:
        parts.append(message(_("View or cancel without signing in: %(url)s"), url=link))
    if booking.item.documents:
        parts.append(message(_("Please bring: %(docs)s"), docs="、".join(booking.item.documents)))
    if booking.booked_by_id and booking.booked_by_id != booking.resident.user_id:
        parts.append(acted_by_note(booking.booked_by, booking.resident))  # 由 X 代办
    return lines(*parts)
