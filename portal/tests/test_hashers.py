"""Argon2id sized to the machine (portal.core.hashers): the settings' parameters, and a rehash at sign-in."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, identify_hasher, make_password
from django.urls import reverse

from portal.core.hashers import SizedArgon2PasswordHasher

SIZED = "portal.core.hashers.SizedArgon2PasswordHasher"


def test_the_production_settings_put_the_sized_argon2_first():
    from portal import settings as production

    real = [h for h in production.PASSWORD_HASHERS if not h.endswith("MD5PasswordHasher")]  # MD5: tests only
    assert real[0] == SIZED
    assert "django.contrib.auth.hashers.Argon2PasswordHasher" not in production.PASSWORD_HASHERS
    # OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1.
    assert production.ARGON2_MEMORY_KIB >= 19456 and production.ARGON2_TIME_COST >= 2


def test_hashes_use_the_measured_parameters(settings):
    settings.PASSWORD_HASHERS = [SIZED]
    settings.ARGON2_MEMORY_KIB, settings.ARGON2_TIME_COST, settings.ARGON2_PARALLELISM = 19456, 2, 1
    encoded = make_password("Lotus-pond-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    hasher = get_hasher()
    assert isinstance(hasher, SizedArgon2PasswordHasher) and not hasher.must_update(encoded)
    settings.ARGON2_MEMORY_KIB = 24576  # measured again on a bigger machine: old hashes are due for a rehash
    assert get_hasher().must_update(encoded)


def test_a_password_hashed_with_djangos_default_is_rehashed_at_sign_in(client, resident_user, settings):
    settings.PASSWORD_HASHERS = [SIZED]
    settings.ARGON2_MEMORY_KIB, settings.ARGON2_TIME_COST, settings.ARGON2_PARALLELISM = 19456, 2, 1
    old = Argon2PasswordHasher().encode("Lotus-pond-2026", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    type(resident_user).objects.filter(pk=resident_user.pk).update(password=old)
    assert isinstance(identify_hasher(old), SizedArgon2PasswordHasher)  # the same algorithm name: still verified
    response = client.post(reverse("login"), {"username": resident_user.phone, "password": "Lotus-pond-2026"})
    assert response.status_code == 302
    resident_user.refresh_from_db()
    assert "m=19456,t=2,p=1" in resident_user.password
    client.logout()
    again = client.post(reverse("login"), {"username": resident_user.phone, "password": "Lotus-pond-2026"})
    assert again.status_code == 302  # and the new hash works
