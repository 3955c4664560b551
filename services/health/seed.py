"""Demo data of the health station: health files with consent for a realistic share of residents (most elderly
people, a quarter of the rest, every resident with a portal account), readings over two years, focus-group plans,
and the retirees' free physical: two finished years (913 retirees examined each year in the demo community, as in
the source) and this year's campaign, open for booking.
Planned in memory and written with bulk_create; idempotent (nothing happens when the community already has a
checkup campaign)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from portal.core import roles
from portal.core.bulk import bulk_insert
from portal.core.models import Community, User
from residents.models import ELDERLY_AGE
from services.health.models import (
    CURRENT_NOTICE_VERSION,
    GUARDIAN_BELOW_AGE,
    RETENTION_YEARS,
    CampaignInvitation,
    CheckupBooking,
    CheckupCampaign,
    CheckupRecord,
    CheckupSlot,
    FollowUpPlan,
    FollowUpVisit,
    HealthConsent,
    HealthFile,
    MaternalVisit,
    Reading,
)
from services.seed_helpers import BATCH, age_on, at, current_people

CHRONIC = ("高血压", "2型糖尿病", "冠心病", "慢性支气管炎", "骨关节炎", "高脂血症")
ALLERGIES = ("青霉素过敏", "磺胺类药物过敏", "海鲜过敏", "花粉过敏")
MEDICATION = {
    "高血压": "氨氯地平片 5mg 每日一次",
    "2型糖尿病": "二甲双胍片 0.5g 每日两次",
    "冠心病": "阿司匹林肠溶片 100mg 每日一次",
    "高脂血症": "阿托伐他汀钙片 20mg 每晚一次",
}


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """The health station of one community, unless it already has a checkup campaign."""
    if CheckupCampaign.objects.filter(community=community).exists():
        return
    today = timezone.localdate()
    people = current_people(community)
    staff = list(
        User.objects.filter(community=community, groups__name=roles.HEALTH_STAFF)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    files = _seed_health_files(community, people, staff, rng, today)
    _seed_campaigns(community, people, files, rng, today, scale_index)


def _seed_health_files(community, people, staff, rng, today) -> dict[int, HealthFile]:
    """Files with consent: 70% of the elderly, 25% of everyone else, and every resident with an account."""
    guardians: dict[int, str] = {}
    for p in people:
        if age_on(p["birth_date"], today) >= 20:
            guardians.setdefault(p["household_id"], p["name"])
    chosen = []
    for p in people:
        age = age_on(p["birth_date"], today)
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
                consented_at=at(today - dt.timedelta(days=rng.randint(30, 700)), dt.time(9, rng.randint(0, 59))),
                given_by="guardian" if child else "self",
                guardian_name=guardians.get(p["household_id"], "监护人") if child else "",
                recorded_by_id=recorder,
            )
        )
    bulk_insert(consents, batch_size=BATCH)
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
    bulk_insert(files, batch_size=BATCH)

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
    bulk_insert(readings, batch_size=BATCH)
    bulk_insert(plans, batch_size=BATCH)
    bulk_insert(visits, batch_size=BATCH)
    MaternalVisit.objects.bulk_create(maternal, batch_size=BATCH)
    return {file.resident_id: file for file in files}


# --- the retirees' physical, two years running ------------------------------------------------------------


CHECKUP_RETIREES = 913  # the source: "连续两年为913名退休人员免费体检" — 913 retirees, two years running


def _seed_campaigns(community, people, files, rng, today, scale_index) -> None:
    """Two finished years of the free physical — the demo community's 913 retirees examined each year, as in the
    source — and this year's campaign, open for booking. The retirees the community looks after (the enterprise
    retirees of the unit-type estates) are the same people every year; a generated community looks after about
    half of its retirees."""
    retirees = [p for p in people if p["is_retiree"]]
    looked_after = CHECKUP_RETIREES if scale_index == 0 else round(len(retirees) * rng.uniform(0.4, 0.55))
    retirees = sorted(rng.sample(retirees, min(looked_after, len(retirees))), key=lambda p: p["pk"])
    for year, done in ((today.year - 2, True), (today.year - 1, True), (today.year, False)):
        starts = dt.date(year, 10, 8) if done else today - dt.timedelta(days=7)
        campaign = CheckupCampaign.objects.create(
            community=community,
            title=f"{year}年退休人员免费健康体检",
            year=year,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=27),
            place="社区卫生服务站二楼",
        )
        bulk_insert(
            [
                CampaignInvitation(
                    campaign=campaign, resident_id=p["pk"], invited_at=at(starts - dt.timedelta(days=14), dt.time(9))
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
                    begin = at(day, start)
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
                created_at=at(starts - dt.timedelta(days=rng.randint(1, 10)), dt.time(10)),
            )
            bookings.append(booking)
            slot.seats_taken += 1
            file = files.get(p["pk"])
            if attended and file is not None:
                records.append((file, booking, timezone.localdate(slot.starts_at)))
        bulk_insert(bookings, batch_size=BATCH)
        CheckupSlot.objects.bulk_update(slots, ["seats_taken"])
        bulk_insert(
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


def counts() -> dict[str, int]:
    """Whole-database figures of the health station, for seed_demo's report."""
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
    }
