"""Demo data of the culture station: the five activity rooms, teams with weekly bookings, and two classes with
sessions and enrolments. Planned in memory and written with bulk_create; idempotent (nothing happens when the
community already has rooms)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from portal.core.models import Community
from services.culture.models import (
    ClassEnrolment,
    ClassSession,
    CultureClass,
    CulturePlan,
    Room,
    RoomBooking,
    Team,
    TeamMember,
)
from services.seed_helpers import BATCH, age_on, at, current_people

ROOMS = (
    ("party", "党员活动室", 40, dt.time(8, 30), dt.time(17, 30), "党员学习、组织生活优先使用；请提前一天预约。"),
    ("painting", "书画室", 20, dt.time(8, 0), dt.time(20, 0), "笔墨纸砚用后归位；保持桌面整洁。"),
    ("chess", "棋牌室", 24, dt.time(8, 0), dt.time(21, 0), "禁止赌博；室内禁烟；21:00 关门。"),
    ("opera", "曲艺室", 30, dt.time(8, 0), dt.time(21, 0), "乐器借用请登记；排练音量适中，勿扰邻。"),
    ("fitness", "健身区", 30, dt.time(6, 0), dt.time(21, 0), "器械使用前请热身；老人儿童请在家属陪同下使用。"),
)
PLAN_NOTE = "全年开展2至3次大型趣味性活动（趣味运动会等），争取驻区单位赞助，促进社区文化建设。"
# The source: 2 to 3 large fun events a year (每年开展2至3次大型趣味性活动) — the fun games 沧县实验学校 and 农行
# sponsored (“和谐杯”、“农行杯”、“老年乐”). Last year's two were held; this year three are planned (services/events/seed.py
# holds the events themselves).
PLANS = (
    (-1, 2, "“和谐杯”、“老年乐”大型趣味运动会（沧县实验学校、农行赞助）。"),
    (0, 3, "“农行杯”大型趣味运动会（沧县实验学校、农行赞助）、迎新年趣味运动会，另一场待定。"),
)
TEAMS = (
    ("梦想乐队", "居民自发组建的民乐、轻音乐乐队，常在社区活动中演出。", "opera", 1, dt.time(19, 0), dt.time(21, 0)),
    ("老年合唱团", "以退休居民为主的合唱团，每周排练。", "opera", 3, dt.time(9, 0), dt.time(11, 0)),
    ("太极拳队", "晨练太极拳、太极剑。", "fitness", 2, dt.time(6, 30), dt.time(8, 0)),
    ("书画社", "书法与国画爱好者交流创作。", "painting", 4, dt.time(14, 0), dt.time(17, 0)),
)


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """The culture station of one community, unless its rooms already exist."""
    if Room.objects.filter(community=community).exists():
        return
    rooms = _seed_rooms(community)
    _seed_plans(community, timezone.localdate(), demo=scale_index == 0)
    _seed_culture(community, rooms, current_people(community), rng, timezone.localdate())


def _seed_plans(community: Community, today: dt.date, *, demo: bool) -> None:
    """The source: 2 to 3 large fun events (大型趣味性活动) a year; two planned last year, three this year."""
    CulturePlan.objects.bulk_create(
        CulturePlan(
            community=community,
            year=today.year + offset,
            large_events=n,
            note=f"{PLAN_NOTE}\n{events}" if demo else PLAN_NOTE,
        )
        for offset, n, events in PLANS
    )


def _seed_rooms(community: Community) -> dict[str, Room]:
    rooms = Room.objects.bulk_create(
        Room(community=community, kind=kind, name=name, capacity=cap, opens_at=opens, closes_at=closes, rules=rules)
        for kind, name, cap, opens, closes, rules in ROOMS
    )
    return {room.kind: room for room in rooms}


def _seed_culture(community, rooms, people, rng, today) -> None:
    adults = [p for p in people if age_on(p["birth_date"], today) >= 35]
    teams = Team.objects.bulk_create(
        Team(
            community=community,
            name=name,
            description=desc,
            founded_on=today.replace(year=today.year - rng.randint(2, 8)),
        )
        for name, desc, *_ in TEAMS
    )
    members, bookings = [], []
    monday = today - dt.timedelta(days=today.weekday())
    for team, (_, _, room_kind, weekday, start, end) in zip(teams, TEAMS, strict=True):
        chosen = rng.sample(adults, min(len(adults), rng.randint(12, 30)))
        members += [
            TeamMember(team=team, resident_id=p["pk"], is_leader=i < 2, joined_on=team.founded_on)
            for i, p in enumerate(chosen)
        ]
        # Regular weekly practice: four weeks back, eight ahead (fixed weekday per team, so no two overlap).
        for week in range(-4, 8):
            day = monday + dt.timedelta(weeks=week, days=weekday)
            bookings.append(
                RoomBooking(
                    room=rooms[room_kind],
                    team=team,
                    starts_at=at(day, start),
                    ends_at=at(day, end),
                    purpose=f"{team.name}排练",
                )
            )
    TeamMember.objects.bulk_create(members, batch_size=BATCH)

    classes = CultureClass.objects.bulk_create(
        [
            CultureClass(
                community=community,
                name="传统乐器演奏培训班",
                teacher="李老师",
                room=rooms["opera"],
                capacity=20,
                description="二胡、笛子、琵琶入门，每周六下午一次，共十二次。",
            ),
            CultureClass(
                community=community,
                name="老年书法班",
                teacher="王老师",
                room=rooms["painting"],
                capacity=15,
                description="楷书基础，每周五上午。",
            ),
        ]
    )
    schedule = ((5, dt.time(14, 30), dt.time(16, 30)), (4, dt.time(9, 0), dt.time(11, 0)))
    session_bookings, sessions, enrolments = [], [], []
    for klass, (weekday, start, end) in zip(classes, schedule, strict=True):
        for week in range(-4, 8):
            day = monday + dt.timedelta(weeks=week, days=weekday)
            booking = RoomBooking(room=klass.room, starts_at=at(day, start), ends_at=at(day, end), purpose=klass.name)
            session_bookings.append(booking)
            sessions.append(
                ClassSession(
                    klass=klass,
                    booking=booking,
                    starts_at=booking.starts_at,
                    ends_at=booking.ends_at,
                    topic=f"第{week + 5}课",
                )
            )
        taken = rng.sample(adults, min(len(adults), klass.capacity - rng.randint(0, 3)))
        enrolments += [ClassEnrolment(klass=klass, resident_id=p["pk"]) for p in taken]
        klass.seats_taken = len(taken)
    RoomBooking.objects.bulk_create(bookings + session_bookings, batch_size=BATCH)
    ClassSession.objects.bulk_create(sessions, batch_size=BATCH)
    ClassEnrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    CultureClass.objects.bulk_update(classes, ["seats_taken"])


def counts() -> dict[str, int]:
    """Whole-database figures of the culture station, for seed_demo's report."""
    return {
        "rooms": Room.objects.count(),
        "room_bookings": RoomBooking.objects.count(),
        "teams": Team.objects.count(),
        "classes": CultureClass.objects.count(),
    }
