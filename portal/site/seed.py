"""Demo site content for each community: notices, contact boards, nearby facilities (with the activity sites the
stationed units gave) and a civility appraisal; for the district, the 1000-point assessment, last year's frozen
with 17 of 29 communities star-rated as in the source (see portal.core.seeding)."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from councils.models import ResourcePledge
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
    Vote.objects.bulk_create(votes, batch_size=BATCH_SIZE)
    for row in Vote.objects.filter(appraisal=appraisal).values("nomination").annotate(n=Count("pk")):
        Nomination.objects.filter(pk=row["nomination"]).update(votes=row["n"])


# The district's 1000-point rubric: (name, points, metric, target); metric None = scored by hand.
RUBRIC = [
    ("三会按期召开", 150, "meetings_on_time", 1.0),
    ("决议落实", 100, "resolutions_completed", 0.9),
    ("居民建议及时答复", 80, "suggestions_answered", 0.9),
    ("便民服务按时办结", 150, "case_on_time_rate", 0.95),
    ("退休人员健康查体覆盖", 80, "retiree_checkup_coverage", 0.9),
    ("志愿服务时长（每百名居民）", 100, "volunteer_hours_per_100_residents", 200),
    ("联系标牌覆盖楼院", 40, "contact_board_coverage", 1.0),
    ("信息公开（每月公告数）", 40, "notices_per_month", 4),
    ("文明评选参与度", 40, "appraisal_turnout", 0.08),
    ("平安建设", 80, None, None),
    ("环境卫生", 80, None, None),
    ("档案台账规范", 60, None, None),
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
                    order=i,
                )
                for i, (name, points, metric, target) in enumerate(RUBRIC)
            )
        manual = list(rubric.criteria.filter(kind=Criterion.Kind.MANUAL).order_by("order"))
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


def counts() -> dict[str, int]:
    return {
        "notices": Notice.objects.count(),
        "contact_people": ContactPerson.objects.count(),
        "facilities": Facility.objects.count(),
        "appraisals": Appraisal.objects.count(),
        "appraisal_votes": Vote.objects.count(),
        "search_entries": SearchEntry.objects.count(),
        "assessment_snapshots": AssessmentSnapshot.objects.count(),
    }
