"""Signed, expiring, single-purpose tokens that name one record: a check-in QR code, a sign-in-free link in an SMS.

A token is `<kind>.<id>.<expiry>:<signature>` (Django's signing with the project's secret key, a salt per
purpose): not a guessable id, useless for another purpose (another salt), and worthless after its expiry.
`read` raises `BadToken` for anything else — a forged, altered, truncated, foreign-purpose or expired token, or
any hostile text — so callers answer with a message, never a 500. What the record itself allows (cancelled,
over, another community) is the caller's check: a token proves only who issued it, for what, and until when.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core import signing
from django.utils import timezone

MAX_LENGTH = 200  # a real token is about 60 characters; anything far longer is not one
_VALUE = re.compile(r"^([a-z]{1,8})\.([1-9][0-9]{0,17})\.([0-9a-f]{1,12})$")


class BadToken(ValueError):
    """Not a valid token for this purpose (forged, altered, expired, or not a token at all)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "malformed", "signature", "expired"


def _signer(purpose: str) -> signing.Signer:
    return signing.Signer(salt=f"portal.token.{purpose}")


def make(*, purpose: str, kind: str, pk: int, expires: dt.datetime) -> str:
    """A token for record `pk` of `kind` (a short lowercase name), for `purpose`, valid until `expires`."""
    if not re.fullmatch(r"[a-z]{1,8}", kind):
        raise ValueError("kind: 1-8 lowercase letters")
    return _signer(purpose).sign(f"{kind}.{int(pk)}.{int(expires.timestamp()):x}")


def read(token: str, *, purpose: str, now: dt.datetime | None = None) -> tuple[str, int]:
    """(kind, id) of a token made for `purpose` and not yet expired; BadToken for anything else."""
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH or not token.isascii():
        raise BadToken("malformed")
    token = token.strip()
    try:
        value = _signer(purpose).unsign(token)
    except signing.BadSignature:
        raise BadToken("signature") from None
    match = _VALUE.match(value)
    if match is None:
        raise BadToken("malformed")
    kind, pk, expiry = match.groups()
    if int(expiry, 16) <= (now or timezone.now()).timestamp():
        raise BadToken("expired")
    return kind, int(pk)


def looks_like_token(text: str) -> bool:
    """Whether typed or scanned text is meant as a token (a booking code has no colon)."""
    return ":" in (text or "")
