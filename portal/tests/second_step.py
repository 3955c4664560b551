"""Signing someone in through the real forms, the staff sign-in's second step included (portal.site.views.second_step).
Tests that only need a signed-in user use `client.force_login` (test-only); these helpers are for tests of the
sign-in itself and of what it records (the device, the previous sign-in, the landing page).

The second factor given is a code of an authenticator app set up for the test (a key of its own per account), for a
time step not used yet; once the steps around now are used up (the same account signed in three times within 30
seconds) a recovery code — never a shortcut past the check."""

from __future__ import annotations

import pyotp
from django.urls import reverse
from django.utils import timezone

from portal.core import second_factor
from portal.core.models import SecondFactor


def set_up_app(user) -> str:
    """Give the account an authenticator app (as the setup page would, after its code); returns the key."""
    row = SecondFactor.objects.filter(user=user).first()
    if row is not None and row.has_totp:
        return second_factor.decrypt(row.totp_secret)
    secret = pyotp.random_base32()
    SecondFactor.objects.update_or_create(
        user=user,
        defaults={"totp_secret": second_factor.encrypt(secret), "totp_confirmed_at": timezone.now()},
    )
    return secret


def second_code(user) -> tuple[str, str]:
    """(method, code) for the account's second step: an unused code of its app, else a recovery code."""
    totp = pyotp.TOTP(set_up_app(user))
    last = SecondFactor.objects.get(user=user).totp_last_step
    current = totp.timecode(timezone.now())
    for step in (current, current + 1):  # never the one before: it may be gone by the time it is checked
        if last is None or step > last:
            return "totp", totp.generate_otp(step)
    return "recovery", second_factor.issue_recovery_codes(user)[0]


def pass_second_step(client, user, **extra):
    """Answer the second step of a sign-in begun with the first factor; the response to the code."""
    method, code = second_code(user)
    return client.post(reverse("login_second"), {"method": method, "code": code}, **extra)


def sign_in(client, user, password, **extra):
    """The login page with the number and password, then (for staff) the second step. The last response: a redirect
    to where the person lands."""
    response = client.post(reverse("login"), {"username": user.phone, "password": password}, **extra)
    assert response.status_code == 302, response.content[:500]
    if response["Location"] == reverse("login_second"):
        response = pass_second_step(client, user, **extra)
        assert response.status_code == 302, response.content[:500]
    return response
