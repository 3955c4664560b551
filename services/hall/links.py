"""The sign-in-free link sent by SMS with an appointment's confirmation: it opens that one appointment, to view or
cancel it, and nothing else. Signed (portal.core.tokens, purpose `booking-manage`), it expires when the appointment
ends; it stops working as soon as the appointment is cancelled or moved (a move sends a new link)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.core import tokens
from services.hall.models import Booking

PURPOSE = "booking-manage"
KIND = "b"


class LinkGone(Exception):
    """The link was real but no longer works: expired, or the appointment is cancelled or over."""


def manage_token(booking: Booking) -> str:
    return tokens.make(purpose=PURPOSE, kind=KIND, pk=booking.pk, expires=booking.slot.ends_at)


def manage_url(booking: Booking) -> str:
    """The whole address (with SITE_URL) for an SMS."""
    return settings.SITE_URL.rstrip("/") + reverse("services:booking_link", args=[manage_token(booking)])


def booking_of_link(token: str) -> Booking:
    """The live appointment a link names. tokens.BadToken for a forged or altered link; LinkGone for an expired one,
    or one whose appointment is cancelled (moved) or over."""
    try:
        kind, pk = tokens.read(token, purpose=PURPOSE)
    except tokens.BadToken as exc:
        if exc.reason == "expired":
            raise LinkGone from None
        raise
    if kind != KIND:
        raise tokens.BadToken("malformed")
    booking = Booking.objects.for_listing().filter(pk=pk).first()
    if booking is None:
        raise tokens.BadToken("malformed")
    if booking.status != "active" or booking.slot.ends_at <= timezone.now():
        raise LinkGone
    return booking
