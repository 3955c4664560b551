"""Demo data of the health and culture stations, for `seed_demo` (called from services/seed.py).

Per community: health files with consent for a realistic share of residents (most elderly people, a quarter of the
rest, every resident with a portal account), readings over two years, focus-group plans, two years of the retirees'
free physical (every retiree invited, booked and — last year — examined), lectures and free clinics; the five
activity rooms, teams with weekly bookings, two classes with sessions and enrolments, and the fun games.
Everything is planned in memory and written with bulk_create; idempotent (nothing happens when the community
already has rooms).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from portal.core import roles
from portal.core.models import Community, User
from residents.models import ELDERLY_AGE, Resident
from services.models import (
    CURRENT_NOTICE_VERSION,
    CampaignInvitation,
    CheckupBooking,
    CheckupCampaign,
    CheckupRecord,
    CheckupSlot,
    ClassEnrolment,
    ClassSession,
    CultureClass,
    EventRegistration,
    FollowUpPlan,
    FollowUpVisit,
    HealthConsent,
    HealthFile,
    MaternalVisit,
    Reading,
    Room,
    RoomBooking,
    StationEvent,
    Team,
    TeamMember,
)
from services.models.health import GUARDIAN_BELOW_AGE, RETENTION_YEARS

BATCH = 1000
CHRONIC = ("高血压", "2型糖尿病", "冠心病", "慢性支气管炎", "骨关节炎", "高脂血症")
ALLERGIES = ("青霉素过敏", "磺胺类药物过敏", "海鲜过敏", "花粉过敏")
MEDICATION = {
    "高血压": "氨氯地平片 5mg 每日一次",
    "2型糖尿病": "二甲双胍片 0.5g 每日两次",
    "冠心病": "阿司匹林肠溶片 100mg 每日一次",
    "高脂血症": "阿托伐他汀钙片 20mg 每晚一次",
}
ROOMS = (
    ("party", "党员活动室", 40, dt.time(8, 30), dt.time(17, 30), "党员学习、组织生活优先使用；请提前一天预约。"),
    ("painting", "书画室", 20, dt.time(8, 0), dt.time(20, 0), "笔墨纸砚用后归位；保持桌面整洁。"),
    ("chess", "棋牌室", 24, dt.time(8, 0), dt.time(21, 0), "禁止赌博；室内禁烟；21:00 关门。"),
    ("opera", "曲艺室", 30, dt.time(8, 0), dt.time(21, 0), "乐器借用请登记；排练音量适中，勿扰邻。"),
    ("fitness", "健身区", 30, dt.time(6, 0), dt.time(21, 0), "器械使用前请热身；老人儿童请在家属陪同下使用。"),
)
TEAMS = (
    ("梦想乐队", "居民自发组建的民乐、轻音乐乐队，常在社区活动中演出。", "opera", 1, dt.time(19, 0), dt.time(21, 0)),
    ("老年合唱团", "以退休居民为主的合唱团，每周排练。", "opera", 3, dt.time(9, 0), dt.time(11, 0)),
    ("太极拳队", "晨练太极拳、太极剑。", "fitness", 2, dt.time(6, 30), dt.time(8, 0)),
    ("书画社", "书法与国画爱好者交流创作。", "painting", 4, dt.time(14, 0), dt.time(17, 0)),
)


def _tz():
    return timezone.get_current_timezone()


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=_tz())


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """Seed both stations of one community, unless its rooms already exist."""
    from services.tasks_stations import schedule_stations_tasks

    schedule_stations_tasks()
    if Room.objects.filter(community=community).exists():
        return
    today = timezone.localdate()
    people = list(
        Resident.objects.current()
        .filter(community=community)
        .values("pk", "household_id", "name", "sex", "birth_date", "is_retiree", "is_veteran", "is_disabled", "user_id")
        .order_by("pk")
    )
    staff = list(
        User.objects.filter(community=community, groups__name=roles.HEALTH_STAFF)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rooms = _seed_rooms(community)
    _seed_culture(community, rooms, people, rng, today)
    files = _seed_health_files(community, people, staff, rng, today)
    _seed_campaigns(community, people, files, rng, today)
    _seed_events(community, people, rng, today)


# --- culture ----------------------------------------------------------------------------------------


def _seed_rooms(community: Community) -> dict[str, Room]:
    rooms = Room.objects.bulk_create(
        Room(community=community, kind=kind, name=name, capacity=cap, opens_at=opens, closes_at=closes, rules=rules)
        for kind, name, cap, opens, closes, rules in ROOMS
    )
    return {room.kind: room for room in rooms}


def _seed_culture(community, rooms, people, rng, today) -> None:
    adults = [p for p in people if _age(p["birth_date"], today) >= 35]
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
                    starts_at=_at(day, start),
                    ends_at=_at(day, end),
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
            booking = RoomBooking(room=klass.room, starts_at=_at(day, start), ends_at=_at(day, end), purpose=klass.name)
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


# --- health files --------------------------------------------------------------------------------


def _seed_health_files(community, people, staff, rng, today) -> dict[int, HealthFile]:
    """Files with consent: 70% of the elderly, 25% of everyone else, and every resident with an account."""
    guardians: dict[int, str] = {}
    for p in people:
        if _age(p["birth_date"], today) >= 20:
            guardians.setdefault(p["household_id"], p["name"])
    chosen = []
    for p in people:
        age = _age(p["birth_date"], today)
        share = 0.7 if age >= ELDERLY_AGE else 0.25
        if p["user_id"] or rng.random() < share:
            chosen.append((p, age))
    recorder = staff[0] if staff else None
    consents = []
    for p, age in chosen:
        child = age < GUARDIAN_BELOW_AGE
        consents.append(
            HealthConsent(
                community=community,
                resident_id=p["pk"],
                notice_version=CURRENT_NOTICE_VERSION,
                consented_at=_at(today - dt.timedelta(days=rng.randint(30, 700)), dt.time(9, rng.randint(0, 59))),
                given_by="guardian" if child else "self",
                guardian_name=guardians.get(p["household_id"], "监护人") if child else "",
                recorded_by_id=recorder,
            )
        )
    HealthConsent.objects.bulk_create(consents, batch_size=BATCH)
    files, extras = [], []
    for consent, (p, age) in zip(consents, chosen, strict=True):
        conditions = []
        if age >= 45 and rng.random() < (0.55 if age >= ELDERLY_AGE else 0.25):
            conditions = rng.sample(CHRONIC, rng.choice((1, 1, 2)))
        female_15_49 = p["sex"] == "F" and 15 <= age <= 49
        files.append(
            HealthFile(
                community=community,
                resident_id=p["pk"],
                household_id=p["household_id"],
                consent=consent,
                maternal_care=female_15_49,
                chronic_conditions="、".join(conditions),
                allergies=rng.choice(ALLERGIES) if rng.random() < 0.08 else "",
                medications="；".join(MEDICATION[c] for c in conditions if c in MEDICATION),
                created_at=consent.consented_at,
                created_by_id=recorder,
                retention_until=consent.consented_at.date().replace(year=consent.consented_at.year + RETENTION_YEARS),
                birth_year=p["birth_date"].year,
                sex=p["sex"],
            )
        )
        extras.append((p, age, conditions))
    HealthFile.objects.bulk_create(files, batch_size=BATCH)

    readings, visits, maternal, plans = [], [], [], []
    for file, (p, _years, conditions) in zip(files, extras, strict=True):
        if conditions or p["user_id"]:
            base_sys, base_dia = rng.randint(125, 160), rng.randint(78, 98)
            weight = rng.randint(52, 85)
            glucose = rng.uniform(5.5, 9.5)
            for months_ago in range(24, -1, -3):
                day = today - dt.timedelta(days=30 * months_ago + rng.randint(0, 10))
                readings.append(
                    Reading(
                        file=file,
                        kind="bp",
                        taken_on=day,
                        value=base_sys + rng.randint(-12, 12),
                        value2=base_dia + rng.randint(-8, 8),
                    )
                )
                readings.append(
                    Reading(
                        file=file,
                        kind="weight",
                        taken_on=day,
                        value=Decimal(weight + rng.uniform(-2, 2)).quantize(Decimal("0.1")),
                    )
                )
                if "2型糖尿病" in conditions or p["user_id"]:
                    readings.append(
                        Reading(
                            file=file,
                            kind="glucose",
                            taken_on=day,
                            value=Decimal(glucose + rng.uniform(-1, 1)).quantize(Decimal("0.1")),
                        )
                    )
        group = "veteran" if p["is_veteran"] else "disabled" if p["is_disabled"] else "chronic" if conditions else None
        if group:
            last = today - dt.timedelta(days=rng.randint(5, 45))
            plans.append(
                FollowUpPlan(
                    community=community, file=file, group=group, interval_days=30, next_due=last + dt.timedelta(days=30)
                )
            )
            visits.append(
                FollowUpVisit(
                    file=file,
                    visited_on=last,
                    visited_by_id=staff[0] if staff else None,
                    notes="上门随访，血压平稳，嘱规律服药。",
                )
            )
        if file.maternal_care and rng.random() < 0.1:
            maternal.append(
                MaternalVisit(
                    file=file,
                    kind=rng.choice(("prenatal", "postnatal", "planning")),
                    visited_on=today - dt.timedelta(days=rng.randint(10, 300)),
                    notes="常规随访。",
                )
            )
    Reading.objects.bulk_create(readings, batch_size=BATCH)
    FollowUpPlan.objects.bulk_create(plans, batch_size=BATCH)
    FollowUpVisit.objects.bulk_create(visits, batch_size=BATCH)
    MaternalVisit.objects.bulk_create(maternal, batch_size=BATCH)
    return {file.resident_id: file for file in files}


# --- the retirees' physical, two years running ------------------------------------------------------------


def _seed_campaigns(community, people, files, rng, today) -> None:
    retirees = [p for p in people if p["is_retiree"]]
    for year, done in ((today.year - 1, True), (today.year, False)):
        starts = dt.date(year, 10, 8) if done else today - dt.timedelta(days=7)
        campaign = CheckupCampaign.objects.create(
            community=community,
            title=f"{year}年退休人员免费健康体检",
            year=year,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=27),
            place="社区卫生服务站二楼",
        )
        CampaignInvitation.objects.bulk_create(
            [
                CampaignInvitation(
                    campaign=campaign, resident_id=p["pk"], invited_at=_at(starts - dt.timedelta(days=14), dt.time(9))
                )
                for p in retirees
            ],
            batch_size=BATCH,
        )
        # Mornings of 20 working days, two slots each, 25 places a slot: room for 1,000.
        slots, day = [], starts
        while len(slots) < 40:
            if day.weekday() < 5:
                for start in (dt.time(7, 30), dt.time(9, 30)):
                    begin = _at(day, start)
                    slots.append(
                        CheckupSlot(
                            campaign=campaign, starts_at=begin, ends_at=begin + dt.timedelta(hours=2), capacity=25
                        )
                    )
            day += dt.timedelta(days=1)
        CheckupSlot.objects.bulk_create(slots)
        now = timezone.now()
        booked_share = 1.0 if done else 0.7
        queue = [p for p in retirees if rng.random() < booked_share]
        bookings, records = [], []
        for i, p in enumerate(queue[: len(slots) * 25]):
            slot = slots[i // 25]
            past = slot.ends_at < now
            attended = True if done else (rng.random() < 0.92 if past else None)
            booking = CheckupBooking(
                slot=slot,
                resident_id=p["pk"],
                attended=attended,
                created_at=_at(starts - dt.timedelta(days=rng.randint(1, 10)), dt.time(10)),
            )
            bookings.append(booking)
            slot.seats_taken += 1
            file = files.get(p["pk"])
            if attended and file is not None:
                records.append((file, booking, timezone.localdate(slot.starts_at)))
        CheckupBooking.objects.bulk_create(bookings, batch_size=BATCH)
        CheckupSlot.objects.bulk_update(slots, ["seats_taken"])
        CheckupRecord.objects.bulk_create(
            [
                CheckupRecord(
                    file=f,
                    booking=b,
                    examined_on=d,
                    results=rng.choice(
                        (
                            "各项指标基本正常。",
                            "血压偏高，建议复查。",
                            "空腹血糖偏高，建议内分泌科就诊。",
                            "心电图未见明显异常。",
                        )
                    ),
                )
                for f, b, d in records
            ],
            batch_size=BATCH,
        )


# --- events of both stations ----------------------------------------------------------------------------


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
    for year in (today.year - 1, today.year):
        plan.append(
            (
                "culture",
                "games",
                f"{year}年社区趣味运动会",
                "社区广场",
                dt.date(year, 5, 18),
                dt.time(8, 30),
                dt.time(11, 30),
                150,
            )
        )
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
    plan.append(
        (
            "culture",
            "games",
            "迎新年趣味运动会",
            "社区广场",
            today + dt.timedelta(days=21),
            dt.time(9, 0),
            dt.time(11, 30),
            120,
        )
    )
    events = StationEvent.objects.bulk_create(
        StationEvent(
            community=community,
            station=station,
            kind=kind,
            title=title,
            place=place,
            starts_at=_at(day, start),
            ends_at=_at(day, end),
            capacity=cap,
            description="欢迎居民报名参加。",
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
    EventRegistration.objects.bulk_create(registrations, batch_size=BATCH)
    StationEvent.objects.bulk_update(events, ["seats_taken"])


def counts() -> dict[str, int]:
    """Whole-database figures of both stations, for seed_demo's report."""
    files = HealthFile.objects.aggregate(
        health_files=Count("pk", filter=Q(anonymised_at__isnull=True)),
        health_files_maternal=Count("pk", filter=Q(maternal_care=True)),
    )
    return {
        **files,
        "health_consents": HealthConsent.objects.count(),
        "health_readings": Reading.objects.count(),
        "checkup_campaigns": CheckupCampaign.objects.count(),
        "checkup_attended": CheckupBooking.objects.filter(attended=True).count(),
        "rooms": Room.objects.count(),
        "room_bookings": RoomBooking.objects.count(),
        "teams": Team.objects.count(),
        "classes": CultureClass.objects.count(),
        "station_events": StationEvent.objects.count(),
    }
