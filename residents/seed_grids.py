"""Demo grids (网格): every community's buildings cut, area by area, into grids of about 300 households, each with a
grid worker (网格员); a season of door-to-door visits (enterprise retirees among them) and a fortnight of patrols.
Runs after the staff accounts (residents/seed.py MORE_SEEDERS); bulk inserts only."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from portal.core import roles
from portal.core.models import User
from portal.core.seeding import BATCH_SIZE, create_users, demo_phone, person_name, staff_phone
from residents.models import Building, Grid, HomeVisit, Household, Patrol, Resident

HOUSEHOLDS_PER_GRID = 300
FIRST_WORKER_NUMBER = 20  # staff_phone numbers 1-13 are the community's workers
VISITED_SHARE = 0.6  # of the households, visited within the last VISIT_DAYS
VISIT_DAYS = 150
PATROLS_PER_GRID = 4
NOTES = [
    "家中一切正常",
    "老人身体尚可，叮嘱注意保暖",
    "询问了低保政策，已解答",
    "反映楼道灯不亮",
    "子女在外地，留了联系电话",
]
ISSUES = ["楼道灯损坏", "单元门门禁失灵", "楼顶漏水", "下水道堵塞", "楼道堆放杂物"]
PLACES = ["小区北门", "{b}楼下", "{b}单元门口", "自行车棚", "垃圾分类投放点", "健身器材区"]


def _plan_grids(community) -> list[list[int]]:
    """Building ids, grouped area by area into grids of about HOUSEHOLDS_PER_GRID households."""
    rows = (
        Building.objects.filter(community=community)
        .annotate(n=Count("households"))
        .order_by("area__name", "name")
        .values_list("pk", "area_id", "n")
    )
    grids: list[list[int]] = []
    current: list[int] = []
    size, area = 0, None
    for pk, area_id, n in rows:
        if current and (area_id != area or size >= HOUSEHOLDS_PER_GRID):
            grids.append(current)
            current, size = [], 0
        current.append(pk)
        size += n
        area = area_id
    if current:
        grids.append(current)
    return grids


def seed_grids(community, *, rng: random.Random, scale_index: int) -> None:
    if Grid.objects.filter(community=community).exists():
        return
    plan = _plan_grids(community)
    today = timezone.localdate()
    phones = [
        demo_phone(roles.GRID_WORKER)
        if scale_index == 0 and i == 0
        else staff_phone(scale_index, FIRST_WORKER_NUMBER + i)
        for i in range(len(plan))
    ]
    create_users(
        [
            (phone, person_name(rng, rng.choice("MF"), today.year - rng.randint(25, 50)), roles.GRID_WORKER, community)
            for phone in phones
        ]
    )
    workers = {u.phone: u for u in User.objects.filter(phone__in=phones)}
    grids = Grid.objects.bulk_create(
        [Grid(community=community, name=f"第{i + 1}网格", worker=workers.get(phone)) for i, phone in enumerate(phones)]
    )
    for grid, building_ids in zip(grids, plan, strict=True):
        Building.objects.filter(pk__in=building_ids).update(grid=grid)
    _seed_visits(community, grids, rng, today)
    _seed_patrols(community, grids, rng)


def _seed_visits(community, grids: list[Grid], rng: random.Random, today: dt.date) -> None:
    households = list(
        Household.objects.filter(community=community, building__grid__isnull=False).values_list("pk", "building__grid")
    )
    retirees = set(Resident.objects.filter(community=community, is_retiree=True).values_list("household_id", flat=True))
    worker_of = {g.pk: g.worker_id for g in grids}
    visits = []
    for pk, grid_id in households:
        if rng.random() >= VISITED_SHARE:
            continue
        retiree = pk in retirees and rng.random() < 0.5
        visits.append(
            HomeVisit(
                community=community,
                household_id=pk,
                visited_by_id=worker_of[grid_id],
                visited_on=today - dt.timedelta(days=rng.randint(0, VISIT_DAYS)),
                kind=HomeVisit.Kind.RETIREE if retiree else HomeVisit.Kind.ROUTINE,
                notes=rng.choice(NOTES),
                issue=rng.choice(ISSUES) if rng.random() < 0.05 else "",
            )
        )
    HomeVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)


def _seed_patrols(community, grids: list[Grid], rng: random.Random) -> None:
    names = dict(Building.objects.filter(community=community).values_list("grid", "name").order_by("name"))
    now = timezone.now()
    patrols = [
        Patrol(
            community=community,
            grid=grid,
            patrolled_by_id=grid.worker_id,
            patrolled_at=now - dt.timedelta(days=rng.randint(0, 14), hours=rng.randint(0, 8)),
            location=rng.choice(PLACES).format(b=names.get(grid.pk, "")),
            notes="巡查正常" if n else "发现问题，已拍照",
            issue="" if n else rng.choice(ISSUES),
        )
        for grid in grids
        for n in range(PATROLS_PER_GRID)
    ]
    Patrol.objects.bulk_create(patrols, batch_size=BATCH_SIZE)


def grid_counts() -> dict[str, int]:
    return {
        "grids": Grid.objects.count(),
        "home_visits": HomeVisit.objects.count(),
        "patrols": Patrol.objects.count(),
    }
