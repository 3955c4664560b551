"""Demo data for the whole portal, built by `manage.py seed_demo`: a tiny framework each app plugs into.

Order of work: every installed app, in INSTALLED_APPS order, that has a `<app>.seed` module providing

    seed_community(community, *, rng, scale_index) -> None    required
    seed_district(communities, *, rng) -> None                optional: once, after every community
    counts() -> dict[str, int]                                 optional: whole-database figures for the report

Rules for a seed module:
- idempotent: when its records for `community` already exist it does nothing (or adds only what is missing);
- fast: plan in memory, then `portal.core.bulk.bulk_insert(objs)` (COPY on PostgreSQL, bulk_create on SQLite)
  for tables of thousands of rows, `bulk_create(..., batch_size=BATCH_SIZE)` for the small ones; no per-row
  queries; keep nothing between communities (the district benchmark holds about 250,000 residents, the city
  of `make bench SIZE=city` about a million);
- reproducible: draw every random choice from `rng`, a random.Random seeded from (--seed, app, community),
  so one app's data does not change when another app draws more or fewer numbers;
- `scale_index` 0 is the demo community 南环东路社区 with DOMAIN.md's real numbers; 1, 2 … are generated.

A seed module may also list MORE_SEEDERS to run right after it (the register adds the staff accounts), and one
of them provides `ensure_communities(count)`, the district and its communities (the register's). The core
names no app: it finds them by these names.

All apps seed one community inside one transaction, so a community is either complete or absent.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from types import ModuleType
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, OperationalError, connections, transaction
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as ZhPersonProvider

from portal.core import bulk, roles
from portal.core.plugins import app_modules

DEFAULT_SEED = 2026
BATCH_SIZE = 1000
DEMO_PASSWORD = "demo-2026-portal"  # noqa: S105 -- public on purpose: printed by seed_demo, refused in production

# --------------------------------------------------------------------------------------------------
# The framework


@dataclass(frozen=True)
class Seeder:
    """One app's contribution to the demo data."""

    label: str
    seed_community: Callable[..., None]
    seed_district: Callable[..., None] | None = None
    counts: Callable[[], dict[str, int]] | None = None

    @classmethod
    def from_module(cls, label: str, module: ModuleType | Any) -> Seeder:
        return cls(
            label=label,
            seed_community=module.seed_community,
            seed_district=getattr(module, "seed_district", None),
            counts=getattr(module, "counts", None),
        )


@dataclass
class SeedReport:
    communities: list[tuple[Any, bool]] = field(default_factory=list)  # (community, newly created)
    counts: dict[str, int] = field(default_factory=dict)
    demo_accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (phone, name, role)


def discover_seeders() -> list[Seeder]:
    """Every installed app's `seed` module, in INSTALLED_APPS order, each followed by the seeders it lists in
    MORE_SEEDERS (the register adds the staff accounts right after itself, before any app needs them)."""
    seeders = []
    for app_config, module in app_modules("seed"):
        if callable(getattr(module, "seed_community", None)):
            seeders.append(Seeder.from_module(app_config.label, module))
            seeders.extend(getattr(module, "MORE_SEEDERS", ()))
    return seeders


def community_provider() -> ModuleType:
    """The seed module that creates the district's communities (it defines `ensure_communities`)."""
    for _app, module in app_modules("seed"):
        if callable(getattr(module, "ensure_communities", None)):
            return module
    raise LookupError("no installed app's seed module defines ensure_communities()")


def rng_for(seed: int, label: str, scope: str) -> random.Random:
    """A generator of its own for (seed, app, community): string seeds are hashed deterministically."""
    return random.Random(f"{seed}:{label}:{scope}")


def run(
    *,
    communities: int = 1,
    seed: int = DEFAULT_SEED,
    seeders: Iterable[Seeder] | None = None,
    log: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> SeedReport:
    """Build (or complete) the demo district of `communities` communities; return what exists afterwards.

    With `jobs` > 1 on PostgreSQL (and outside any transaction), the communities after the first are seeded by
    that many processes side by side, each community still in one transaction of its own. The first is seeded
    alone: it creates what every community shares (the catalogue's categories, the district's accounts).
    """
    if communities < 1:
        raise ValueError("communities must be at least 1")
    seeders = list(seeders) if seeders is not None else discover_seeders()
    log = log or (lambda message: None)
    pairs = community_provider().ensure_communities(communities)
    report = SeedReport(communities=list(pairs))
    first, rest = pairs[:1], pairs[1:]
    for index, (community, created) in enumerate(first):
        log(_seed_one(index, community, created, seeders, seed, communities))
    if jobs > 1 and len(rest) > 1 and _may_fork():
        _in_processes(rest, seeders, seed, communities, jobs, log)
    else:
        for index, (community, created) in enumerate(rest, start=1):
            log(_seed_one(index, community, created, seeders, seed, communities))
    with transaction.atomic():
        for seeder in seeders:
            if seeder.seed_district is not None:
                seeder.seed_district([c for c, _ in pairs], rng=rng_for(seed, seeder.label, "district"))
    for seeder in seeders:
        if seeder.counts is not None:
            report.counts.update(seeder.counts())
    report.demo_accounts = demo_accounts()
    return report


def _seed_one(index: int, community, created: bool, seeders: list[Seeder], seed: int, total: int) -> str:
    """Seed one community in one transaction; the line that reports it."""
    started = timezone.now()
    with transaction.atomic(), bulk.copying_behind():
        for seeder in seeders:
            seeder.seed_community(community, rng=rng_for(seed, seeder.label, community.slug), scale_index=index)
    seconds = (timezone.now() - started).total_seconds()
    state = "created" if created else "existed, completed"
    return f"[{index + 1}/{total}] {community.name} ({community.slug}): {state} in {seconds:.1f} s"


def _may_fork() -> bool:
    """Processes of their own see only committed rows: not inside a transaction (a test's), nor on SQLite."""
    connection = connections["default"]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


ATTEMPTS = 5
_job: tuple | None = None  # what the forked processes seed: set before the pool starts, inherited by fork


def _in_processes(pairs, seeders: list[Seeder], seed: int, total: int, jobs: int, log: Callable[[str], None]) -> None:
    global _job
    _job = (pairs, seeders, seed, total)
    connections.close_all()  # each process opens its own connection
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for line in pool.map(_seed_in_process, range(len(pairs))):
                log(line)
    finally:
        _job = None


def _seed_in_process(position: int) -> str:
    pairs, seeders, seed, total = _job
    community, created = pairs[position]
    for attempt in range(1, ATTEMPTS + 1):
        try:
            line = _seed_one(position + 1, community, created, seeders, seed, total)
            return line if attempt == 1 else f"{line} (seeded again, attempt {attempt})"
        except (IntegrityError, OperationalError):
            # Two communities drew the same ID number or phone at once (each checks what is committed), or their
            # transactions waited on each other: this one was rolled back whole; seeded again, it sees the other.
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------------------------
# Helpers for every app's seed module: names, phone numbers, dates, the demo password

_SURNAMES = list(ZhPersonProvider.last_names)
_SURNAME_CUM_WEIGHTS = list(accumulate(ZhPersonProvider.last_names.values()))
# Faker's zh_CN given names are mostly single characters; names also follow the era people were born in.
_GIVEN = {
    ("M", "faker"): tuple(ZhPersonProvider.first_names_male),
    ("F", "faker"): tuple(ZhPersonProvider.first_names_female),
    ("M", "old"): ("建国", "国庆", "建华", "振华", "国强", "德胜", "志刚", "建军", "玉山", "福生", "长林", "宝山",
                   "树林", "永祥", "德明", "文华", "国栋", "庆丰", "春生", "金山"),
    ("F", "old"): ("秀英", "桂兰", "淑珍", "玉兰", "凤英", "秀兰", "桂英", "素芬", "玉珍", "淑华", "桂芝", "秀云",
                   "凤兰", "玉梅", "秀珍", "淑英", "桂荣", "玉芬"),
    ("M", "mid"): ("建平", "海涛", "立新", "卫东", "志强", "晓东", "红军", "永刚", "海军", "建新", "春雷", "宏伟",
                   "志勇", "国华", "立军", "振宇", "文斌", "学军"),
    ("F", "mid"): ("丽华", "红梅", "晓红", "艳霞", "春燕", "海燕", "丽娟", "晓燕", "彩霞", "秀梅", "红霞", "玉梅",
                   "丽萍", "雪梅", "素娟", "金凤"),
    ("M", "young"): ("子轩", "浩宇", "宇轩", "梓豪", "俊杰", "浩然", "一鸣", "思远", "博文", "皓轩", "宇航", "子墨",
                     "天佑", "雨泽", "明轩", "嘉豪", "俊熙", "家乐"),
    ("F", "young"): ("子涵", "欣怡", "梓涵", "诗涵", "雨桐", "可馨", "思琪", "梦瑶", "佳怡", "若汐", "一诺", "紫萱",
                     "雨萱", "欣妍", "语桐", "佳琪", "梓萱", "思雨"),
}  # fmt: skip
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
    "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189",
)  # fmt: skip


def surname(rng: random.Random) -> str:
    """A surname drawn with its real frequency (王, 李, 张 … first)."""
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A given name that fits the sex ("M"/"F") and the decade of birth."""
    if rng.random() < 0.45:
        era = "faker"
    elif birth_year < 1962:
        era = "old"
    elif birth_year < 1992:
        era = "mid"
    else:
        era = "young"
    return rng.choice(_GIVEN[(sex, era)])


def person_name(rng: random.Random, sex: str, birth_year: int, family_name: str | None = None) -> str:
    return (family_name or surname(rng)) + given_name(rng, sex, birth_year)


def mobile_number(rng: random.Random) -> str:
    """A plausible mainland mobile number (not a login: residents' phones need not be unique)."""
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_date_for_age(rng: random.Random, age: int, today: dt.date) -> dt.date:
    """A birth date that makes someone exactly `age` years old on `today`."""
    latest = years_before(today, age).toordinal()
    earliest = years_before(today, age + 1).toordinal() + 1
    return dt.date.fromordinal(rng.randint(earliest, latest))


def split_evenly(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to `weights` that add up to exactly `total`."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


@cache
def demo_password_hash() -> str:
    """Hash the demo password once: Argon2 is slow on purpose, and every demo and staff user shares it."""
    return make_password(DEMO_PASSWORD)


# --------------------------------------------------------------------------------------------------
# The portal's own seeder: staff of every community, and one demo account per role


def demo_phone(role: str) -> str:
    """13800000001, 13800000002 …, in the order of roles.ALL_ROLES."""
    return f"1380000{roles.ALL_ROLES.index(role) + 1:04d}"


def staff_phone(scale_index: int, number: int) -> str:
    return f"137{scale_index:04d}{number:04d}"


def demo_accounts() -> list[tuple[str, str, str]]:
    """(phone, name, role) of the demo accounts that exist, in the order of roles.ALL_ROLES."""
    user_model = apps.get_model("portal", "User")
    by_phone = {u.phone: u for u in user_model.objects.filter(phone__in=[demo_phone(r) for r in roles.ALL_ROLES])}
    return [
        (demo_phone(role), by_phone[demo_phone(role)].name, role)
        for role in roles.ALL_ROLES
        if demo_phone(role) in by_phone
    ]


def _groups() -> dict[str, Any]:
    group_model = apps.get_model("auth", "Group")
    return {g.name: g for g in group_model.objects.filter(name__in=roles.ALL_ROLES)}


def create_users(planned: list[tuple[str, str, str, Any]]) -> None:
    """Create the planned (phone, name, role, community) users whose phone is still free, with their role."""
    user_model = apps.get_model("portal", "User")
    taken = set(user_model.objects.filter(phone__in=[p[0] for p in planned]).values_list("phone", flat=True))
    planned = [p for p in planned if p[0] not in taken]
    if not planned:
        return
    password = demo_password_hash()
    users = user_model.objects.bulk_create(
        [
            user_model(
                phone=phone, name=name, community=community, password=password, is_staff=role in roles.STAFF_ROLES
            )
            for phone, name, role, community in planned
        ],
        batch_size=BATCH_SIZE,
    )
    groups = _groups()
    membership = user_model.groups.through
    membership.objects.bulk_create(
        [membership(user_id=u.pk, group_id=groups[p[2]].pk) for u, p in zip(users, planned, strict=True)]
    )
