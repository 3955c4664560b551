"""Demo site content for each community: notices, contact boards, nearby facilities (with the activity sites the
stationed units gave) and a civility appraisal; for the district, the 1000-point assessment, last year's frozen
with 17 of 29 communities star-rated as in the source (see portal.core.seeding)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from councils.models import ResourcePledge
from portal.core.bulk import bulk_insert
from portal.core.metrics import Section
from portal.core.models import SearchEntry
from portal.core.search import search_reindex
from portal.core.seeding import BATCH_SIZE, mobile_number, person_name
from portal.site.assessment import assessment_scores, assessment_snapshot_take
from portal.site.models import (
    Appraisal,
    AssessmentSnapshot,
    ContactPerson,
    Criterion,
    Facility,
    FacilityItem,
    Indicator,
    IndicatorEntry,
    ManualScore,
    Nomination,
    Notice,
    Rubric,
    Vote,
)
from residents.models import Area, Building, Household, Resident, StationedUnit

NOTICES = [
    ("safety", "冬季消防安全提示", "天干物燥，请勿在楼道堆放杂物，电动车不进楼、不入户、不飞线充电。", True),
    ("safety", "社区应急演练通知", "本周六上午9:00在社区广场举行消防应急演练，欢迎居民参加。", False),
    (
        "environment",
        "垃圾分类新规实施",
        "即日起各楼院设置四分类垃圾桶，请按可回收物、有害垃圾、厨余垃圾、其他垃圾分类投放。",
        True,
    ),
    ("environment", "楼院环境卫生大扫除", "本月最后一个周六开展环境卫生大扫除，志愿者集合地点：社区服务中心。", False),
    ("services", "便民服务站办理时间调整", "冬季工作时间：周一至周五 8:30-12:00，14:00-17:30；周六上午值班。", False),
    ("services", "停水通知", "因管网检修，{area}明日8:00-14:00停水，请提前储水。", False),
    ("health", "退休人员免费健康查体开始预约", "今年退休人员免费健康查体即日起开始预约，请携带身份证、医保卡。", True),
    ("health", "义诊活动通知", "市人民医院专家下周三上午来社区义诊，内容包括血压、血糖测量和健康咨询。", False),
    ("culture", "趣味运动会报名", "社区第五届趣味运动会开始报名，项目有拔河、跳绳、踢毽子等。", False),
    ("culture", "老年合唱团招募新成员", "老年合唱团每周二、四下午在曲艺室排练，欢迎爱好唱歌的居民加入。", False),
    ("civility", "文明家庭评选开始推荐", "2026年度文明家庭评选开始推荐，每户可投一票。", False),
    ("councils", "党居议事会会议公告", "本季度党居议事会将讨论小区停车位规划，欢迎居民提出意见建议。", False),
]

FACILITIES = [
    ("kindergarten", "新华区第一幼儿园", 6, "7:30-17:30"),
    ("school", "沧县实验学校", 8, ""),
    ("school", "沧州市第十四中学", 12, ""),
    ("supermarket", "华联超市（南环店）", 5, "8:00-21:30"),
    ("supermarket", "南环农贸市场", 7, "6:00-18:00"),
    ("clinic", "南环东路社区卫生服务站", 4, "8:00-17:30"),
    ("hospital", "新华区人民医院", 15, "24小时急诊"),
    ("pharmacy", "老百姓大药房", 5, "8:00-22:00"),
    ("bank", "中国农业银行沧州新华支行", 6, "9:00-17:00"),
]
SHARED_ROOMS = [
    ("图书室", "周二至周日 9:00-17:00"),
    ("阅览室", "周一至周五 14:00-18:00"),
    ("活动场地", "每天 6:00-20:00"),
]

KINDS = [ContactPerson.Kind.POLICE, ContactPerson.Kind.DEPUTY, ContactPerson.Kind.DEPUTY]


def seed_community(community, *, rng: random.Random, scale_index: int) -> None:
    if Notice.objects.filter(community=community).exists():
        return
    now = timezone.now()
    area = Area.objects.filter(community=community).order_by("pk").values_list("name", flat=True).first() or "小区"
    Notice.objects.bulk_create(
        [
            Notice(
                community=community,
                category=category,
                title=title,
                body=body.replace("{area}", area),
                pinned=pinned,
                publish_at=now - dt.timedelta(days=i * 3 + rng.randint(0, 2), hours=rng.randint(0, 8)),
            )
            for i, (category, title, body, pinned) in enumerate(NOTICES)
        ]
    )
    _contact_boards(community, rng)
    _facilities(community, rng)
    _appraisal(community, rng, now)


def _contact_boards(community, rng: random.Random) -> None:
    buildings = list(Building.objects.filter(community=community).order_by("pk"))
    workers = []
    per_worker = max(1, len(buildings) // 8)
    for start in range(0, len(buildings), per_worker):
        sex = rng.choice("MF")
        workers.append(
            (
                ContactPerson(
                    community=community,
                    kind=ContactPerson.Kind.WORKER,
                    name=person_name(rng, sex, rng.randint(1975, 1995)),
                    phone=mobile_number(rng),
                    order=len(workers),
                ),
                buildings[start : start + per_worker],
            )
        )
    others = [
        ContactPerson(
            community=community,
            kind=kind,
            name=person_name(rng, rng.choice("MF"), rng.randint(1965, 1990)),
            phone=f"0317-{rng.randint(2000000, 8999999)}",
            order=10 + i,
        )
        for i, kind in enumerate(KINDS)
    ]
    ContactPerson.objects.bulk_create([w for w, _ in workers] + others, batch_size=BATCH_SIZE)
    Through = ContactPerson.buildings.through
    Through.objects.bulk_create(
        [Through(contactperson_id=w.pk, building_id=b.pk) for w, bs in workers for b in bs], batch_size=BATCH_SIZE
    )


def _facilities(community, rng: random.Random) -> None:
    """Nearby facilities, the rooms stationed units open to residents, and the activity sites the units gave the
    community (the joint council's room pledges: in the demo, 3 sites of 840 m² in all, as in the source)."""
    units = list(StationedUnit.objects.filter(community=community).order_by("pk")[:3])
    rows = [
        Facility(
            community=community,
            kind=kind,
            name=name,
            walk_minutes=minutes,
            opening_hours=hours,
            phone=f"0317-{rng.randint(2000000, 8999999)}",
        )
        for kind, name, minutes, hours in FACILITIES
    ]
    rows += [
        Facility(
            community=community,
            kind=Facility.Kind.UNIT_ROOM,
            name=f"{unit.name}{room}",
            unit=unit,
            walk_minutes=rng.randint(3, 10),
            opening_hours=hours,
        )
        for unit, (room, hours) in zip(units, SHARED_ROOMS, strict=False)
    ]
    sites = ResourcePledge.objects.filter(
        council__community=community, kind=ResourcePledge.Kind.ROOM, unit__isnull=False
    )
    rows += [
        Facility(
            community=community,
            kind=Facility.Kind.UNIT_ROOM,
            name=f"{site.description} {site.pledged:.0f}平方米",
            unit_id=site.unit_id,
            walk_minutes=rng.randint(2, 8),
            opening_hours="8:00-21:00",
        )
        for site in sites.order_by("pk")
    ]
    Facility.objects.bulk_create(rows)


def _appraisal(community, rng: random.Random, now) -> None:
    appraisal = Appraisal.objects.create(
        community=community,
        kind=Appraisal.Kind.FAMILY,
        title="2026年度文明家庭评选",
        criteria="爱国守法、诚实守信；尊老爱幼、邻里和睦；热心公益、崇尚科学；勤俭持家、环境整洁。",
        nominate_until=now + dt.timedelta(days=7),
        vote_until=now + dt.timedelta(days=21),
        winners=5,
        status=Appraisal.Status.OPEN,
    )
    all_pks = list(Household.objects.filter(community=community).order_by("pk").values_list("pk", flat=True))
    if not all_pks:
        return
    picked = rng.sample(all_pks, min(8, len(all_pks)))
    households = list(Household.objects.filter(pk__in=picked).select_related("building").order_by("pk"))
    heads = {
        r.household_id: r.name
        for r in Resident.objects.filter(household__in=households, relation=Resident.Relation.HEAD)
    }
    reasons = ["孝敬老人三十年如一日", "热心楼院公益，常年义务打扫楼道", "邻里互助的好榜样", "家庭和睦，教子有方"]
    nominations = Nomination.objects.bulk_create(
        [
            Nomination(
                appraisal=appraisal,
                household=h,
                building=h.building,
                title=f"{h.building.name} {heads.get(h.pk, '')[:1]}家",
                reasons=rng.choice(reasons),
                status=Nomination.Status.ACCEPTED if i < 6 else Nomination.Status.PENDING,
            )
            for i, h in enumerate(households)
        ]
    )
    ballot = [n for n in nominations if n.status == Nomination.Status.ACCEPTED]
    voters = rng.sample([pk for pk in all_pks if pk not in set(picked)], min(300, max(len(all_pks) - 8, 0)))
    votes = [Vote(appraisal=appraisal, nomination=rng.choice(ballot), household_id=pk) for pk in voters]
    bulk_insert(votes, batch_size=BATCH_SIZE)
    for row in Vote.objects.filter(appraisal=appraisal).values("nomination").annotate(n=Count("pk")):
        Nomination.objects.filter(pk=row["nomination"]).update(votes=row["n"])


# The district's 1000-point rubric: (name, points, metric, target, rule, section); metric None = scored by hand.
# A criterion with a metric takes its section from the metric; the ones scored by hand say theirs.
P, T = Criterion.Rule.PROPORTIONAL, Criterion.Rule.THRESHOLD
RUBRIC = [
    # 队伍建设 (entered by hand): a reserve cadre leads the community (at least one); graduates and 4050 workers
    # against the district's targets (the source sets the policy, not the numbers).
    ("后备干部进社区任职", 30, Indicator.RESERVE_CADRES.value, 1, T, ""),
    ("选招大学生进社区", 30, Indicator.GRADUATES.value, 2, P, ""),
    ("4050人员充实社区岗位", 20, Indicator.WORKERS_4050.value, 3, P, ""),
    # 设施保障 (entered by hand): office space of 300 m² or more; the 15 items of 六室四站两栏一家一校一场.
    ("办公用房300平方米以上", 50, Indicator.OFFICE_AREA.value, 300, T, ""),
    ("六室四站两栏一家一校一场", 70, Indicator.FACILITIES.value, len(FacilityItem.choices), P, ""),
    ("三会按期召开", 80, "meetings_on_time", 1.0, P, ""),
    # 在职党员进社区报到 (共驻共建, 党员责任区): the metric is a percentage of the stationed members filed.
    ("在职党员报到并参与服务", 40, "stationed_members_reported_active", 80, P, ""),
    ("决议落实", 80, "resolutions_completed", 0.9, P, ""),
    ("居民建议及时答复", 60, "suggestions_answered", 0.9, P, ""),
    ("便民服务按时办结", 120, "case_on_time_rate", 0.95, P, ""),
    ("退休人员健康查体覆盖", 60, "retiree_checkup_coverage", 0.9, P, ""),
    ("志愿服务时长（每百名居民）", 60, "volunteer_hours_per_100_residents", 200, P, ""),
    ("联系标牌覆盖楼院", 40, "contact_board_coverage", 1.0, P, ""),
    ("信息公开（每月公告数）", 40, "notices_per_month", 4, P, ""),
    ("文明评选参与度", 40, "appraisal_turnout", 0.08, P, ""),
    # 物业管理 and 社会管理, from the records of property repairs and grid work.
    ("物业服务覆盖楼院", 20, "property_coverage", 1.0, P, ""),
    ("物业报修按承诺时限修复", 20, "repairs_within_promise", 0.9, P, ""),
    ("网格入户走访覆盖", 40, "grid_visit_coverage", 0.9, P, ""),
    ("平安建设", 30, None, None, P, Section.GOVERNANCE),
    ("环境卫生", 30, None, None, P, Section.PROPERTY),
    ("档案台账规范", 40, None, None, P, Section.GOVERNANCE),
]
MANUAL_REASONS = ["现场检查", "台账抽查", "居民满意度测评", "季度考评"]


def seed_district(communities, *, rng: random.Random) -> None:
    """After every app has seeded every community: the assessment rubric with a year of scores, and the search index."""
    _assessment(communities, rng)
    search_reindex()


# The source: "出台《新华区千分考核星级分类共建和谐社区实施方案》… 目前，全区29个社区有17个社区进入星级行列".
DISTRICT_COMMUNITIES = 29
STAR_RATED = 17
_STARRED_OTHERS = frozenset(random.Random("star-rated").sample(range(1, DISTRICT_COMMUNITIES), STAR_RATED - 1))


def star_rated(index: int) -> bool:
    """Whether the district's community number `index` (0 is 南环东路社区) earned at least one star last year: the
    demo community and 16 of the other 28 — 17 of the 29, as in the source; beyond 29, about the same share."""
    if index == 0:
        return True
    if index < DISTRICT_COMMUNITIES:
        return index in _STARRED_OTHERS
    return random.Random(f"star-rated:{index}").random() < STAR_RATED / DISTRICT_COMMUNITIES


def _assessment(communities, rng: random.Random) -> None:
    """Two years of the rubric with hand scores; last year frozen. Last year's hand scores (平安建设, 环境卫生, 档案台账)
    are drawn so that each community lands on its side of the one-star line as `star_rated` says: its computed
    points come from the data the apps seeded, the inspectors' points make up the rest."""
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        rubric, created = Rubric.objects.get_or_create(year=year, defaults={"title": f"{year}年度社区千分考核"})
        if created:
            Criterion.objects.bulk_create(
                Criterion(
                    rubric=rubric,
                    name=name,
                    points=points,
                    kind=Criterion.Kind.COMPUTED if metric else Criterion.Kind.MANUAL,
                    metric=metric or "",
                    target=target,
                    rule=rule,
                    section=section,
                    order=i,
                )
                for i, (name, points, metric, target, rule, section) in enumerate(RUBRIC)
            )
        manual = list(rubric.criteria.filter(kind=Criterion.Kind.MANUAL).order_by("order"))
        # The hand-entered indicators first: the computed total that places a community above or below the star
        # line counts them.
        _entries(rubric, communities, rng, complete=year < this_year)
        scored = set(ManualScore.objects.filter(criterion__in=manual).values_list("community_id", flat=True))
        todo = [(i, c) for i, c in enumerate(communities) if c.pk not in scored]
        frozen = year < this_year
        computed = assessment_scores(rubric=rubric, community_ids=[c.pk for _, c in todo]) if frozen and todo else {}
        rows = []
        for index, community in todo:
            if frozen:
                points = _hand_points(manual, computed[community.pk].total, rubric.star1, star_rated(index), rng)
            else:
                points = [round(c.points * rng.uniform(0.55, 1.0), 1) for c in manual]
            rows += [
                ManualScore(criterion=c, community=community, points=p, reason=rng.choice(MANUAL_REASONS))
                for c, p in zip(manual, points, strict=True)
            ]
        ManualScore.objects.bulk_create(rows)
        if frozen:
            taken = set(rubric.snapshots.values_list("community_id", flat=True))
            missing = [c.pk for c in communities if c.pk not in taken]
            if missing:
                assessment_snapshot_take(rubric=rubric, community_ids=missing, by=None)


def _hand_points(criteria, computed: float, one_star: int, starred: bool, rng: random.Random) -> list[float]:
    """Hand scores for `criteria` that put computed + hand points clearly above (or below) the one-star line."""
    room = sum(c.points for c in criteria)
    target = one_star + rng.uniform(15, 60) if starred else one_star - rng.uniform(20, 90)
    share = min(max((target - computed) / room, 0.0), 1.0)
    if share in (0.0, 1.0):  # the line is out of reach of the hand scores: as close as they get
        return [float(c.points) * share for c in criteria]
    return [round(min(c.points, c.points * share * rng.uniform(0.97, 1.03)), 1) for c in criteria]


# The hand-entered indicators (填报) of the demo community. The source gives the district's standard and how many
# communities meet it (全区有27个社区办公用房在300平方米以上, 达到了"六室四站两栏一家一校一场"的标准) and the
# community's 13 staff (工作人员13名), but neither its office area nor how many of the 13 are reserve cadres,
# graduates or 4050 workers: those figures are illustrations, and each entry's evidence says so.
DEMO_ENTRIES = {
    Indicator.RESERVE_CADRES: (
        1,
        "源文：实行后备干部进社区锻炼，任社区主要负责人。本社区工作人员13名，其中后备干部1名（人数为示例）。",
    ),
    Indicator.GRADUATES: (3, "源文：加大选招大学生进社区的力度。工作人员13名中大学生3名（人数为示例）。"),
    Indicator.WORKERS_4050: (4, "源文：开发社区就业岗位，吸引“4050”人员充实到社区公益事业。4名（人数为示例）。"),
    Indicator.OFFICE_AREA: (
        360,
        "源文：全区27个社区办公用房在300平方米以上；驻区单位另为社区解决活动场所用房3处共840平方米。"
        "本社区办公用房面积为示例。",
    ),
    Indicator.FACILITIES: (None, "源文：达到“六室四站两栏一家一校一场”的标准；四站即党员、便民、健康、文化服务站。"),
}
BELOW_STANDARD = 2  # of the district's 29 communities, the last two lack the office standard (27 meet it)


def _entries(rubric, communities, rng: random.Random, *, complete: bool) -> None:
    """Every community's hand-entered indicators for the rubric's year: the demo community's from DEMO_ENTRIES,
    the others' made up around the source's figures; in the running year some are still to be entered."""
    done = set(IndicatorEntry.objects.filter(rubric=rubric).values_list("community_id", "indicator"))
    rows = []
    below = {c.pk for c in communities[-BELOW_STANDARD:]} if len(communities) >= 29 else set()
    all_items = list(FacilityItem.values)
    for index, community in enumerate(communities):
        for indicator in Indicator:
            if (community.pk, indicator.value) in done:
                continue
            items: list[str] = []
            if index == 0:
                value, note = DEMO_ENTRIES[indicator]
                items = all_items if indicator == Indicator.FACILITIES else []
            else:
                if not complete and rng.random() < 0.15:
                    continue  # not entered yet this year
                note = rng.choice(ENTRY_NOTES)
                value = {
                    Indicator.RESERVE_CADRES: rng.choice((0, 1, 1, 1, 2)),
                    Indicator.GRADUATES: rng.randint(0, 4),
                    Indicator.WORKERS_4050: rng.randint(1, 6),
                    Indicator.OFFICE_AREA: rng.randint(180, 290) if community.pk in below else rng.randint(300, 650),
                }.get(indicator)
                if indicator == Indicator.FACILITIES:
                    items = rng.sample(all_items, rng.randint(9, 13)) if community.pk in below else all_items
            if indicator == Indicator.FACILITIES:
                value = len(items)
            rows.append(
                IndicatorEntry(
                    rubric=rubric,
                    community=community,
                    indicator=indicator.value,
                    value=Decimal(value),
                    items=sorted(items),
                    note=note,
                )
            )
    IndicatorEntry.objects.bulk_create(rows, batch_size=BATCH_SIZE)


ENTRY_NOTES = ["社区花名册", "房屋产权证明及现场核实", "街道组织办备案", "现场检查", "年度统计报表"]


def counts() -> dict[str, int]:
    return {
        "notices": Notice.objects.count(),
        "contact_people": ContactPerson.objects.count(),
        "facilities": Facility.objects.count(),
        "appraisals": Appraisal.objects.count(),
        "appraisal_votes": Vote.objects.count(),
        "search_entries": SearchEntry.objects.count(),
        "assessment_snapshots": AssessmentSnapshot.objects.count(),
        "assessment_entries": IndicatorEntry.objects.count(),
    }
