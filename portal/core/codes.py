"""SMS one-time codes (短信验证码): ask for one, check one. The views of the site call these two functions.

- A code is six digits, valid `SMS_CODE_SECONDS` (five minutes), used once, and only the latest code of a number and
  purpose counts. It is stored as a keyed hash (HMAC-SHA256 under SECRET_KEY with a salt of its own): a million
  codes are quickly tried against a plain hash, not against a key the database does not hold. It is compared in
  constant time, and `SMS_CODE_MAX_TRIES` wrong tries end it.
- At most `SMS_CODE_PER_MINUTE` sends a minute and `SMS_CODE_PER_DAY` a day (rolling 24 hours) per number and per
  address. The rows of PhoneCode are the counters; a transaction-scoped advisory lock per number and per address
  (PostgreSQL) keeps two simultaneous requests from both passing a limit.
- No account enumeration: the answer, the work done and the row written are the same whether the number has an
  account or not. For a sign-in or a reset of a number without an account no SMS goes out (the row is marked
  unsent, and no code can match it); for a registration or a change to a number that is already registered, the
  number receives a notice instead of a code, so its owner learns of it and nobody else does. The SMS itself is
  handed to Celery after commit, so a slow gateway does not show in the answer's timing either.

Why the database and not Redis: the cache fails soft (portal.core.cache) — every write is dropped while Redis is
away — and a limit that lifts itself then would let anyone flood a number and spend the SMS budget. The database is
the portal's record; without it there is no site to abuse. A few rows a day per resident cost nothing; rows older
than a day serve no limit and may be purged.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.core.models import PhoneCode, User
from portal.core.tasks import dispatch_text

Purpose = PhoneCode.Purpose
NEEDS_ACCOUNT = frozenset(
    {Purpose.LOGIN, Purpose.RESET, Purpose.SECOND_STEP}
)  # a code only for a number with an account
NEEDS_FREE_NUMBER = frozenset({Purpose.REGISTER, Purpose.CHANGE_PHONE})  # a code only for a number without one

PURPOSE_TEXT = {
    Purpose.LOGIN: gettext_lazy("signing in"),
    Purpose.REGISTER: gettext_lazy("registering"),
    Purpose.RESET: gettext_lazy("resetting your password"),
    Purpose.CHANGE_PHONE: gettext_lazy("changing your mobile number"),
    Purpose.SECOND_STEP: gettext_lazy("the second step of a staff sign-in"),
}


def seconds_valid() -> int:
    return getattr(settings, "SMS_CODE_SECONDS", 300)


def max_tries() -> int:
    return getattr(settings, "SMS_CODE_MAX_TRIES", 5)


def limits() -> tuple[int, int]:
    """(sends a minute, sends a day) per number and per address."""
    return getattr(settings, "SMS_CODE_PER_MINUTE", 1), getattr(settings, "SMS_CODE_PER_DAY", 10)


@dataclass(frozen=True)
class Refusal:
    """Why a code was not sent or not accepted; `field` is where the message goes."""

    reason: str
    message: str | Promise
    field: str = "phone"


def code_hash(row: PhoneCode, code: str) -> str:
    return salted_hmac(
        "portal.core.codes", f"{row.salt}:{row.phone}:{row.purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def _serialise(phone: str, ip: str | None) -> None:
    """Hold this number's and this address's lock until commit (always in that order: no deadlock)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for space, key in ((7301, phone), (7302, ip or "")):
            value = zlib.crc32(key.encode()) - 2**31
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [space, value])


def _limit_refusal(phone: str, ip: str | None, now: dt.datetime) -> Refusal | None:
    per_minute, per_day = limits()
    minute_ago, day_ago = now - dt.timedelta(minutes=1), now - dt.timedelta(days=1)
    for who, rows in (("phone", PhoneCode.objects.filter(phone=phone)), ("ip", PhoneCode.objects.filter(ip=ip))):
        if who == "ip" and not ip:
            continue
        recent = list(
            rows.filter(created_at__gt=minute_ago).order_by("created_at").values_list("created_at", flat=True)
        )
        if len(recent) >= per_minute:
            wait = max(1, 60 - int((now - recent[0]).total_seconds()))
            text = (
                ngettext(
                    "A code was just sent to this number. You can ask for another in %(n)s second.",
                    "A code was just sent to this number. You can ask for another in %(n)s seconds.",
                    wait,
                )
                if who == "phone"
                else ngettext(
                    "Codes are being asked for too often from this network. Try again in %(n)s second.",
                    "Codes are being asked for too often from this network. Try again in %(n)s seconds.",
                    wait,
                )
            )
            return Refusal(f"{who}_minute", text % {"n": wait})
        if rows.filter(created_at__gt=day_ago).count() >= per_day:
            text = (
                _(
                    "This number has had %(n)s codes in the last 24 hours, the most allowed. Try again tomorrow, "
                    "or ask your community office for help."
                )
                if who == "phone"
                else _(
                    "This network has asked for %(n)s codes in the last 24 hours, the most allowed. Try again "
                    "tomorrow, or ask your community office for help."
                )
            )
            return Refusal(f"{who}_day", text % {"n": per_day})
    return None


def request_code(*, phone: str, purpose: str, ip: str | None) -> Refusal | None:
    """Make a code for `phone` and send it (after commit), or say why not. `phone` is a valid mainland number."""
    with transaction.atomic():
        _serialise(phone, ip)
        now = timezone.now()
        refusal = _limit_refusal(phone, ip, now)
        if refusal is not None:
            return refusal
        has_account = User.objects.filter(phone=phone, is_active=True).exists()
        code = f"{secrets.randbelow(10**6):06d}"
        row = PhoneCode(
            phone=phone,
            purpose=purpose,
            salt=secrets.token_hex(8),
            ip=ip or None,
            created_at=now,
            expires_at=now + dt.timedelta(seconds=seconds_valid()),
        )
        if purpose in NEEDS_ACCOUNT:
            row.sent = has_account
            text = code_text(code, purpose) if has_account else ""
        else:
            row.sent = not has_account
            text = code_text(code, purpose) if not has_account else taken_text()
        row.code_hash = code_hash(row, code if row.sent else secrets.token_hex(16))
        row.save()
        key = f"code-{row.pk}"
        transaction.on_commit(lambda: dispatch_text(phone, text, key))
    return None


def code_text(code: str, purpose: str) -> str:
    return _(
        "【Community portal】Your code for %(purpose)s is %(code)s, valid for %(minutes)s minutes. "
        "Never tell anyone: staff will never ask you for it."
    ) % {"purpose": PURPOSE_TEXT[purpose], "code": code, "minutes": seconds_valid() // 60}


def taken_text() -> str:
    return _(
        "【Community portal】Someone asked for a code to register this number, which already has an account. "
        "If it was you, log in, or reset your password with a code. If not, ignore this message."
    )


def check_code(*, phone: str, purpose: str, code: str) -> Refusal | None:
    """Accept the latest code of `phone` for `purpose` (and use it up), or say why not. Wrong tries count."""
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        now = timezone.now()
        if row is None:
            return Refusal("none", _("Tap “Get code” first, then type the code from the SMS."), "code")
        if row.used_at is not None:
            return Refusal("used", _("This code has already been used. Tap “Get code” for a new one."), "code")
        if row.expires_at <= now:
            return Refusal("expired", _("This code has expired. Tap “Get code” for a new one."), "code")
        if row.failures >= max_tries():
            return Refusal("tries", _("Too many wrong codes. Tap “Get code” for a new one."), "code")
        if not constant_time_compare(code_hash(row, code), row.code_hash) or not row.sent:
            row.failures += 1
            row.save(update_fields=["failures"])
            left = max_tries() - row.failures
            if left <= 0:
                return Refusal("tries", _("Too many wrong codes. Tap “Get code” for a new one."), "code")
            text = ngettext(
                "The code is wrong. You can try %(n)s more time.",
                "The code is wrong. You can try %(n)s more times.",
                left,
            )
            return Refusal("wrong", text % {"n": left}, "code")
        row.used_at = now
        row.save(update_fields=["used_at"])
    return None
