"""Demo data of 在职党员报到 and 微心愿 (run right after the volunteers' seed: volunteers/seed.py MORE_SEEDERS).

For each community: last year about 55 % of the stationed party members reported in and this year so far about
62 % (a few waiting for the office, a few declined), each confirmed one placed in a courtyard party group, some
sharing their group's area of responsibility; about one small wish per 70 residents in every state, the fulfilled
ones with their service task (hours); last year's summaries for the units, most of them sent. Planned in memory
from `rng`, then bulk-inserted; idempotent (a community with report-ins is left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from portal.core.models import Community
from residents.models import PartyGroup, PartyMember, Resident
from volunteers.models import DutyPost, PartyTask, StationedReport, UnitSummary, Wish

BATCH_SIZE = 1000
SHARE_LAST_YEAR = 0.55
SHARE_THIS_YEAR = 0.62
RESIDENTS_PER_WISH = 70

# (title, what the office publishes, what the member did)
WISHES = (
    ("帮忙把过冬的煤搬上楼", "一位独居老人，冬天需要有人帮忙把煤搬上楼", "周末上门把两车煤搬上了楼"),
    ("给孙子买一个新书包", "一户困难家庭，孩子开学需要一个书包", "送去新书包和一套文具"),
    ("家里水龙头漏水想请人修", "一位高龄老人家中水龙头漏水", "更换了水龙头和阀门"),
    ("想学用手机和孩子视频", "一位空巢老人想学会用智能手机视频通话", "上门教了两次，老人已能自己视频"),
    ("陪老伴去医院复查", "一位老人需要有人陪同去医院复查", "陪同挂号、取药并送回家"),
    ("楼道灯坏了想换个灯泡", "一户老人家门口的楼道灯坏了", "换了节能灯泡"),
    ("孩子暑假想补补数学", "一户困难家庭的孩子暑假需要辅导数学", "每周辅导两次，共四周"),
    ("想要一台收音机听戏", "一位行动不便的老人想要一台收音机", "送去一台收音机并调好台"),
    ("帮忙清理阳台的杂物", "一位残疾居民需要帮忙清理阳台杂物", "清理杂物并送到回收点"),
    ("冬天想要一床厚棉被", "一位低收入老人冬天需要一床厚棉被", "送去一床新棉被"),
    ("轮椅坏了想修一修", "一位残疾居民的轮椅需要修理", "修好了刹车并给轮子打气"),
    ("想请人读读报纸", "一位视力不好的老人想有人读报聊天", "每周三下午上门读报"),
    ("帮忙买一副老花镜", "一位老人需要一副老花镜", "陪同验光并配好眼镜"),
    ("想给孙女过个生日", "一户困难家庭想给孩子过个简单的生日", "送去蛋糕，陪孩子过了生日"),
)
THANKS = (
    "谢谢党员同志！",
    "太感谢了，孩子很喜欢。",
    "麻烦你们了，真是帮了大忙。",
    "谢谢社区，谢谢好心人！",
    "感谢在职党员的帮助。",
)
# Of every 100 wishes: how many are in each state.
STATES = (
    (Wish.Status.SUBMITTED, 7),
    (Wish.Status.DECLINED, 3),
    (Wish.Status.PUBLISHED, 18),
    (Wish.Status.CLAIMED, 10),
    (Wish.Status.FULFILLED, 7),
    (Wish.Status.CONFIRMED, 15),
    (Wish.Status.THANKED, 40),
)
DONE = (Wish.Status.CONFIRMED, Wish.Status.THANKED)


def _moment(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    days = max((end - start).days, 0)
    day = start + dt.timedelta(days=rng.randint(0, days))
    naive = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    if StationedReport.objects.filter(community=community).exists():
        return
    members = list(
        PartyMember.objects.filter(community=community, category=PartyMember.Category.STATIONED)
        .order_by("pk")
        .values_list("pk", "unit_id", "name", "phone", "speciality")
    )
    groups = list(PartyGroup.objects.filter(community=community).order_by("pk").values_list("pk", "branch_id", "name"))
    if not members or not groups:
        return
    today = timezone.localdate()
    this_year, last_year = today.year, today.year - 1
    now = timezone.now()
    area_posts = {
        title: pk
        for pk, title in DutyPost.objects.filter(community=community, kind=DutyPost.Kind.AREA).values_list(
            "pk", "title"
        )
    }

    reports, placed, holders = [], {}, []
    for year, share, start, end in (
        (last_year, SHARE_LAST_YEAR, dt.date(last_year, 1, 5), dt.date(last_year, 12, 20)),
        (this_year, SHARE_THIS_YEAR, dt.date(this_year, 1, 5), today),
    ):
        for pk, unit_id, name, phone, speciality in members:
            draw = rng.random()
            if draw >= share + (0.05 if year == this_year else 0.01):
                continue
            if draw < share:
                status = StationedReport.Status.CONFIRMED
            elif year == this_year and draw < share + 0.04:
                status = StationedReport.Status.SUBMITTED
            else:
                status = StationedReport.Status.DECLINED
            group = placed.get(pk) or rng.choice(groups)
            reported_at = _moment(rng, start, end)
            confirmed = status == StationedReport.Status.CONFIRMED
            reports.append(
                StationedReport(
                    community=community,
                    year=year,
                    unit_id=unit_id,
                    member_id=pk if confirmed else None,
                    name=name,
                    phone=phone,
                    speciality=speciality,
                    channel=StationedReport.Channel.ONLINE if rng.random() < 0.7 else StationedReport.Channel.COUNTER,
                    status=status,
                    reported_at=reported_at,
                    group_id=group[0] if confirmed else None,
                    wished_group_id=group[0] if rng.random() < 0.3 else None,
                    decided_at=reported_at + dt.timedelta(days=rng.randint(0, 6))
                    if status != StationedReport.Status.SUBMITTED
                    else None,
                    decision_note="不是本单位在职党员" if status == StationedReport.Status.DECLINED else "",
                )
            )
            if confirmed:
                placed[pk] = group
    StationedReport.objects.bulk_create(reports, batch_size=BATCH_SIZE)

    # The confirmed members belong to the group they were placed in; about 30 % share its area of responsibility.
    updated = []
    for pk, group in placed.items():
        updated.append(PartyMember(pk=pk, group_id=group[0], branch_id=group[1]))
        post = area_posts.get(f"{group[2]}党员责任区")
        if post is not None and rng.random() < 0.3:
            holders.append(DutyPost.holders.through(dutypost_id=post, partymember_id=pk))
    PartyMember.objects.bulk_update(updated, ["group", "branch"], batch_size=BATCH_SIZE)
    DutyPost.holders.through.objects.bulk_create(holders, batch_size=BATCH_SIZE, ignore_conflicts=True)

    _seed_wishes(community, rng=rng, today=today, now=now, claimers=sorted(placed))
    _seed_summaries(community, year=last_year, rng=rng)


def _seed_wishes(community: Community, *, rng: random.Random, today: dt.date, now: dt.datetime, claimers) -> None:
    people = list(
        Resident.objects.filter(community=community, moved_out_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "household__building__name", "user_id")
    )
    if not people or not claimers:
        return
    # The demo resident (with an account) has wishes of their own, so that 我的微心愿 is not empty.
    with_account = [p for p in people if p[2]]
    total = max(len(people) // RESIDENTS_PER_WISH, 10)
    states = [state for state, weight in STATES for _ in range(weight)]
    start = today - dt.timedelta(days=300)
    wishes, tasks = [], []
    for i in range(total):
        resident = with_account[i % len(with_account)] if with_account and i < 3 else rng.choice(people)
        title, public, done = rng.choice(WISHES)
        status = (
            states[i % len(states)]
            if i >= 3
            else (Wish.Status.THANKED, Wish.Status.CONFIRMED, Wish.Status.PUBLISHED)[i]
        )
        posted = (
            _moment(rng, start, today - dt.timedelta(days=14))
            if status != Wish.Status.SUBMITTED
            else now - dt.timedelta(days=rng.randint(0, 5))
        )
        wish = Wish(
            community=community,
            resident_id=resident[0],
            title=title,
            details=f"{public}。",
            status=status,
            posted_at=posted,
        )
        if status != Wish.Status.SUBMITTED:
            wish.reviewed_at = posted + dt.timedelta(days=1)
        if status == Wish.Status.DECLINED:
            wish.decline_reason = "已转交便民服务站办理"
        elif status != Wish.Status.SUBMITTED:
            wish.public_details = f"{resident[1]}{public}"
        if status in (Wish.Status.CLAIMED, Wish.Status.FULFILLED, *DONE):
            wish.claimed_by_id = rng.choice(claimers)
            wish.claimed_at = posted + dt.timedelta(days=rng.randint(1, 5))
        if status in (Wish.Status.FULFILLED, *DONE):
            wish.fulfilled_at = min(wish.claimed_at + dt.timedelta(days=rng.randint(1, 7)), now)
            wish.fulfil_note = done
        if status in DONE:
            wish.confirmed_at = min(wish.fulfilled_at + dt.timedelta(days=1), now)
            day = timezone.localtime(wish.confirmed_at).date()
            tasks.append(
                (
                    len(wishes),
                    PartyTask(
                        community=community,
                        title=f"微心愿：{title}"[:100],
                        category=PartyMember.Category.STATIONED,
                        assignee_id=wish.claimed_by_id,
                        due_on=day,
                        completed_on=day,
                        hours=Decimal(rng.choice((1, 2, 2, 3, 4))),
                        note=done,
                    ),
                )
            )
        if status == Wish.Status.THANKED:
            wish.thanked_at = min(wish.confirmed_at + dt.timedelta(days=rng.randint(0, 3)), now)
            wish.thanks = rng.choice(THANKS)
        wishes.append(wish)
    created = PartyTask.objects.bulk_create([task for _, task in tasks], batch_size=BATCH_SIZE)
    for (index, _task), task in zip(tasks, created, strict=True):
        wishes[index].task_id = task.pk
    Wish.objects.bulk_create(wishes, batch_size=BATCH_SIZE)


def _seed_summaries(community: Community, *, year: int, rng: random.Random) -> None:
    units = list(community.stationed_units.order_by("pk").values_list("pk", flat=True))
    prepared = timezone.make_aware(dt.datetime(year, 12, 31, 18, 0), timezone.get_default_timezone())
    UnitSummary.objects.bulk_create(
        [
            UnitSummary(
                community=community,
                unit_id=pk,
                year=year,
                prepared_at=prepared,
                sent_at=prepared + dt.timedelta(days=rng.randint(3, 20)) if sent else None,
                sent_note="送交单位党组织" if sent else "",
            )
            for pk, sent in ((pk, rng.random() < 0.8) for pk in units)
        ]
    )


def counts() -> dict[str, int]:
    reports = dict(StationedReport.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "stationed_reports_confirmed": reports.get(StationedReport.Status.CONFIRMED, 0),
        "stationed_reports_waiting": reports.get(StationedReport.Status.SUBMITTED, 0),
        "wishes": Wish.objects.count(),
        "wishes_fulfilled": Wish.objects.filter(status__in=DONE).count(),
        "unit_summaries": UnitSummary.objects.count(),
    }
