"""Demo data of the one-stop service hall (便民服务站): the catalogue, four counters with their hours, slots for two
weeks back and ahead, bookings on them, and a few hundred cases. Run for each community by services/seed.py."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from portal.core import roles
from portal.core.bulk import bulk_insert
from portal.core.models import User
from residents.models import Resident
from services.hall.actions import slots_generate
from services.hall.models import (
    CODE_ALPHABET,
    Booking,
    Case,
    CaseEvent,
    ClosedDay,
    Counter,
    Mediation,
    OpeningHours,
    ServiceCategory,
    ServiceItem,
    Slot,
    add_working_days,
)

BATCH_SIZE = 1000
ID = "居民身份证原件及复印件"
HUKOU = "户口簿原件及复印件"
PHOTO = "近期免冠一寸照片2张"

# slug, name, counter number
CATEGORIES = [
    ("employment", "就业与再就业", 1),
    ("allowance", "低保救助", 2),
    ("labour", "劳动保障", 1),
    ("family-planning", "计划生育", 3),
    ("household", "户籍及流动人口管理", 3),
    ("military", "兵役登记与优抚", 2),
    ("disability", "残疾人服务", 2),
    ("repairs", "水电气维修", 4),
    ("mediation", "矛盾调解与权益维护", 4),
    ("public-affairs", "公共事务", 4),
]

# category slug, name, keywords, documents, time limit (working days), needs appointment, online, case kind
ITEMS = [
    ("employment", "失业登记", "下岗 失业 再就业 登记", [ID, HUKOU, "与原单位解除劳动关系证明"], 5, True, True, "application"),
    ("employment", "就业创业证申领", "就业证 创业 再就业", [ID, PHOTO, "失业登记证明"], 5, True, True, "application"),
    ("employment", "再就业技能培训报名", "下岗 培训 技能 再就业", [ID, "就业创业证"], 3, False, True, "application"),
    ("allowance", "城市最低生活保障申请", "低保 救助 困难 申请", [ID, HUKOU, "家庭收入证明", "家庭财产申报表", "残疾证或病历（如有）"], 30, True, False, "application"),
    ("allowance", "低保年度复核", "低保 年审 复核", [ID, "低保证", "家庭收入证明"], 15, True, False, "application"),
    ("allowance", "临时救助申请", "临时 救助 困难 急难", [ID, HUKOU, "困难情况说明及相关证明"], 10, True, False, "application"),
    ("labour", "城乡居民养老保险参保登记", "养老 社保 参保 保险", [ID, HUKOU], 5, True, True, "application"),
    ("labour", "城镇居民医疗保险参保登记", "医保 医疗 参保 保险", [ID, HUKOU, PHOTO], 5, True, True, "application"),
    ("labour", "退休人员社会化管理登记", "退休 社保 认证", [ID, "退休证"], 5, True, False, "application"),
    ("family-planning", "生育登记服务", "生育 登记 计生 准生", [ID + "（夫妻双方）", "结婚证", HUKOU], 3, True, True, "application"),
    ("family-planning", "独生子女父母光荣证办理", "独生子女 光荣证 计生", [ID + "（夫妻双方）", "结婚证", "子女出生医学证明"], 10, True, False, "application"),
    ("family-planning", "计划生育家庭特别扶助申请", "计生 扶助 失独", [ID, HUKOU, "独生子女父母光荣证"], 20, True, False, "application"),
    ("household", "户籍证明开具", "户口 户籍 证明 户", [ID, HUKOU], 1, True, False, "application"),
    ("household", "居住证申领", "居住证 流动人口 暂住", [ID, PHOTO, "房屋租赁合同或房产证", "就业或就学证明"], 15, True, True, "application"),
    ("household", "流动人口信息登记", "流动人口 外来 租户 登记 户", [ID, "房屋租赁合同"], 1, False, True, "application"),
    ("military", "兵役登记", "兵役 征兵 当兵 登记", [ID, HUKOU, "学历证明"], 3, True, True, "application"),
    ("military", "退役军人优待证申领", "退役 老兵 优抚 荣军", [ID, "退役证件", PHOTO], 15, True, False, "application"),
    ("disability", "残疾人证申办", "残疾 残疾证 评定", [ID, HUKOU, "近期免冠二寸照片3张", "医院诊断证明"], 20, True, False, "application"),
    ("disability", "困难残疾人生活补贴和重度残疾人护理补贴申请", "残疾 两项补贴 护理 补贴", [ID, "残疾人证", "低保证（如有）", "银行卡"], 20, True, False, "application"),
    ("repairs", "自来水管道维修", "水 水管 漏水 维修 报修", ["报修地址及联系电话", "问题部位照片（如有）"], 1, False, True, "repair"),
    ("repairs", "电路维修", "电 停电 电路 维修 报修", ["报修地址及联系电话", "问题部位照片（如有）"], 1, False, True, "repair"),
    ("repairs", "燃气设施维修", "气 燃气 煤气 漏气 维修 报修", ["报修地址及联系电话"], 1, False, True, "repair"),
    ("mediation", "邻里矛盾纠纷调解", "邻里 纠纷 矛盾 调解 噪音 漏水", [ID, "纠纷情况说明及相关材料"], 15, False, True, "mediation"),
    ("mediation", "居民权益维护与投诉", "权益 投诉 维权 建议", [ID, "相关证明材料"], 10, False, True, "rights"),
    ("public-affairs", "居住证明开具", "居住 证明 住址", [ID, HUKOU], 1, True, False, "application"),
    ("public-affairs", "老年人优待证办理", "老年 优待证 老人 公交", [ID, PHOTO], 5, True, False, "application"),
]  # fmt: skip

# number, name, where, weekdays with hours
COUNTERS = [
    (1, "就业社保窗口", "一楼大厅东侧"),
    (2, "民政残联窗口", "一楼大厅中间"),
    (3, "户籍计生窗口", "一楼大厅西侧"),
    (4, "综合受理窗口", "一楼大厅入口"),
]
WEEKDAY_HOURS = [(dt.time(8, 30), dt.time(11, 30)), (dt.time(14, 0), dt.time(17, 30))]
SATURDAY_HOURS = (dt.time(9, 0), dt.time(11, 30))  # counter 4 only

# Public holidays the hall closes for (PRC calendar), with names.
HOLIDAYS = {
    dt.date(2026, 1, 1): "元旦",
    dt.date(2026, 2, 16): "春节",
    dt.date(2026, 2, 17): "春节",
    dt.date(2026, 2, 18): "春节",
    dt.date(2026, 4, 6): "清明节",
    dt.date(2026, 5, 1): "劳动节",
    dt.date(2026, 6, 19): "端午节",
    dt.date(2026, 9, 25): "中秋节",
    dt.date(2026, 10, 1): "国庆节",
    dt.date(2026, 10, 2): "国庆节",
    dt.date(2027, 1, 1): "元旦",
    dt.date(2027, 2, 5): "春节",
    dt.date(2027, 2, 8): "春节",
    dt.date(2027, 2, 9): "春节",
}

CASE_TEXTS = {
    "repair": [("厨房水管漏水", "厨房水池下方水管接口漏水，地面积水。"), ("楼道灯不亮", "单元楼道声控灯坏了，晚上上下楼很不方便。"),
               ("燃气灶打不着火", "燃气灶点火困难，闻到轻微气味，请尽快检查。"), ("卫生间下水堵塞", "卫生间地漏堵塞，返水。"),
               ("家中跳闸", "家里空调一开就跳闸。")],
    "mediation": [("楼上漏水纠纷", "楼上卫生间漏水到我家天花板，协商未果。"), ("噪音扰民", "邻居夜间装修噪音大，影响休息。"),
                  ("楼道堆物", "邻居在楼道堆放杂物，存在消防隐患。"), ("停车位争议", "小区车位被长期占用。")],
    "rights": [("物业收费问题", "对物业费收费标准有疑问，希望社区协调。"), ("供暖不热", "家中暖气温度不达标。"),
               ("环境卫生投诉", "垃圾分类点清运不及时，气味大。")],
}  # fmt: skip


def ensure_categories() -> dict[str, ServiceCategory]:
    existing = {c.slug: c for c in ServiceCategory.objects.all()}
    missing = [
        ServiceCategory(slug=slug, name=name, order=i)
        for i, (slug, name, _) in enumerate(CATEGORIES)
        if slug not in existing
    ]
    ServiceCategory.objects.bulk_create(missing, ignore_conflicts=True)
    return {c.slug: c for c in ServiceCategory.objects.all()}


def seed_catalogue(community) -> dict[int, Counter]:
    """Counters with opening hours and the catalogue of service items for `community` (when it has none)."""
    categories = ensure_categories()
    counters = {c.number: c for c in Counter.objects.filter(community=community)}
    if not counters:
        created = Counter.objects.bulk_create(
            Counter(community=community, number=n, name=name, location=where) for n, name, where in COUNTERS
        )
        counters = {c.number: c for c in created}
        hours = [
            OpeningHours(counter=counter, weekday=weekday, opens=opens, closes=closes)
            for counter in created
            for weekday in range(5)
            for opens, closes in WEEKDAY_HOURS
        ]
        hours.append(OpeningHours(counter=counters[4], weekday=5, opens=SATURDAY_HOURS[0], closes=SATURDAY_HOURS[1]))
        OpeningHours.objects.bulk_create(hours)
    if not ServiceItem.objects.filter(community=community).exists():
        counter_of = {slug: number for slug, _, number in CATEGORIES}
        ServiceItem.objects.bulk_create(
            ServiceItem(
                community=community,
                category=categories[slug],
                counter=counters[counter_of[slug]],
                name=name,
                keywords=keywords,
                documents=documents,
                time_limit_days=days,
                needs_appointment=appointment,
                online_application=online,
                case_kind=kind,
                order=i,
            )
            for i, (slug, name, keywords, documents, days, appointment, online, kind) in enumerate(ITEMS)
        )
    return counters


def _codes(rng: random.Random, scale_index: int):
    """Booking codes unique across communities: two characters for the community, four drawn."""
    n = len(CODE_ALPHABET)
    prefix = CODE_ALPHABET[(scale_index // n) % n] + CODE_ALPHABET[scale_index % n]
    seen: set[str] = set()
    while True:
        code = prefix + "".join(rng.choice(CODE_ALPHABET) for _ in range(4))
        if code not in seen:
            seen.add(code)
            yield code


def seed_hall(community, *, rng: random.Random, scale_index: int) -> None:
    """The hall of one community: catalogue, counters, slots ±14 days, bookings, a few hundred cases. Idempotent."""
    if Counter.objects.filter(community=community).exists():
        return
    counters = seed_catalogue(community)
    today = timezone.localdate()
    ClosedDay.objects.bulk_create(
        [
            ClosedDay(community=community, date=day, reason=name)
            for day, name in HOLIDAYS.items()
            if today - dt.timedelta(days=60) <= day <= today + dt.timedelta(days=120)
        ]
        + [ClosedDay(community=community, counter=counters[3], date=today + dt.timedelta(days=9), reason="业务培训")]
    )
    slots_generate(community=community, today=today - dt.timedelta(days=14), days_ahead=28)

    resident_ids = list(
        Resident.objects.filter(community=community, moved_out_on__isnull=True).values_list("pk", "user_id")
    )
    if not resident_ids:
        return
    staff = list(
        User.objects.filter(community=community, groups__name=roles.HALL_STAFF)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _seed_bookings(community, rng=rng, scale_index=scale_index, today=today, residents=resident_ids, staff=staff)
    _seed_cases(
        community, rng=rng, today=today, residents=resident_ids, staff=staff, n=300 if scale_index == 0 else 120
    )


def _seed_bookings(community, *, rng, scale_index, today, residents, staff) -> None:
    items_by_counter: dict[int, list[int]] = {}
    for pk, counter_id in ServiceItem.objects.filter(community=community, needs_appointment=True).values_list(
        "pk", "counter_id"
    ):
        items_by_counter.setdefault(counter_id, []).append(pk)
    slots = list(
        Slot.objects.filter(community=community).values_list("pk", "counter_id", "date", "starts_at", "capacity")
    )
    codes = _codes(rng, scale_index)
    now = timezone.now()
    bookings = []
    taken: dict[int, int] = {}
    used: set[tuple[int, int]] = set()
    for slot_pk, counter_id, day, starts_at, capacity in slots:
        if counter_id not in items_by_counter:
            continue
        fill = rng.choice((0, 0, 1, 1, 2, capacity)) if day >= today else rng.choice((0, 1, 2, 2, capacity))
        for _ in range(min(fill, capacity)):
            resident_pk, user_id = rng.choice(residents)
            if (slot_pk, resident_pk) in used:
                continue
            used.add((slot_pk, resident_pk))
            past = starts_at < now
            desk = Booking.Desk.BOOKED
            if past:
                desk = Booking.Desk.SERVED if rng.random() < 0.88 else Booking.Desk.NO_SHOW
            cancelled = rng.random() < 0.06
            by_staff = user_id is None or rng.random() < 0.1
            bookings.append(
                Booking(
                    community=community,
                    slot_id=slot_pk,
                    resident_id=resident_pk,
                    item_id=rng.choice(items_by_counter[counter_id]),
                    date=day,
                    code=next(codes),
                    status="cancelled" if cancelled else "active",
                    cancelled_at=starts_at - dt.timedelta(days=1) if cancelled else None,
                    desk=Booking.Desk.BOOKED if cancelled else desk,
                    booked_by_id=(rng.choice(staff) if staff else None) if by_staff else user_id,
                    created_at=starts_at - dt.timedelta(days=rng.randint(1, 6)),
                    finished_at=starts_at + dt.timedelta(minutes=20) if past and not cancelled else None,
                    checked_in_at=starts_at - dt.timedelta(minutes=5)
                    if desk == Booking.Desk.SERVED and not cancelled
                    else None,
                    reminded_at=starts_at - dt.timedelta(days=1) if past else None,
                )
            )
            if not cancelled:
                taken[slot_pk] = taken.get(slot_pk, 0) + 1
    bulk_insert(bookings, batch_size=BATCH_SIZE)
    Slot.objects.bulk_update(
        [Slot(pk=pk, seats_taken=n) for pk, n in taken.items()], ["seats_taken"], batch_size=BATCH_SIZE
    )


def _seed_cases(community, *, rng, today, residents, staff, n) -> None:
    items = list(
        ServiceItem.objects.filter(community=community).values_list(
            "pk", "name", "case_kind", "time_limit_days", "counter_id"
        )
    )
    closed = set(ClosedDay.objects.filter(community=community, counter__isnull=True).values_list("date", flat=True))
    tz = timezone.get_current_timezone()
    cases = []
    plans = []
    for _ in range(n):
        item_pk, item_name, kind, days, counter_id = rng.choice(items)
        resident_pk, user_id = rng.choice(residents)
        submitted_day = today - dt.timedelta(days=rng.randint(0, 90))
        submitted = dt.datetime.combine(submitted_day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)
        deadline = add_working_days(submitted_day, days, closed)
        age = (today - submitted_day).days
        if age > 30:
            status = rng.choices(["done", "rejected", "in_progress"], weights=[85, 10, 5])[0]
        elif age > 3:
            status = rng.choices(["done", "in_progress", "accepted", "rejected"], weights=[50, 25, 20, 5])[0]
        else:
            status = rng.choices(["submitted", "accepted"], weights=[70, 30])[0]
        title, description = rng.choice(CASE_TEXTS.get(kind, [(item_name, f"申请办理{item_name}。")]))
        closed_at = (
            submitted + dt.timedelta(days=rng.randint(1, max(2, days))) if status in ("done", "rejected") else None
        )
        assignee = rng.choice(staff) if staff and status != "submitted" else None
        cases.append(
            Case(
                community=community,
                resident_id=resident_pk,
                item_id=item_pk,
                counter_id=counter_id,
                kind=kind,
                title=title,
                description=description,
                status=status,
                rejection_reason="材料不全，请补齐后重新申请。" if status == "rejected" else "",
                assignee_id=assignee,
                filed_by_id=user_id or (rng.choice(staff) if staff else None),
                deadline=deadline,
                submitted_at=submitted,
                accepted_at=submitted + dt.timedelta(hours=rng.randint(1, 30)) if status != "submitted" else None,
                closed_at=closed_at,
                rating=rng.choice((3, 4, 5, 5, 5, None)) if status == "done" else None,
            )
        )
        plans.append((status, submitted, assignee))
    created = Case.objects.bulk_create(cases, batch_size=BATCH_SIZE)
    flows = {
        "submitted": [],
        "accepted": ["accepted"],
        "in_progress": ["accepted", "in_progress"],
        "done": ["accepted", "in_progress", "done"],
        "rejected": ["rejected"],
    }
    events = []
    mediations = []
    for case, (status, submitted, assignee) in zip(created, plans, strict=True):
        events.append(CaseEvent(case=case, actor_id=case.filed_by_id, kind=CaseEvent.Kind.FILED, at=submitted))
        previous = "submitted"
        at = submitted
        for step in flows[status]:
            at = at + dt.timedelta(hours=rng.randint(1, 40))
            events.append(
                CaseEvent(
                    case=case,
                    actor_id=assignee,
                    kind=CaseEvent.Kind.STATUS,
                    from_status=previous,
                    to_status=step,
                    at=case.closed_at if step in ("done", "rejected") and case.closed_at else at,
                    text=case.rejection_reason if step == "rejected" else "",
                )
            )
            previous = step
        if case.kind == Case.Kind.MEDIATION:
            mediations.append(
                Mediation(
                    case=case,
                    parties="\n".join(["申请人", "对方当事人"]),
                    dispute=case.description,
                    agreement="双方同意各自承担一半维修费用。" if status == "done" else "",
                    agreed_on=case.closed_at.date() if status == "done" and case.closed_at else None,
                    follow_up_due=(case.closed_at.date() + dt.timedelta(days=30))
                    if status == "done" and case.closed_at
                    else None,
                )
            )
    bulk_insert(events, batch_size=BATCH_SIZE)
    Mediation.objects.bulk_create(mediations, batch_size=BATCH_SIZE)


def counts() -> dict[str, int]:
    """Whole-database figures of the hall, for seed_demo's report."""
    totals = {
        "service_items": ServiceItem.objects.count(),
        "counters": Counter.objects.count(),
        "slots": Slot.objects.count(),
        "bookings": Booking.objects.count(),
        "cases": Case.objects.count(),
    }
    totals.update(
        {f"cases_{row['status']}": row["n"] for row in Case.objects.values("status").annotate(n=Count("pk")).order_by()}
    )
    return totals
