"""`manage.py seed_demo [--communities N]`: the demo community 南环东路社区, or a district of N communities.

Idempotent: a community that exists is completed, never duplicated; demo accounts are got or created. The
closing table counts records in the whole database (with one community on a fresh database, that is the
demo community: households 3748, residents 8430, party_members 926 …). See portal/seeding.py for how apps
add their own records.
"""

from __future__ import annotations

import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.core import seeding


class Command(BaseCommand):
    help = (
        "Build the demo community 南环东路社区 with DOMAIN.md's numbers, or a district of N communities (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--communities",
            type=int,
            default=1,
            help="How many communities: the first is 南环东路社区, the rest are generated (29 ≈ 250,000 residents).",
        )
        parser.add_argument("--seed", type=int, default=seeding.DEFAULT_SEED, help="Seed of the random data.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=(
                "Processes seeding communities side by side on PostgreSQL (one a core is fastest). One by one (1) the "
                "data is exactly reproducible; side by side, an ID number two communities drew alike is drawn again "
                "by whichever commits second."
            ),
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though PORTAL_ENV=production (a benchmark database): demo accounts share a public password.",
        )

    def handle(
        self, *args, communities: int, seed: int, jobs: int, allow_production: bool, verbosity: int, **options
    ) -> None:
        if communities < 1:
            raise CommandError("--communities must be at least 1.")
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a published password; it does not run with PORTAL_ENV=production. "
                "Pass --allow-production only for a benchmark database."
            )
        started = time.perf_counter()
        log = self.stdout.write if verbosity >= 1 else None
        report = seeding.run(communities=communities, seed=seed, log=log, jobs=max(1, jobs))
        seconds = time.perf_counter() - started

        self.stdout.write("\nRecords in the whole database:")
        for name, value in report.counts.items():
            self.stdout.write(f"{name} {value}")
        usage = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        peak_mb = max(usage) / 1024  # kilobytes on Linux; the largest of the processes
        self.stdout.write(f"\nSeeded {communities} communities in {seconds:.1f} s; peak memory {peak_mb:.0f} MB.")
        if report.demo_accounts:  # last, so that `make run` leaves them on screen
            self.stdout.write("\nDemo accounts (phone, name, role):")
            for phone, name, role in report.demo_accounts:
                self.stdout.write(f"  {phone}  {name}\t{role}")
            self.stdout.write(f"Password for all of them: {seeding.DEMO_PASSWORD}")
