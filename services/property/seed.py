"""Demo data of property management (called from services/seed.py): two companies covering the community's
buildings and courtyards (one newest courtyard left without, as the register has it until the street assigns one),
an account for each, cleaners (one company a cleaner short of its quota), an owners' committee, repairs in every
state over the last two quarters with ratings, inspections; once for the district, last quarter's appraisal
published and this quarter's open. Idempotent: a community that has companies is left alone."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from portal.core import roles
from portal.core.models import User
from portal.core.seeding import BATCH_SIZE, create_users, demo_phone, person_name, staff_phone
from residents.models import Area, Building, Resident
from services.hall.models import Case
from services.property.actions import appraisal_publish
from services.property.models import (
    Cleaner,
    OwnersCommittee,
    OwnersCommitteeMember,
    PropertyAppraisal,
    PropertyCompany,
    PropertyCoverage,
    PropertyInspection,
    PropertyStaff,
    Repair,
)

COMPANIES = [
    ("沧州安居物业服务有限公司", "0317-2151234", 2, 24),
    ("新华惠民物业管理有限公司", "0317-2156789", 2, 48),
]
FAULTS = [
    (Repair.Kind.WATER, "厨房水管爆裂，漏水严重", "3单元201"),
    (Repair.Kind.WATER, "楼道下水管堵塞返水", "1单元楼道"),
    (Repair.Kind.ELECTRICITY, "楼道声控灯不亮", "2单元3楼"),
    (Repair.Kind.ELECTRICITY, "家中跳闸后无法合闸", "1单元502"),
    (Repair.Kind.GAS, "燃气表前阀门有异味", "4单元101"),
    (Repair.Kind.WATER, "水表井盖破损", "院内东侧"),
    (Repair.Kind.OTHER, "单元门禁损坏", "2单元门口"),
]
SOURCES = [Case.Source.PHONE, Case.Source.PHONE, Case.Source.ONLINE, Case.Source.COUNTER, Case.Source.PATROL]
COMMENTS = ["师傅来得很快，修得很好", "及时解决了问题，谢谢", "态度好", "来得有点晚", ""]
STAFF_NUMBER = 40  # staff_phone numbers of the property accounts: after the community's 13 workers


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    end = quarter_start(today) - dt.timedelta(days=1)
    return quarter_start(end), end


def quarter_name(start: dt.date) -> str:
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


def seed_community(community, *, rng: random.Random, scale_index: int) -> None:
    if PropertyCompany.objects.filter(community=community).exists():
        return
    buildings = list(Building.objects.filter(community=community).order_by("area__name", "name", "pk"))
    if not buildings:
        return
    companies = PropertyCompany.objects.bulk_create(
        PropertyCompany(
            community=community,
            name=name,
            hotline=phone,
            manager=person_name(rng, "M", 1975),
            arrive_hours=arrive,
            fix_hours=fix,
        )
        for name, phone, arrive, fix in COMPANIES
    )
    today = timezone.localdate()
    covered = buildings[:-1]  # the newest courtyard waits for the street to assign a company
    half = len(covered) // 2
    served = {companies[0].pk: covered[:half], companies[1].pk: covered[half:]}
    PropertyCoverage.objects.bulk_create(
        PropertyCoverage(company_id=company_id, building=b, since=today - dt.timedelta(days=400))
        for company_id, found in served.items()
        for b in found
    )
    _accounts(community, companies, scale_index, rng)
    _cleaners(companies, served, rng, today)
    _owners_committee(community, rng, today)
    _repairs(community, companies, served, buildings[-1], rng)
    _inspections(companies, served, rng, today)


def _accounts(community, companies, scale_index: int, rng: random.Random) -> None:
    year = timezone.localdate().year
    planned = []
    for i in range(len(companies)):
        phone = (
            demo_phone(roles.PROPERTY_STAFF)
            if scale_index == 0 and i == 0
            else staff_phone(scale_index, STAFF_NUMBER + i)
        )
        planned.append(
            (phone, person_name(rng, rng.choice("MF"), year - rng.randint(25, 50)), roles.PROPERTY_STAFF, community)
        )
    create_users(planned)
    users = {u.phone: u for u in User.objects.filter(phone__in=[p[0] for p in planned])}
    PropertyStaff.objects.bulk_create(
        [PropertyStaff(company=c, user=users[p[0]]) for c, p in zip(companies, planned, strict=True)],
        ignore_conflicts=True,
    )


def _cleaners(companies, served, rng: random.Random, today: dt.date) -> None:
    planned = []
    for n, company in enumerate(companies):
        found = served[company.pk]
        count = PropertyCompany.cleaner_quota(len(found)) - (1 if n == 1 else 0)  # the second is a cleaner short
        for i in range(max(count, 0)):
            planned.append((company, found[2 * i : 2 * i + 2]))
    cleaners = Cleaner.objects.bulk_create(
        Cleaner(
            company=company,
            name=person_name(rng, rng.choice("MF"), today.year - rng.randint(40, 58)),
            started_on=today - dt.timedelta(days=rng.randint(60, 900)),
        )
        for company, _found in planned
    )
    through = Cleaner.buildings.through
    through.objects.bulk_create(
        (
            through(cleaner_id=c.pk, building_id=b.pk)
            for c, (_company, found) in zip(cleaners, planned, strict=True)
            for b in found
        ),
        batch_size=BATCH_SIZE,
    )


def _owners_committee(community, rng: random.Random, today: dt.date) -> None:
    area = Area.objects.filter(community=community).order_by("name").first()
    if area is None:
        return
    elected = today - dt.timedelta(days=420)
    committee = OwnersCommittee.objects.create(
        community=community,
        area=area,
        name=f"{area.name}业主委员会",
        elected_on=elected,
        term_ends_on=elected.replace(year=elected.year + 3) - dt.timedelta(days=1),
    )
    people = list(
        Resident.objects.filter(community=community, household__building__area=area, relation="head").order_by("pk")[:5]
    )
    roles_in_order = [OwnersCommitteeMember.Role.CHAIR, OwnersCommitteeMember.Role.DEPUTY]
    OwnersCommitteeMember.objects.bulk_create(
        OwnersCommitteeMember(
            committee=committee,
            resident=r,
            name=r.name,
            role=roles_in_order[i] if i < len(roles_in_order) else OwnersCommitteeMember.Role.MEMBER,
            term_starts_on=committee.elected_on,
            term_ends_on=committee.term_ends_on,
        )
        for i, r in enumerate(people)
    )


def _repair(community, company, building, resident, rng, *, reported, arrive_after=None, fix_after=None, rated=False):
    kind, text, where = rng.choice(FAULTS)
    source = Case.Source.ONLINE if resident and resident.user_id and rng.random() < 0.5 else rng.choice(SOURCES)
    repair = Repair(
        community=community,
        building=building,
        resident=resident,
        caller=resident.name if resident else "",
        kind=kind,
        description=text,
        location=where,
        source=source,
        origin="网格巡查" if source == Case.Source.PATROL else "",
        reported_at=reported,
    )
    if company is not None:
        repair.company = company
        repair.status = Repair.Status.DISPATCHED
        repair.dispatched_at = reported + dt.timedelta(minutes=5)
        repair.arrive_by = repair.dispatched_at + dt.timedelta(hours=company.arrive_hours)
        repair.fix_by = repair.dispatched_at + dt.timedelta(hours=company.fix_hours)
    if arrive_after is not None:
        repair.status = Repair.Status.ARRIVED
        repair.arrived_at = repair.dispatched_at + arrive_after
    if fix_after is not None:
        repair.status = Repair.Status.FIXED
        repair.fixed_at = repair.dispatched_at + fix_after
        repair.fix_note = "已更换损坏部件，恢复正常"
    if rated and resident is not None:
        repair.rating = rng.choice([5, 5, 4, 4, 3])
        repair.rating_comment = rng.choice(COMMENTS)
        repair.rated_at = repair.closed_at = repair.fixed_at + dt.timedelta(hours=3)
        repair.status = Repair.Status.CLOSED
    return repair


def _repairs(community, companies, served, uncovered, rng: random.Random) -> None:
    now = timezone.now()
    start, end = last_quarter(timezone.localdate())
    residents: dict[int, int] = {}
    for building_id, pk in (
        Resident.objects.filter(community=community, relation="head", moved_out_on__isnull=True, user__isnull=True)
        .order_by("-pk")
        .values_list("household__building_id", "pk")
    ):
        residents[building_id] = pk  # the first head of each building wins (ordered last to first)
    by_pk = Resident.objects.in_bulk(list(residents.values()))
    demo = (
        Resident.objects.filter(community=community, user__phone=demo_phone(roles.RESIDENT))
        .select_related("household__building")
        .first()
    )

    def resident_of(building):
        return by_pk.get(residents.get(building.pk))

    rows = []
    span = (end - start).days
    for n, company in enumerate(companies):
        found = served[company.pk]
        # Last quarter: fixed and mostly rated; the second company a little slower.
        for i in range(10):
            building = rng.choice(found)
            day = start + dt.timedelta(days=rng.randint(0, span - 2))
            reported = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 19), rng.randint(0, 59))))
            late = rng.random() < (0.1 if n == 0 else 0.35)
            rows.append(
                _repair(
                    community,
                    company,
                    building,
                    resident_of(building),
                    rng,
                    reported=reported,
                    arrive_after=dt.timedelta(minutes=rng.randint(20, 100) + (120 if late else 0)),
                    fix_after=dt.timedelta(hours=rng.randint(2, 20) + (company.fix_hours if late else 0)),
                    rated=i % 4 != 3,
                )
            )
        # Now: one just dispatched, one arrived, one past its promise.
        building = rng.choice(found)
        rows.append(
            _repair(community, company, building, resident_of(building), rng, reported=now - dt.timedelta(minutes=30))
        )
        rows.append(
            _repair(
                community,
                company,
                building,
                resident_of(building),
                rng,
                reported=now - dt.timedelta(hours=3),
                arrive_after=dt.timedelta(minutes=50),
            )
        )
        rows.append(
            _repair(
                community,
                company,
                rng.choice(found),
                None,
                rng,
                reported=now - dt.timedelta(hours=company.fix_hours + 5),
            )
        )
    # A courtyard without a company: waiting for the community to dispatch it.
    rows.append(
        _repair(community, None, uncovered, resident_of(uncovered), rng, reported=now - dt.timedelta(minutes=40))
    )
    if demo is not None:
        home = demo.household.building
        company = next((c for c in companies if home in served[c.pk]), None)
        rows.append(
            _repair(
                community,
                company,
                home,
                demo,
                rng,
                reported=now - dt.timedelta(days=2),
                arrive_after=dt.timedelta(minutes=45),
                fix_after=dt.timedelta(hours=3),
            )
        )
        rows.append(
            _repair(
                community,
                company,
                home,
                demo,
                rng,
                reported=now - dt.timedelta(days=20),
                arrive_after=dt.timedelta(minutes=35),
                fix_after=dt.timedelta(hours=2),
                rated=True,
            )
        )
    Repair.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _inspections(companies, served, rng: random.Random, today: dt.date) -> None:
    start, end = last_quarter(today)
    PropertyInspection.objects.bulk_create(
        PropertyInspection(
            company=company,
            building=rng.choice(served[company.pk]),
            inspected_on=start + dt.timedelta(days=20 + 30 * i),
            score=rng.randint(82, 96) if n == 0 else rng.randint(70, 88),
            notes=rng.choice(["楼道整洁，垃圾清运及时", "院内有堆物，已要求清理", "设施维护到位", "绿化待修剪"]),
        )
        for n, company in enumerate(companies)
        for i in range(2)
    )


def seed_district(communities, *, rng: random.Random) -> None:
    """Last quarter's appraisal, published (its scores final), and this quarter's, open."""
    today = timezone.localdate()
    start, end = last_quarter(today)
    this_start = quarter_start(today)
    this_end = (this_start + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
    PropertyAppraisal.objects.get_or_create(
        name=quarter_name(this_start), defaults={"starts_on": this_start, "ends_on": this_end}
    )
    last, _created = PropertyAppraisal.objects.get_or_create(
        name=quarter_name(start), defaults={"starts_on": start, "ends_on": end}
    )
    if last.published_at is None:
        publisher = User.objects.filter(phone=demo_phone(roles.DISTRICT_ADMIN)).first()
        if publisher is not None and publisher.has_perm("services.publish_propertyappraisal"):
            appraisal_publish(appraisal=last, by=publisher)


def counts() -> dict[str, int]:
    return {
        "property_companies": PropertyCompany.objects.count(),
        "repairs": Repair.objects.count(),
        "property_appraisals_published": PropertyAppraisal.objects.filter(published_at__isnull=False).count(),
    }
