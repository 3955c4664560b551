"""A QR code as an inline SVG data URI (the CSP allows `data:` images; no script, nothing fetched)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg

from services.checkin.kinds import checkin_token


def qr_data_uri(text: str) -> str:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,  # the quiet zone scanners need
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def checkin_qr(seat) -> str:
    """The QR image of a seat's check-in token (a hall appointment, a checkup appointment, an event registration)."""
    return qr_data_uri(checkin_token(seat))
