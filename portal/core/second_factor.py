"""Staff sign in with two factors (等保 2.0 level 3: two factors for the administrators of a system holding personal
data). Who needs a second step, the authenticator app (TOTP, RFC 6238, pyotp), recovery codes, the lock on wrong
tries and the district administrator's reset. The session side (a pending sign-in until the second step passes) is
the site's: portal.site.views.second_step.

- Everyone whose account gives staff access (`is_staff`: every staff role, superusers) passes a second factor after
  the first. Residents and volunteers never do.
- The authenticator's key is kept encrypted (Fernet, under a key derived from SECRET_KEY; SECRET_KEY_FALLBACKS still
  decrypt) and never shown again once confirmed. A code is accepted in its 30-second step or the one before or after
  (clocks drift), compared in constant time, and a step once used is refused: a code seen over a shoulder or
  replayed from a log does not sign in twice.
- Recovery codes: ten, shown once, kept as keyed hashes (HMAC-SHA256 under SECRET_KEY, a salt each), single-use.
- `SECOND_FACTOR_MAX_TRIES` (5) wrong second-step tries of any kind (authenticator, recovery code, SMS code, password)
  pause the account's second step for `SECOND_FACTOR_LOCK_SECONDS` (15 minutes). Counted in the database under a row
  lock, like the SMS codes (portal.core.codes), so the count is exact and survives a Redis outage.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

import pyotp
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.audit import audit
from portal.core.codes import Refusal
from portal.core.models import RecoveryCode, SecondFactor, User

ISSUER = "社区服务门户"
RECOVERY_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
TOTP_DIGITS = 6


def required(user) -> bool:
    """Whether this account must pass a second factor after the first: every account with staff access."""
    return bool(user is not None and user.is_active and user.is_staff)


def max_tries() -> int:
    return getattr(settings, "SECOND_FACTOR_MAX_TRIES", 5)


def lock_seconds() -> int:
    return getattr(settings, "SECOND_FACTOR_LOCK_SECONDS", 15 * 60)


# ----- the key's encryption


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac("portal.core.second_factor", "totp-key", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None  # SECRET_KEY changed without a fallback: the district administrator resets the second factor


# ----- the authenticator app


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address the QR code holds (the account is named by its masked number, not in full)."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=f"{user.name} {user.phone[:3]}****{user.phone[-4:]}", issuer_name=ISSUER
    )


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step (the one before, now or after) whose code is `code`; every step is compared, in constant time."""
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS)
    current = totp.timecode(now)
    found = None
    for step in (current - 1, current, current + 1):
        if constant_time_compare(totp.generate_otp(step), code):
            found = step
    return found


def _row(user: User) -> SecondFactor:
    """The account's row, locked until the transaction ends (made on first use)."""
    SecondFactor.objects.get_or_create(user=user)
    return SecondFactor.objects.select_for_update().get(user=user)


def has_totp(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, totp_confirmed_at__isnull=False).exclude(totp_secret="").exists()


def _locked(row: SecondFactor, now: dt.datetime) -> Refusal | None:
    if row.locked_until and row.locked_until > now:
        minutes = max(1, int((row.locked_until - now).total_seconds() + 59) // 60)
        text = ngettext(
            "Too many wrong tries. The second step of this account is paused; try again in %(n)s minute.",
            "Too many wrong tries. The second step of this account is paused; try again in %(n)s minutes.",
            minutes,
        )
        return Refusal("locked", text % {"n": minutes}, "code")
    return None


def _failed(row: SecondFactor, now: dt.datetime, field: str = "code") -> Refusal:
    row.failures += 1
    left = max_tries() - row.failures
    if left <= 0:
        row.failures = 0
        row.locked_until = now + dt.timedelta(seconds=lock_seconds())
        row.save(update_fields=["failures", "locked_until"])
        refusal = _locked(row, now)
        return Refusal("locked", refusal.message, field)
    row.save(update_fields=["failures"])
    text = ngettext(
        "Wrong. You can try %(n)s more time before the second step is paused for 15 minutes.",
        "Wrong. You can try %(n)s more times before the second step is paused for 15 minutes.",
        left,
    )
    return Refusal("wrong", text % {"n": left}, field)


def _passed(row: SecondFactor, **fields) -> None:
    row.failures = 0
    row.locked_until = None
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=["failures", "locked_until", *fields])


def locked(user: User) -> Refusal | None:
    """Whether the account's second step is paused now (checked before any factor is tried or a code sent)."""
    row = SecondFactor.objects.filter(user=user).first()
    return _locked(row, timezone.now()) if row is not None else None


def note_failure(user: User, field: str = "code") -> Refusal:
    """A wrong second factor checked elsewhere (an SMS code, the password): it counts towards the pause."""
    with transaction.atomic():
        return _failed(_row(user), timezone.now(), field)


def note_success(user: User) -> None:
    with transaction.atomic():
        _passed(_row(user))


def check_totp(user: User, code: str) -> Refusal | None:
    """Accept a code of the account's authenticator app (once), or say why not. Wrong codes count."""
    with transaction.atomic():
        row, now = _row(user), timezone.now()
        refusal = _locked(row, now)
        if refusal is not None:
            return refusal
        secret = decrypt(row.totp_secret) if row.has_totp else None
        if secret is None:
            return Refusal("none", _("No authenticator app is set up for this account. Use another way."), "code")
        step = _matching_step(secret, code, now)
        if step is None:
            return _failed(row, now)
        if row.totp_last_step is not None and step <= row.totp_last_step:
            return Refusal("replay", _("This code has already been used. Wait for the next code in the app."), "code")
        _passed(row, totp_last_step=step)
    return None


def confirm_totp(user: User, secret: str, code: str) -> Refusal | None:
    """Set up (or replace) the authenticator app, once a code from it proves it holds `secret`. Audited. A wrong
    code here does not count towards the pause: whoever sets up an app is signed in with two factors already."""
    with transaction.atomic():
        row, now = _row(user), timezone.now()
        step = _matching_step(secret, code, now)
        if step is None:
            return Refusal(
                "wrong",
                _("The code does not match this key. Check that the phone's time is right, or scan the QR code again."),
                "code",
            )
        replaced = row.has_totp
        _passed(row, totp_secret=encrypt(secret), totp_confirmed_at=now, totp_last_step=step)
        audit(actor=user, action="second_factor_totp_replaced" if replaced else "second_factor_totp_set", obj=user)
    return None


# ----- recovery codes


def _recovery_hash(user_id: int, salt: str, code: str) -> str:
    return salted_hmac("portal.core.second_factor.recovery", f"{salt}:{user_id}:{code}", algorithm="sha256").hexdigest()


def normalise_recovery(text: str) -> str:
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def issue_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes (the old ones stop working). The only time they are ever shown. Audited."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        rows = []
        for code in codes:
            salt = secrets.token_hex(8)
            rows.append(RecoveryCode(user=user, salt=salt, code_hash=_recovery_hash(user.pk, salt, code)))
        RecoveryCode.objects.bulk_create(rows)
        audit(actor=user, action="second_factor_recovery_codes", obj=user, summary=f"{RECOVERY_COUNT} codes")
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def check_recovery_code(user: User, text: str) -> Refusal | None:
    """Accept one unused recovery code (and use it up), or say why not. Wrong codes count."""
    code = normalise_recovery(text)
    with transaction.atomic():
        row, now = _row(user), timezone.now()
        refusal = _locked(row, now)
        if refusal is not None:
            return refusal
        match = None
        for candidate in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
            if constant_time_compare(_recovery_hash(user.pk, candidate.salt, code), candidate.code_hash):
                match = candidate
        if match is None:
            return _failed(row, now)
        match.used_at = now
        match.save(update_fields=["used_at"])
        _passed(row)
        audit(actor=user, action="second_factor_recovery_used", obj=user)
    return None


# ----- the district administrator's reset


def reset(user: User, *, by: User) -> None:
    """Forget the account's authenticator app and recovery codes and lift its pause (a lost phone). Audited.
    Until they set up a new app, the staff member's second step is an SMS code to their number."""
    with transaction.atomic():
        SecondFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit(actor=by, action="second_factor_reset", obj=user)
