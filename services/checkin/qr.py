"""The QR image of a seat's check-in token (the image itself: portal.core.qr)."""

from __future__ import annotations

from portal.core.qr import qr_data_uri
from services.checkin.kinds import checkin_token

__all__ = ["checkin_qr", "qr_data_uri"]


def checkin_qr(seat) -> str:
    """The QR image of a seat's check-in token (a hall appointment, a checkup appointment, an event registration)."""
    return qr_data_uri(checkin_token(seat))
