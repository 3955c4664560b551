"""A QR code as an inline SVG data URI (the CSP allows `data:` images; no script, nothing fetched): the check-in codes
of seats, the contact boards' posters, and the key of a staff member's authenticator app."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg


def qr_data_uri(text: str, *, box_size: int = 10, border: int = 4) -> str:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=border,  # the quiet zone scanners need
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
