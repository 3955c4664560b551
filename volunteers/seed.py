"""Demo data of the volunteers app for seed_demo (see portal/seeding.py in main).

For each community: 8 teams; the 24 skilled volunteers of the coordination council (志愿者协调会) plus a corps
of about 3.5 % of the residents, grown over three years; a year of activities (and the coming month) with
checked-in, checked-out and confirmed hours, some across midnight (night patrols); people served drawn from
the register's tags with visit plans and visits; party members' duty posts and service tasks. Planned in
memory from `rng`, then bulk-inserted; idempotent (a community with volunteers is left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Count, Sum
from django.utils import timezone

from portal.core import roles
from portal.core.bulk import bulk_insert
from portal.core.capacity import SeatStatus
from portal.core.models import Community, User
from portal.core.seeding import Seeder, demo_phone
from residents.models import ELDERLY_AGE, Building, PartyGroup, PartyMember, Resident
from volunteers.models import (
    SKILL_CHOICES,
    Activity,
    DutyPost,
    PartyTask,
    PersonServed,
    SignUp,
    Team,
    VisitPlan,
    VisitRecord,
    Volunteer,
    hours_between,
    span,
)
from volunteers.stationed import seed as stationed_seed

BATCH_SIZE = 1000
COUNCIL_VOLUNTEERS = 24  # DOMAIN.md: the coordination council has 24 volunteers with a skill (一技之长)
CORPS_SHARE = 0.035
MONTHS = 12

# name, kind, the skill it wants, activities a month, (title, serves) templates, time slots
TEAMS = (
    ("环境卫生服务队", Team.Kind.ENVIRONMENT, "cleaning", 10,
     (("楼院环境清扫", "楼院公共区域"), ("垃圾分类宣传与指导", "各小区居民"), ("绿地补种与清理", "社区绿地"))),
    ("敬老助老服务队", Team.Kind.ELDERLY, "counselling", 10,
     (("走访慰问孤寡老人", "独居老人"), ("为老人代购送餐", "高龄独居老人"), ("陪老人聊天读报", "空巢老人"))),
    ("平安巡逻队", Team.Kind.PATROL, "patrol", 12,
     (("夜间治安巡逻", "各小区楼院"), ("消防安全检查", "楼道与车棚"), ("防诈骗宣传", "社区居民"))),
    ("义务理发队", Team.Kind.HAIRCUT, "haircut", 6,
     (("义务理发", "老年人与残疾人"), ("上门理发", "行动不便的老人"))),
    ("便民维修队", Team.Kind.REPAIR, "repair", 6,
     (("水电小修", "困难家庭"), ("家电义务维修", "社区居民"))),
    ("文体服务队", Team.Kind.CULTURE, "music", 6,
     (("广场文艺演出", "社区居民"), ("趣味运动会保障", "参赛居民"))),
    ("法律援助调解队", Team.Kind.LEGAL, "legal", 4,
     (("法律咨询", "社区居民"), ("邻里纠纷调解", "相关楼院"))),
    ("健康义诊队", Team.Kind.HEALTH, "medical", 4,
     (("义诊量血压", "老年人"), ("健康知识讲座", "社区居民"))),
)  # fmt: skip
SLOTS = {
    "day": ((dt.time(8, 30), dt.time(11, 30)), (dt.time(9, 0), dt.time(12, 0)), (dt.time(14, 30), dt.time(17, 30))),
    "patrol": ((dt.time(19, 0), dt.time(22, 0)), (dt.time(21, 0), dt.time(0, 30)), (dt.time(22, 0), dt.time(1, 0))),
}
SKILL_NOTES = {
    "haircut": ("退休理发师，理发三十年", "会剪老年人发型"),
    "repair": ("退休水暖工", "会修水管、换灯具"),
    "electrical": ("退休电工，持证上岗", "家电维修"),
    "medical": ("退休内科医生", "退休护士，会量血压测血糖"),
    "legal": ("执业律师", "退休法官，擅长调解"),
    "teaching": ("退休中学教师", "会辅导小学数学"),
    "computer": ("会教老人用智能手机", "网络工程师"),
    "cooking": ("退休厨师", "会做面食"),
    "music": ("二胡演奏", "合唱团指挥"),
    "calligraphy": ("书法协会会员", "国画爱好者"),
    "driving": ("有驾照、可接送老人",),
    "counselling": ("心理咨询师", "热心肠，善于沟通"),
    "patrol": ("退伍军人", "退休民警"),
    "cleaning": ("退休环卫工人", "园艺爱好者"),
}
SKILLS = [code for code, _ in SKILL_CHOICES]
DUTY_POSTS = (
    ("政策宣传岗", "宣传党的政策和社区通知"),
    ("矛盾调解岗", "调解邻里纠纷"),
    ("环境监督岗", "监督楼院环境卫生"),
    ("扶贫帮困岗", "联系帮扶困难家庭"),
    ("治安联防岗", "参与夜间巡逻与安全检查"),
    ("便民服务岗", "为居民代办事项"),
)
PARTY_TASKS = {
    PartyMember.Category.RETIRED: ("看望结对孤寡老人", "楼道文明劝导", "为老年人读报讲政策"),
    PartyMember.Category.LAID_OFF: ("再就业经验分享", "协助便民服务站代办", "楼院环境整治"),
    PartyMember.Category.VETERAN: ("夜间治安巡逻", "消防安全检查", "国防教育讲座"),
    PartyMember.Category.STUDENT: ("辅导社区孩子功课", "教老人使用智能手机", "社区网站信息更新"),
    PartyMember.Category.FLOATING: ("流动人口信息登记协助", "垃圾分类宣传"),
    PartyMember.Category.STATIONED: ("单位资源共驻共建对接", "义诊或专业咨询"),
}
VISIT_NOTES = (
    ("量血压，聊家常，老人精神不错", ""),
    ("打扫房间，帮助整理药品", "下次带降压药说明书"),
    ("代购米面油，检查燃气阀门", "厨房灯泡需更换"),
    ("陪同到社区卫生站复诊", "提醒按时服药"),
    ("帮助缴纳水电费，读报", ""),
    ("冬季取暖检查，送去棉被", "暖气片漏水需报修"),
)


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _approval_day(rng: random.Random, today: dt.date) -> dt.date:
    """Growth over three years, faster lately: more recent days are likelier."""
    days_ago = int(1095 * (rng.random() ** 1.6))
    return today - dt.timedelta(days=days_ago)


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """Build the community's volunteer corps, a year of activities and hours, people served and party duties."""
    if Volunteer.objects.filter(community=community).exists():
        return
    today = timezone.localdate()
    now = timezone.now()
    people = list(
        Resident.objects.filter(community=community, moved_out_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "birth_date", "is_retiree", "lives_alone", "is_disabled", "is_low_income", "user__phone")
    )
    if not people:
        return

    # --- teams and volunteers -------------------------------------------------------------------
    teams = Team.objects.bulk_create(
        [
            Team(community=community, name=name, kind=kind, description=f"{name}：{templates[0][0]}等")
            for name, kind, _skill, _per_month, templates in TEAMS
        ]
    )
    adults = [p for p in people if 18 <= _age(p[1], today) <= 78]
    weights = [3.0 if p[2] else 1.0 for p in adults]
    corps_size = min(len(adults), COUNCIL_VOLUNTEERS + round(len(people) * CORPS_SHARE))
    volunteer_phone = demo_phone(roles.VOLUNTEER)  # the demo account of the volunteer role
    chosen: dict[int, tuple] = {p[0]: p for p in adults if p[6] == volunteer_phone}  # the demo volunteer first
    while len(chosen) < corps_size:
        p = rng.choices(adults, weights=weights)[0]
        chosen.setdefault(p[0], p)
    picked = list(chosen.values())

    planned = []
    for i, p in enumerate(picked):
        council = i < COUNCIL_VOLUNTEERS
        team_index = i % len(TEAMS)
        skill = TEAMS[team_index][2] if rng.random() < 0.7 else rng.choice(SKILLS)
        skills = sorted({skill, *rng.sample(SKILLS, rng.randint(0, 2))})
        note = rng.choice(SKILL_NOTES.get(skill, ("",))) if council or rng.random() < 0.3 else ""
        status = Volunteer.Status.APPROVED
        roll = rng.random()
        if not council and i > 0 and roll < 0.02:
            status = Volunteer.Status.APPLIED
        elif not council and i > 0 and roll < 0.03:
            status = Volunteer.Status.REVOKED
        approved = _approval_day(rng, today) if status != Volunteer.Status.APPLIED else None
        if council and approved:
            approved = min(approved, today - dt.timedelta(days=400))  # the council has served for a while
        planned.append((p, team_index, skills, note, status, approved, council))
    planned.sort(key=lambda x: (x[5] or dt.date.max, x[0][0]))
    volunteers = []
    sequence = 0
    for p, team_index, skills, note, status, approved, council in planned:
        if approved:
            sequence += 1
        applied = timezone.make_aware(
            dt.datetime.combine((approved or today) - dt.timedelta(days=rng.randint(1, 10)), dt.time(10))
        )
        volunteers.append(
            Volunteer(
                community=community,
                resident_id=p[0],
                status=status,
                number=f"ZY{community.pk:03d}{sequence:05d}" if approved else "",
                team=teams[team_index],
                skills=skills,
                skill_note=note,
                availability=rng.sample(["weekday_morning", "weekday_afternoon", "weekday_evening", "weekend"], 2),
                is_council_member=council,
                applied_at=applied,
                decided_at=applied + dt.timedelta(days=3) if approved else None,
                approved_on=approved,
                decision_note="迁出社区" if status == Volunteer.Status.REVOKED else "",
            )
        )
    volunteers = bulk_insert(volunteers, batch_size=BATCH_SIZE)
    # Team leaders: council members, the demo volunteer leading the elderly-care team.
    council = [v for v in volunteers if v.is_council_member and v.status == Volunteer.Status.APPROVED]
    demo = next(
        (v for v in volunteers if v.resident_id in chosen and chosen[v.resident_id][6] == volunteer_phone), None
    )
    for team in teams:
        leader = demo if demo is not None and team.kind == Team.Kind.ELDERLY else None
        leader = leader or next((v for v in council if v.team_id == team.pk and v is not demo), None)
        if leader is not None:
            team.leader = leader
            leader.team = team
    Team.objects.bulk_update(teams, ["leader"])
    if demo is not None:
        Volunteer.objects.filter(pk=demo.pk).update(team=demo.team)
        _grant_volunteer_role(volunteer_phone)

    # --- activities and sign-ups ----------------------------------------------------------------
    place_names = list(Building.objects.filter(community=community).values_list("name", flat=True)[:60]) or ["社区广场"]
    active = [v for v in volunteers if v.status != Volunteer.Status.APPLIED]
    by_team: dict[int, list[Volunteer]] = {}
    for v in active:
        by_team.setdefault(v.team_id, []).append(v)
    activities: list[Activity] = []
    rosters: list[list[Volunteer]] = []
    first_month = (today.replace(day=1) - dt.timedelta(days=31 * MONTHS)).replace(day=1)
    for t, (_name, kind, skill, per_month, templates) in enumerate(TEAMS):
        team = teams[t]
        slots = SLOTS["patrol"] if kind == Team.Kind.PATROL else SLOTS["day"]
        month = first_month
        while month <= today + dt.timedelta(days=31):
            for _ in range(per_month):
                day = month + dt.timedelta(days=rng.randint(0, 27))
                if day > today + dt.timedelta(days=35):
                    continue
                start, end = rng.choice(slots)
                title, serves = rng.choice(templates)
                capacity = rng.randint(6, 14)
                pool = [
                    v
                    for v in by_team.get(team.pk, [])
                    if v.approved_on
                    and v.approved_on <= day
                    and (v.status == Volunteer.Status.APPROVED or day < today - dt.timedelta(days=60))
                ]
                roster = rng.sample(pool, min(len(pool), rng.randint(capacity // 2, capacity)))
                activities.append(
                    Activity(
                        community=community,
                        team=team,
                        title=title,
                        description=f"{team.name}组织{title}，欢迎志愿者报名参加。",
                        date=day,
                        start_time=start,
                        end_time=end,
                        place=rng.choice(place_names) if kind != Team.Kind.CULTURE else "社区文化广场",
                        skills_wanted=[skill],
                        serves=serves,
                        capacity=capacity,
                        seats_taken=len(roster),
                    )
                )
                rosters.append(roster)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    activities = bulk_insert(activities, batch_size=BATCH_SIZE)
    signups = []
    for activity, roster in zip(activities, rosters, strict=True):
        begins, ends = span(activity.date, activity.start_time, activity.end_time)
        done = ends < now
        for v in roster:
            if not done:
                signups.append(
                    SignUp(
                        activity=activity,
                        volunteer=v,
                        status=SeatStatus.ACTIVE,
                        created_at=begins - dt.timedelta(days=rng.randint(1, 6)),
                    )
                )
                continue
            checked_in = begins + dt.timedelta(minutes=rng.randint(-10, 15))
            checked_out = ends + dt.timedelta(minutes=rng.randint(-20, 25))
            signups.append(
                SignUp(
                    activity=activity,
                    volunteer=v,
                    status=SeatStatus.ACTIVE,
                    created_at=begins - dt.timedelta(days=rng.randint(1, 6)),
                    checked_in_at=checked_in,
                    checked_out_at=checked_out,
                    hours=hours_between(checked_in, checked_out),
                    hours_confirmed_at=ends + dt.timedelta(hours=rng.randint(1, 30))
                    if ends < now - dt.timedelta(days=2)
                    else None,
                )
            )
    bulk_insert(signups, batch_size=BATCH_SIZE)

    # --- people served: from the register's tags ------------------------------------------------
    served = []
    for pk, born, _retiree, alone, disabled, low_income, _phone in people:
        if alone and _age(born, today) >= ELDERLY_AGE:
            served.append(
                PersonServed(
                    community=community,
                    resident_id=pk,
                    kind=PersonServed.Kind.ELDERLY_ALONE,
                    since=today - dt.timedelta(days=rng.randint(30, 900)),
                )
            )
        if disabled:
            served.append(
                PersonServed(
                    community=community,
                    resident_id=pk,
                    kind=PersonServed.Kind.DISABLED,
                    since=today - dt.timedelta(days=rng.randint(30, 900)),
                )
            )
        if low_income:
            served.append(
                PersonServed(
                    community=community,
                    resident_id=pk,
                    kind=PersonServed.Kind.DIFFICULTY,
                    since=today - dt.timedelta(days=rng.randint(30, 900)),
                )
            )
    served = bulk_insert(served, batch_size=BATCH_SIZE)
    elderly_team = next(t for t in teams if t.kind == Team.Kind.ELDERLY)
    visitors_pool = by_team.get(elderly_team.pk, []) or active
    plans, records, visitor_links = [], [], []
    for person in served:
        every = rng.choice((7, 14, 30))
        plans.append(
            VisitPlan(
                person=person,
                team=elderly_team,
                volunteer=rng.choice(visitors_pool) if visitors_pool else None,
                every_days=every,
                next_visit_on=today + dt.timedelta(days=rng.randint(-3, every)),
                content="上门探望，了解需求",
            )
        )
        for _ in range(rng.randint(1, 5)):
            what, needs = rng.choice(VISIT_NOTES)
            records.append(
                VisitRecord(
                    person=person,
                    visited_on=today - dt.timedelta(days=rng.randint(1, 330)),
                    what_was_done=what,
                    needs_next=needs,
                    recorded_at=now,
                )
            )
    bulk_insert(plans, batch_size=BATCH_SIZE)
    records = bulk_insert(records, batch_size=BATCH_SIZE)
    through = VisitRecord.visitors.through
    for record in records:
        for v in rng.sample(visitors_pool, min(len(visitors_pool), rng.randint(1, 2))):
            visitor_links.append(through(visitrecord_id=record.pk, volunteer_id=v.pk))
    bulk_insert(visitor_links, batch_size=BATCH_SIZE)

    # --- party-member duties ----------------------------------------------------------------------
    _seed_party(community, rng=rng, today=today)


def _grant_volunteer_role(phone: str) -> None:
    user = User.objects.filter(phone=phone).first()
    group = Group.objects.filter(name=roles.VOLUNTEER).first()
    if user is not None and group is not None:
        user.groups.add(group)


def _seed_party(community: Community, *, rng: random.Random, today: dt.date) -> None:
    members = list(
        PartyMember.objects.filter(community=community)
        .order_by("pk")
        .values_list("pk", "category", "group_id", "management")
    )
    if not members:
        return
    by_group: dict[int, list[int]] = {}
    for pk, _category, group_id, _management in members:
        if group_id:
            by_group.setdefault(group_id, []).append(pk)
    posts, holders = [], []
    groups = list(PartyGroup.objects.filter(community=community).order_by("pk").prefetch_related("buildings"))
    for group in groups:
        building = next(iter(group.buildings.all()), None)
        posts.append(
            DutyPost(
                community=community,
                kind=DutyPost.Kind.AREA,
                title=f"{group.name}党员责任区",
                building=building,
                task="楼院环境、安全和邻里关系",
            )
        )
        holders.append(rng.sample(by_group.get(group.pk, []), min(3, len(by_group.get(group.pk, [])))))
    self_managed = [pk for pk, _c, _g, management in members if management == PartyMember.Management.SELF] or [
        m[0] for m in members
    ]
    for title, task in DUTY_POSTS:
        posts.append(DutyPost(community=community, kind=DutyPost.Kind.MODEL_POST, title=f"党员{title}", task=task))
        holders.append(rng.sample(self_managed, min(2, len(self_managed))))
    posts = DutyPost.objects.bulk_create(posts)
    through = DutyPost.holders.through
    through.objects.bulk_create(
        [
            through(dutypost_id=post.pk, partymember_id=pk)
            for post, pks in zip(posts, holders, strict=True)
            for pk in pks
        ],
        batch_size=BATCH_SIZE,
    )
    tasks = []
    for pk, category, _group, management in members:
        if management != PartyMember.Management.SELF and rng.random() > 0.05:
            continue  # stationed members serve through their units; a few take community tasks
        for _ in range(rng.randint(1, 4)):
            due = today + dt.timedelta(days=rng.randint(-330, 40))
            done = due <= today and rng.random() < 0.9
            tasks.append(
                PartyTask(
                    community=community,
                    title=rng.choice(PARTY_TASKS[category]),
                    category=category,
                    assignee_id=pk,
                    due_on=due,
                    completed_on=due - dt.timedelta(days=rng.randint(0, 5)) if done else None,
                    hours=Decimal(rng.choice((1, 2, 2, 3, 4))) if done else Decimal(0),
                )
            )
    PartyTask.objects.bulk_create(tasks, batch_size=BATCH_SIZE)


def counts() -> dict[str, int]:
    hours = SignUp.objects.confirmed().aggregate(h=Sum("hours"))["h"] or 0
    by_status = dict(Volunteer.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "volunteers_approved": by_status.get(Volunteer.Status.APPROVED, 0),
        "volunteers_council": Volunteer.objects.filter(is_council_member=True).count(),
        "volunteer_teams": Team.objects.count(),
        "volunteer_activities": Activity.objects.count(),
        "volunteer_signups": SignUp.objects.count(),
        "volunteer_hours_confirmed": int(hours),
        "people_served": PersonServed.objects.count(),
        "visit_records": VisitRecord.objects.count(),
        "duty_posts": DutyPost.objects.count(),
        "party_tasks": PartyTask.objects.count(),
    }


# 在职党员报到 and 微心愿 need the duty posts and party tasks above: seeded right after them.
MORE_SEEDERS = [Seeder.from_module("volunteers.stationed", stationed_seed)]
