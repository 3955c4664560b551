"""Argon2id for passwords, with its cost sized to the machine the portal runs on.

Django's Argon2 hasher uses 100 MiB and 8 lanes: about half a second of two cores per sign-in here, so a morning
rush of residents queues for seconds. The parameters come from settings (ARGON2_MEMORY_KIB, ARGON2_TIME_COST,
ARGON2_PARALLELISM), chosen by `bench/argon2_params.py` from a measurement: the most memory among OWASP's
equivalent Argon2id settings (m=47104 KiB t=1, m=19456 KiB t=2, ... ; never below m=19 MiB, t=2, p=1 in
strength) whose hash fits the sign-in budget of a rush (README, "Password hashing").

The class keeps Django's algorithm name, "argon2": a stored hash with other parameters (Django's default, or an
older choice) is verified as before and, as Django does when `must_update` says so, rehashed with these
parameters at the next successful sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class SizedArgon2PasswordHasher(Argon2PasswordHasher):
    @property
    def time_cost(self) -> int:
        return getattr(settings, "ARGON2_TIME_COST", 2)

    @property
    def memory_cost(self) -> int:
        return getattr(settings, "ARGON2_MEMORY_KIB", 19456)

    @property
    def parallelism(self) -> int:
        return getattr(settings, "ARGON2_PARALLELISM", 1)
