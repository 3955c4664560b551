"""Demo data of the stations' events: monthly health lectures, quarterly free clinics, the fun games and the
shows, with registrations. Written with bulk_create; idempotent (nothing happens when the community already has
events)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from portal.core.bulk import bulk_insert
from portal.core.models import Community
from residents.models import StationedUnit
from services.events.models import EventRegistration, StationEvent
from services.seed_helpers import BATCH, at, current_people


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """The events of both stations of one community, unless it already has some."""
    if StationEvent.objects.filter(community=community).exists():
        return
    _seed_events(community, current_people(community), rng, timezone.localdate())


def _seed_events(community, people, rng, today) -> None:
    plan = []
    for months in range(-6, 4):
        year, month = divmod(today.month - 1 + months, 12)
        first = dt.date(today.year + year, month + 1, 1)
        lecture_day = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)  # second Tuesday
        plan.append(
            (
                "health",
                "lecture",
                "健康讲座：" + rng.choice(("高血压的日常管理", "糖尿病饮食", "冬季防跌倒", "合理用药")),
                "社区党员活动室",
                lecture_day,
                dt.time(9, 30),
                dt.time(11, 0),
                60,
            )
        )
        if months % 3 == 0:
            plan.append(
                (
                    "health",
                    "clinic",
                    "义诊：量血压、测血糖、中医咨询",
                    "社区广场",
                    first + dt.timedelta(days=19),
                    dt.time(8, 30),
                    dt.time(11, 30),
                    200,
                )
            )
    # The large fun events (大型趣味性活动, 2–3 a year, as the culture station's plan says): the source's fun games
    # that 沧县实验学校 and 农行 sponsored — the “和谐杯”, the “农行杯” and the “老年乐” — and this year's new-year games.
    for title, day, cap in (
        (f"{today.year - 1}年“和谐杯”大型趣味运动会", dt.date(today.year - 1, 5, 18), 150),
        (f"{today.year - 1}年“老年乐”大型趣味运动会", dt.date(today.year - 1, 10, 25), 120),
        (f"{today.year}年“农行杯”大型趣味运动会", dt.date(today.year, 5, 17), 150),
        (f"{today.year}年迎新年趣味运动会", dt.date(today.year, 12, 27), 120),
    ):
        plan.append(("culture", "games", title, "社区广场", day, dt.time(8, 30), dt.time(11, 30), cap))
    for year in (today.year - 1, today.year):
        plan.append(
            (
                "culture",
                "show",
                f"{year}年重阳节文艺汇演",
                "社区文化广场",
                dt.date(year, 10, 11),
                dt.time(15, 0),
                dt.time(17, 0),
                200,
            )
        )
    events = StationEvent.objects.bulk_create(
        StationEvent(
            community=community,
            station=station,
            kind=kind,
            title=title,
            place=place,
            starts_at=at(day, start),
            ends_at=at(day, end),
            capacity=cap,
            description="欢迎居民报名参加。",
            large=kind == "games",
        )
        for station, kind, title, place, day, start, end, cap in plan
    )
    registrations = []
    now = timezone.now()
    for event in events:
        share = 0.8 if event.ends_at < now else 0.4
        chosen = rng.sample(people, min(len(people), int(event.capacity * share)))
        registrations += [EventRegistration(event=event, resident_id=p["pk"]) for p in chosen]
        event.seats_taken = len(chosen)
    bulk_insert(registrations, batch_size=BATCH)
    StationEvent.objects.bulk_update(events, ["seats_taken"])
    _sponsor(community, [e for e in events if "杯" in e.title or "老年乐" in e.title])


# The source: "沧县实验学校与农行还赞助举办了“和谐杯”、“农行杯”、“老年乐”等大型趣味运动会" — the two units sponsored
# the games together. Matched by name stem, so a generated community's own school and bank sponsor its games.
SPONSOR_STEMS = ("实验学校", "农业银行")


def _sponsor(community, events) -> None:
    units = [
        next(iter(StationedUnit.objects.filter(community=community, name__contains=stem).order_by("pk")), None)
        for stem in SPONSOR_STEMS
    ]
    through = StationEvent.sponsors.through
    through.objects.bulk_create(
        [through(stationevent_id=e.pk, stationedunit_id=u.pk) for e in events for u in units if u is not None]
    )


def counts() -> dict[str, int]:
    """Whole-database figures of the events, for seed_demo's report."""
    return {
        "station_events": StationEvent.objects.count(),
        "station_events_sponsored": StationEvent.objects.filter(sponsors__isnull=False).distinct().count(),
    }
