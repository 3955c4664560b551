"""Demo data for the whole portal, built by `manage.py seed_demo`: a tiny framework each app plugs into.

Order of work: `residents.seed` first (the district, its communities and the register everything else hangs
on), then the portal's own users (13 staff per community and, in the demo community, one demo account per
role), then every other installed app, in INSTALLED_APPS order, that has a `<app>.seed` module providing

    seed_community(community, *, rng, scale_index) -> None    required
    seed_district(communities, *, rng) -> None                optional: once, after every community
    counts() -> dict[str, int]                                 optional: whole-database figures for the report

Rules for a seed module:
- idempotent: when its records for `community` already exist it does nothing (or adds only what is missing);
- fast: plan in memory, then `bulk_create(..., batch_size=BATCH_SIZE)`; no per-row queries; keep nothing
  between communities (the district benchmark holds about 250,000 residents);
- reproducible: draw every random choice from `rng`, a random.Random seeded from (--seed, app, community),
  so one app's data does not change when another app draws more or fewer numbers;
- `scale_index` 0 is the demo community 南环东路社区 with DOMAIN.md's real numbers; 1, 2 … are generated.

All apps seed one community inside one transaction, so a community is either complete or absent.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from itertools import accumulate
from types import ModuleType
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as ZhPersonProvider

from portal import roles

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


def _import_seed_module(app_name: str) -> ModuleType | None:
    try:
        return import_module(f"{app_name}.seed")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app_name}.seed":
            raise  # the module exists but imports something missing: say so
        return None


def discover_seeders() -> list[Seeder]:
    """residents.seed, the portal's users, then every installed app's `seed` module in INSTALLED_APPS order."""
    seeders = [Seeder.from_module("residents", import_module("residents.seed")), PORTAL_USERS]
    for app_config in apps.get_app_configs():
        if app_config.label == "residents":
            continue
        module = _import_seed_module(app_config.name)
        if module is not None and callable(getattr(module, "seed_community", None)):
            seeders.append(Seeder.from_module(app_config.label, module))
    return seeders


def rng_for(seed: int, label: str, scope: str) -> random.Random:
    """A generator of its own for (seed, app, community): string seeds are hashed deterministically."""
    return random.Random(f"{seed}:{label}:{scope}")


def run(
    *,
    communities: int = 1,
    seed: int = DEFAULT_SEED,
    seeders: Iterable[Seeder] | None = None,
    log: Callable[[str], None] | None = None,
) -> SeedReport:
    """Build (or complete) the demo district of `communities` communities; return what exists afterwards."""
    if communities < 1:
        raise ValueError("communities must be at least 1")
    seeders = list(seeders) if seeders is not None else discover_seeders()
    log = log or (lambda message: None)
    register = import_module("residents.seed")
    report = SeedReport()
    district_communities = []
    for index, (community, created) in enumerate(register.ensure_communities(communities)):
        started = timezone.now()
        with transaction.atomic():
            for seeder in seeders:
                seeder.seed_community(community, rng=rng_for(seed, seeder.label, community.slug), scale_index=index)
        seconds = (timezone.now() - started).total_seconds()
        state = "created" if created else "existed, completed"
        log(f"[{index + 1}/{communities}] {community.name} ({community.slug}): {state} in {seconds:.1f} s")
        report.communities.append((community, created))
        district_communities.append(community)
    with transaction.atomic():
        for seeder in seeders:
            if seeder.seed_district is not None:
                seeder.seed_district(district_communities, rng=rng_for(seed, seeder.label, "district"))
    for seeder in seeders:
        if seeder.counts is not None:
            report.counts.update(seeder.counts())
    report.demo_accounts = demo_accounts()
    return report


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

# 13 community workers (工作人员); in the demo community the first of each role is that role's demo account.
STAFF_PLAN = (
    roles.BRANCH_SECRETARY,
    roles.COMMITTEE_DIRECTOR,
    roles.COUNCIL_SECRETARY,
    *[roles.HALL_STAFF] * 5,
    *[roles.HEALTH_STAFF] * 3,
    *[roles.CULTURE_STAFF] * 2,
)


def demo_phone(role: str) -> str:
    """13800000001 … 13800000009, in the order of roles.ALL_ROLES."""
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


def _create_users(planned: list[tuple[str, str, str, Any]]) -> None:
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


def _link_resident_account(community, role: str, rng: random.Random, **resident_filter) -> None:
    """Give the demo account of `role` to a resident of the community (get or create; linked only when new)."""
    user_model = apps.get_model("portal", "User")
    resident_model = apps.get_model("residents", "Resident")
    phone = demo_phone(role)
    if user_model.objects.filter(phone=phone).exists():
        return
    resident = (
        resident_model.objects.filter(
            community=community, user__isnull=True, moved_out_on__isnull=True, **resident_filter
        )
        .select_related("household__building__area")
        .order_by("household__number", "pk")
        .first()
    )
    if resident is None:
        _create_users([(phone, person_name(rng, "F", 1980), role, community)])
        return
    _create_users([(phone, resident.name, role, community)])
    user = user_model.objects.get(phone=phone)
    household = resident.household
    user.registered_address = f"{community.name}{household.building.area.name}{household.building.name}" + (
        f"{household.unit}单元{household.room}室" if household.unit else f"{household.room}号"
    )
    user.save(update_fields=["registered_address"])
    resident.user = user
    resident.phone = phone
    resident.save(update_fields=["user", "phone"])


def seed_staff(community, *, rng: random.Random, scale_index: int) -> None:
    """13 workers for every community; in the demo community also the resident and volunteer demo accounts."""
    general_branch_model = apps.get_model("residents", "GeneralBranch")
    secretary = general_branch_model.objects.filter(community=community).values_list("secretary", flat=True).first()
    today = timezone.localdate()
    planned = []
    demo_roles_done: set[str] = set()
    for number, role in enumerate(STAFF_PLAN, start=1):
        sex = rng.choice("MF")
        name = person_name(rng, sex, today.year - rng.randint(26, 55))
        if role == roles.BRANCH_SECRETARY and secretary:
            name = secretary  # the general branch's secretary is this worker
        if scale_index == 0 and role not in demo_roles_done:
            demo_roles_done.add(role)
            phone = demo_phone(role)
        else:
            phone = staff_phone(scale_index, number)
        planned.append((phone, name, role, community))
    _create_users(planned)
    if scale_index == 0:
        born_between = {
            roles.RESIDENT: (30, 50),
            roles.VOLUNTEER: (60, 68),
        }
        for role, (youngest, oldest) in born_between.items():
            _link_resident_account(
                community,
                role,
                rng,
                birth_date__lte=years_before(today, youngest),
                birth_date__gt=years_before(today, oldest + 1),
                is_floating=False,
                **({"is_retiree": True} if role == roles.VOLUNTEER else {"relation": "head"}),
            )


def seed_district_admin(communities, *, rng: random.Random) -> None:
    """The district administrator's demo account: no community, sees all of them."""
    year = timezone.localdate().year - rng.randint(35, 55)
    _create_users(
        [(demo_phone(roles.DISTRICT_ADMIN), person_name(rng, rng.choice("MF"), year), roles.DISTRICT_ADMIN, None)]
    )


def user_counts() -> dict[str, int]:
    user_model = apps.get_model("portal", "User")
    users = user_model.objects
    return {
        "users": users.count(),
        "staff": users.filter(is_staff=True, community__isnull=False).count(),
        "district_admins": users.filter(groups__name=roles.DISTRICT_ADMIN).count(),
        "demo_accounts": users.filter(phone__in=[demo_phone(r) for r in roles.ALL_ROLES]).count(),
    }


PORTAL_USERS = Seeder("portal", seed_community=seed_staff, seed_district=seed_district_admin, counts=user_counts)
