"""Demo data of the councils (called by portal.core.seeding): the three councils with the source's membership —
the 16 stationed units on the joint council, the deliberation council's representatives and how they were
chosen, the coordination council's committee members and 24 skilled volunteers — two years of meetings with
minutes and resolutions (heating fees 供暖费, sanitation fees 卫生费, parking 停车位 among them), the joint
council's resources (840 m² of rooms at 3 sites, ¥20,000 of supplies, ¥2.97 M from units and government
departments for 5 streets and 3 public toilets), and
residents' suggestions in every state.

Idempotent (nothing happens when the community has councils), reproducible (every choice from `rng`), and
bulk: a few dozen statements per community whatever its size.
"""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from councils.actions import COUNCIL_DEFAULTS
from councils.models import (
    AgendaItem,
    Attendance,
    Comment,
    CommentFollow,
    Council,
    CouncilMember,
    Meeting,
    Minutes,
    MinutesItem,
    Nomination,
    Project,
    Resolution,
    ResolutionProgress,
    ResourcePledge,
    Suggestion,
    SuggestionSupport,
    Survey,
)
from councils.seed_data import (
    COORDINATION_TOPICS,
    DELIBERATION_TOPICS,
    GIVEN,
    JOINT_TOPICS,
    SKILLS,
    SUGGESTIONS,
    SURNAMES,
)
from councils.seed_surveys import seed_surveys
from portal.core import roles
from portal.core.bulk import bulk_insert
from portal.core.models import Community
from portal.core.seeding import demo_password_hash, mobile_number
from portal.core.stations import Station
from residents.models import GeneralBranch, PartyMember, Resident, StationedUnit

BATCH_SIZE = 1000
YEARS = 2
VOLUNTEERS = 24
E, S, U = MinutesItem.Executor.COMMITTEE, MinutesItem.Executor.STATION, MinutesItem.Executor.UNIT
St = Station


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])


def _periods(council_months: int, today: dt.date, years: int) -> list[dt.date]:
    """Start days of the rhythm periods of the last `years` years, up to (not including) the current one."""
    months = council_months
    current = dt.date(today.year, ((today.month - 1) // months) * months + 1, 1)
    starts = []
    start = current
    for _ in range(years * 12 // months):
        month = start.month - months
        year = start.year
        if month < 1:
            month += 12
            year -= 1
        start = dt.date(year, month, 1)
        starts.append(start)
    return sorted(starts)


def _meeting_time(rng: random.Random, period_start: dt.date) -> dt.datetime:
    day = period_start + dt.timedelta(days=rng.randint(10, 40))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice((9, 14, 15)), 0)))


def _users_by_role(community: Community) -> dict[str, list]:
    user_model = apps.get_model("portal", "User")
    by_role: dict[str, list] = {}
    for user in (
        user_model.objects.filter(community=community, is_active=True).prefetch_related("groups").order_by("pk")
    ):
        for group in user.groups.all():
            by_role.setdefault(group.name, []).append(user)
    return by_role


def _resident_accounts(community: Community, rng: random.Random, scale_index: int, wanted: int) -> list:
    """Residents with portal accounts to propose suggestions: existing ones, plus new ones (1355…) as needed."""
    user_model = apps.get_model("portal", "User")
    group_model = apps.get_model("auth", "Group")
    existing = list(
        user_model.objects.filter(community=community, is_staff=False, resident__isnull=False).order_by("pk")[:wanted]
    )
    missing = wanted - len(existing)
    if missing <= 0:
        return existing
    residents = list(
        Resident.objects.filter(community=community, user__isnull=True, moved_out_on__isnull=True)
        .order_by("household_id", "pk")
        .only("pk", "name")[: missing * 7]
    )[::7]
    phones = [f"1355{scale_index % 1000:03d}{n:04d}" for n in range(1, len(residents) + 1)]
    taken = set(user_model.objects.filter(phone__in=phones).values_list("phone", flat=True))
    password = demo_password_hash()  # all demo accounts share a password
    planned = [(p, r) for p, r in zip(phones, residents, strict=True) if p not in taken]
    users = user_model.objects.bulk_create(
        [user_model(phone=p, name=r.name, community=community, password=password) for p, r in planned]
    )
    group = group_model.objects.get(name=roles.RESIDENT)
    user_model.groups.through.objects.bulk_create(
        [user_model.groups.through(user_id=u.pk, group_id=group.pk) for u in users]
    )
    for user, (_phone, resident) in zip(users, planned, strict=True):
        resident.user_id = user.pk
    Resident.objects.bulk_update([r for _p, r in planned], ["user"])
    return existing + users


def _council_volunteers(community: Community, rng: random.Random, fallback: list) -> list[tuple]:
    """(resident, skill) of the coordination council's 24 skilled volunteers: the volunteers app's council members
    when that app is installed and seeded, else retired residents with a skill drawn here."""
    try:
        volunteer_model = apps.get_model("volunteers", "Volunteer")
    except LookupError:
        volunteer_model = None
    if volunteer_model is not None and hasattr(volunteer_model, "is_council_member"):
        volunteers = list(
            volunteer_model.objects.filter(community=community, is_council_member=True)
            .select_related("resident")
            .order_by("pk")[:VOLUNTEERS]
        )
        if volunteers:
            with translation.override(settings.LANGUAGE_CODE):
                return [
                    (v.resident, "、".join(v.skill_labels())[:50] if hasattr(v, "skill_labels") else "")
                    for v in volunteers
                ]
    retirees = list(
        Resident.objects.filter(community=community, is_retiree=True, moved_out_on__isnull=True).order_by("pk")[:300]
    )
    retirees = retirees or fallback
    return list(zip(rng.sample(retirees, min(VOLUNTEERS, len(retirees))), SKILLS, strict=False))


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """The councils of one community with two years of their work; nothing if the community has councils."""
    if Council.objects.filter(community=community).exists():
        return
    today = timezone.localdate()
    by_role = _users_by_role(community)
    first = {role: users[0] for role, users in by_role.items() if users}
    councils = Council.objects.bulk_create(
        [
            Council(
                community=community,
                kind=kind,
                name=d["name"],
                purpose=d["purpose"],
                meetings_per_year=d["meetings_per_year"],
                convenor=first.get(d["convenor_role"]),
                secretary=first.get(roles.COUNCIL_SECRETARY),
                created_at=timezone.make_aware(
                    dt.datetime.combine(
                        _periods(12 // d["meetings_per_year"], today, YEARS)[0] - dt.timedelta(days=1), dt.time(9)
                    )
                ),
            )
            for kind, d in COUNCIL_DEFAULTS.items()
        ]
    )
    joint, deliberation, _coordination = councils
    term_start = dt.date(today.year - YEARS, 1, 1)
    term_end = dt.date(today.year + 1, 12, 31)
    units = list(StationedUnit.objects.filter(community=community).order_by("pk"))

    members = _seed_members(community, rng, councils, units, first, term_start, term_end)
    _seed_nominations(deliberation, members, rng, term_start)
    proposers = _resident_accounts(community, rng, scale_index, 20 if scale_index == 0 else 8)
    if not proposers:
        proposers = list(by_role.get(roles.RESIDENT, [])) or [u for users in by_role.values() for u in users][:1]
    if not proposers:
        return  # no accounts at all: councils and members only

    topic_of, resolutions = _seed_meetings(community, rng, today, councils, units, members, first)
    _seed_suggestions(community, rng, scale_index, today, proposers, deliberation, resolutions, topic_of)
    _seed_resources(joint, units, rng, today, demo=scale_index == 0)
    if scale_index == 0:
        seed_surveys(community, rng, deliberation, proposers, by_role.get(roles.COUNCIL_SECRETARY, [None])[0])


def _seed_members(community, rng, councils, units, first, term_start, term_end) -> list[CouncilMember]:
    """The seats: the units' delegates, the representatives with how they were chosen, committee and volunteers."""
    joint, deliberation, coordination = councils
    members: list[CouncilMember] = []
    delegates = {}
    for pm in PartyMember.objects.filter(community=community, unit__isnull=False).order_by("unit_id", "pk"):
        delegates.setdefault(pm.unit_id, pm)
    for unit in units:
        pm = delegates.get(unit.pk)
        members.append(CouncilMember(
            council=joint, role=CouncilMember.Role.UNIT_DELEGATE, unit=unit, party_member=pm,
            name=pm.name if pm else (unit.contact_name or _name(rng)), chosen_by=CouncilMember.Chosen.APPOINTED,
            term_start=term_start, term_end=term_end,
        ))  # fmt: skip
    general = GeneralBranch.objects.filter(community=community).prefetch_related("branches").first()
    phone_rng = random.Random(
        f"council-member-phones-{community.pk}"
    )  # its own draw: the other figures stay as they were
    branch_people = []
    if general is not None:
        branch_people = [general.secretary] + [b.secretary for b in general.branches.all()]
    branch_people = [p for p in branch_people if p] or [_name(rng) for _ in range(5)]
    branch_secretary = first.get(roles.BRANCH_SECRETARY)
    for i, person in enumerate(branch_people):
        members.append(CouncilMember(
            council=deliberation, role=CouncilMember.Role.BRANCH_MEMBER, name=person, phone=mobile_number(phone_rng),
            user=branch_secretary if i == 0 and branch_secretary and branch_secretary.name == person else None,
            chosen_by=CouncilMember.Chosen.EX_OFFICIO, term_start=term_start, term_end=term_end,
        ))  # fmt: skip
    self_managed = list(
        PartyMember.objects.filter(community=community, management="self", resident__isnull=False).order_by("pk")[:40]
    )
    party_reps = rng.sample(self_managed, min(8, len(self_managed)))
    candidates = list(Resident.objects.filter(community=community, moved_out_on__isnull=True).order_by("pk")[:400])
    resident_reps = rng.sample(candidates, min(10, len(candidates)))
    rep_members = []
    for pm in party_reps:
        rep_members.append(CouncilMember(
            council=deliberation, role=CouncilMember.Role.PARTY_REP, name=pm.name, party_member=pm,
            resident_id=pm.resident_id,
            chosen_by=rng.choice((CouncilMember.Chosen.ELECTION, CouncilMember.Chosen.PARTY_NOMINATION)),
            term_start=term_start, term_end=term_end,
        ))  # fmt: skip
    for resident in resident_reps:
        rep_members.append(CouncilMember(
            council=deliberation, role=CouncilMember.Role.RESIDENT_REP, name=resident.name, resident=resident,
            chosen_by=rng.choice((CouncilMember.Chosen.ELECTION, CouncilMember.Chosen.JOINT_NOMINATION)),
            term_start=term_start, term_end=term_end,
        ))  # fmt: skip
    members += rep_members
    director = first.get(roles.COMMITTEE_DIRECTOR)
    committee = [director.name if director else _name(rng)] + [_name(rng) for _ in range(4)]
    for i, person in enumerate(committee):
        members.append(CouncilMember(
            council=coordination, role=CouncilMember.Role.COMMITTEE, name=person, phone=mobile_number(phone_rng),
            user=director if i == 0 else None, chosen_by=CouncilMember.Chosen.EX_OFFICIO,
            term_start=term_start, term_end=term_end,
        ))  # fmt: skip
    for resident, skill in _council_volunteers(community, rng, candidates):
        members.append(CouncilMember(
            council=coordination, role=CouncilMember.Role.VOLUNTEER, name=resident.name, resident=resident,
            user_id=resident.user_id, skill=skill, chosen_by=CouncilMember.Chosen.RECRUITED,
            term_start=term_start, term_end=term_end,
        ))  # fmt: skip
    return CouncilMember.objects.bulk_create(members, batch_size=BATCH_SIZE)


def _seed_nominations(deliberation, members, rng, term_start) -> None:
    """Every representative's nomination, plus candidates who were not elected."""
    rep_members = [m for m in members if m.role in (CouncilMember.Role.PARTY_REP, CouncilMember.Role.RESIDENT_REP)]
    nominations = []
    for member in rep_members:
        co_signers = ""
        if member.chosen_by == CouncilMember.Chosen.JOINT_NOMINATION:
            co_signers = "\n".join(_name(rng) for _ in range(rng.randint(5, 9)))
        nominations.append(Nomination(
            council=deliberation, role=member.role, nominee=member.name, resident_id=member.resident_id,
            method=member.chosen_by, co_signers=co_signers, status=Nomination.Status.ELECTED, member=member,
            votes=rng.randint(60, 180) if member.chosen_by == CouncilMember.Chosen.ELECTION else None,
            nominated_on=term_start - dt.timedelta(days=20),
        ))  # fmt: skip
    for _ in range(3):
        nominations.append(Nomination(
            council=deliberation, role=CouncilMember.Role.RESIDENT_REP, nominee=_name(rng),
            method=CouncilMember.Chosen.ELECTION, status=Nomination.Status.NOT_ELECTED, votes=rng.randint(10, 50),
            nominated_on=term_start - dt.timedelta(days=20),
        ))  # fmt: skip
    Nomination.objects.bulk_create(nominations)


def _seed_meetings(community, rng, today, councils, units, members, first) -> tuple[dict, list]:
    """Two years of meetings with attendance, agenda, minutes and the resolutions with their progress."""
    joint, deliberation, coordination = councils
    members_of = {c.pk: [m for m in members if m.council_id == c.pk] for c in councils}

    def topic(t, station: str = "", unit_keyword: str = "", category: str = "") -> tuple:
        """(title, discussion, decision, executor, station, unit, category); a unit that is not there → committee."""
        executor, unit = t[3], None
        if executor == U:
            unit = next((u for u in units if unit_keyword and unit_keyword in u.name), None)
            if unit is None:
                executor = E
        return (t[0], t[1], t[2], executor, station if executor == S else "", unit, category)

    plans = []  # (council, starts_at, kind, [(title, discussion, decision, executor, station, unit, category)])
    delib_cycle = list(DELIBERATION_TOPICS)
    rng.shuffle(delib_cycle)
    # The source's three issues come first, in the earliest meetings.
    source_issues = [t for t in DELIBERATION_TOPICS if t[5] in ("fees", "parking")]
    delib_cycle = source_issues + [t for t in delib_cycle if t not in source_issues]
    d_index = 0
    for council in councils:
        for n, start in enumerate(_periods(council.period_months, today, YEARS)):
            starts_at = _meeting_time(rng, start)
            if starts_at.date() >= today:
                continue
            if council is deliberation:
                topics = []
                for _ in range(2):
                    t = delib_cycle[d_index % len(delib_cycle)]
                    d_index += 1
                    topics.append(topic(t, t[4], t[4], t[5]))
            elif council is joint:
                t = JOINT_TOPICS[n % len(JOINT_TOPICS)]
                topics = [topic(t, t[4], t[4])]
            else:
                picks = rng.sample(COORDINATION_TOPICS, 2)
                topics = [(t[0], t[1], t[2], E, "", None, "") for t in picks]
            plans.append((council, starts_at, Meeting.Kind.REGULAR, topics))
        if council is deliberation:  # an emergency meeting in the last winter: heating outage
            winter = dt.date(today.year - 1, 12, 1)
            emergency = (DELIBERATION_TOPICS[0][0] + "（紧急）", "热力管道故障，三栋楼停暖。",
                         "热力站48小时内抢修，社区为老人送取暖器。", U)  # fmt: skip
            starts_at = _meeting_time(rng, winter)
            if starts_at.date() < today:
                plans.append((council, starts_at, Meeting.Kind.EMERGENCY, [topic(emergency, "", "热力", "fees")]))
    plans.sort(key=lambda p: p[1])
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                council=council, kind=kind, starts_at=starts_at, place=community.address or f"{community.name}议事厅",
                title=f"{council.name}{starts_at:%Y年%m月}{'紧急会议' if kind == Meeting.Kind.EMERGENCY else '例会'}",
                status=Meeting.Status.HELD, notice_sent_at=starts_at - dt.timedelta(days=3),
                members_count=len(members_of[council.pk]), created_at=starts_at - dt.timedelta(days=20),
            )
            for council, starts_at, kind, _topics in plans
        ]
    )  # fmt: skip
    # One deliberation meeting missed its quorum (recorded, no resolutions), to show the rule.
    no_quorum = next((m for m in meetings[len(meetings) // 3 :] if m.council_id == deliberation.pk), None)
    attendance = []
    for meeting in meetings:
        people = members_of[meeting.council_id]
        share = rng.uniform(0.3, 0.45) if meeting is no_quorum else rng.uniform(0.6, 0.95)
        present = set(rng.sample(range(len(people)), max(1, int(len(people) * share)))) if people else set()
        attendance += [Attendance(meeting=meeting, member=m, present=i in present) for i, m in enumerate(people)]
    bulk_insert(attendance, batch_size=BATCH_SIZE)
    present_count = dict(
        Attendance.objects.filter(meeting__in=meetings, present=True)
        .values_list("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )

    agenda = []
    for meeting, (_council, _s, _k, topics) in zip(meetings, plans, strict=True):
        agenda += [AgendaItem(meeting=meeting, order=i + 1, title=t[0], description=t[1]) for i, t in enumerate(topics)]
    agenda = AgendaItem.objects.bulk_create(agenda, batch_size=BATCH_SIZE)
    topic_of = {}
    k = 0
    for meeting, (_council, _s, _k, topics) in zip(meetings, plans, strict=True):
        for t in topics:
            topic_of[agenda[k].pk] = (meeting, t)
            k += 1

    # The newest deliberation minutes wait for the convenor, the newest coordination minutes are a draft.
    last_of = {}
    for meeting in meetings:
        last_of[meeting.council_id] = meeting
    status_of = {
        last_of.get(deliberation.pk): Minutes.Status.SUBMITTED,
        last_of.get(coordination.pk): Minutes.Status.DRAFT,
    }
    secretary = first.get(roles.COUNCIL_SECRETARY)
    minutes_list = []
    for meeting in meetings:
        status = status_of.get(meeting, Minutes.Status.PUBLISHED)
        locked = status == Minutes.Status.PUBLISHED
        convenor = next(c for c in councils if c.pk == meeting.council_id).convenor
        minutes_list.append(Minutes(
            meeting=meeting, status=status, summary=f"会议由{convenor.name if convenor else '召集人'}主持，应到{meeting.members_count}人，实到{present_count.get(meeting.pk, 0)}人。",
            recorded_by=secretary, saved_at=meeting.starts_at + dt.timedelta(days=1),
            submitted_at=meeting.starts_at + dt.timedelta(days=2) if status != Minutes.Status.DRAFT else None,
            approved_by=convenor if locked else None, approved_at=meeting.starts_at + dt.timedelta(days=4) if locked else None,
            published_at=meeting.starts_at + dt.timedelta(days=5) if locked else None,
        ))  # fmt: skip
    minutes_list = bulk_create_with_history(minutes_list, Minutes, batch_size=BATCH_SIZE)
    minutes_of = {m.meeting_id: m for m in Minutes.objects.filter(meeting__in=meetings)}

    items = []
    for a in agenda:
        meeting, t = topic_of[a.pk]
        present = present_count.get(meeting.pk, 0)
        quorum = (
            meeting.members_count * next(c for c in councils if c.pk == meeting.council_id).quorum_percent // 100 + 1
        )
        binding = meeting.council_id != coordination.pk and present >= quorum
        against = rng.randint(0, max(present // 6, 0))
        abstain = rng.randint(0, max(present // 8, 0))
        items.append(MinutesItem(
            minutes=minutes_of[meeting.pk], agenda_item=a, discussion=t[1], decision=t[2] if present >= quorum else f"未达到法定人数，{t[0]}留待下次会议表决。",
            votes_for=max(present - against - abstain, 0) if binding else 0, votes_against=against if binding else 0,
            votes_abstain=abstain if binding else 0, adopt_resolution=binding,
            executor=t[3] if binding else "", executor_station=t[4] if binding else "",
            executor_unit=t[5] if binding else None,
            deadline=(meeting.starts_at + dt.timedelta(days=rng.choice((30, 45, 60, 90)))).date() if binding else None,
        ))  # fmt: skip
    items = bulk_create_with_history(items, MinutesItem, batch_size=BATCH_SIZE)
    items = list(MinutesItem.objects.filter(minutes__in=minutes_list).select_related("agenda_item__meeting", "minutes"))
    items.sort(key=lambda i: (i.agenda_item.meeting.starts_at, i.agenda_item.order))

    resolutions = []
    seq_by_year: dict[int, int] = {}
    binding = [i for i in items if i.adopt_resolution and i.minutes.status == Minutes.Status.PUBLISHED]
    # The newest few are still being carried out (one of them overdue, for the beat reminder); the rest are done.
    recent = {
        item.pk: (status, days)
        for item, (status, days) in zip(
            reversed(binding),
            [(Resolution.Status.OPEN, 45), (Resolution.Status.IN_PROGRESS, 20), (Resolution.Status.IN_PROGRESS, -10),
             (Resolution.Status.OPEN, 30), (Resolution.Status.IN_PROGRESS, 60)],
            strict=False,
        )
    }  # fmt: skip
    for item in binding:
        meeting = item.agenda_item.meeting
        year = timezone.localtime(meeting.starts_at).year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        status, days = recent.get(item.pk, (Resolution.Status.DONE, None))
        if days is not None:
            item.deadline = today + dt.timedelta(days=days)
        resolutions.append(Resolution(
            community=community, council_id=meeting.council_id, minutes_item=item, year=year, seq=seq_by_year[year],
            title=item.agenda_item.title, text=item.decision, executor=item.executor,
            executor_station=item.executor_station, executor_unit_id=item.executor_unit_id, deadline=item.deadline,
            status=status, done_at=timezone.make_aware(dt.datetime.combine(item.deadline - dt.timedelta(days=3), dt.time(16))) if status == Resolution.Status.DONE else None,
            created_at=meeting.starts_at + dt.timedelta(days=4),
        ))  # fmt: skip
    resolutions = bulk_create_with_history(resolutions, Resolution, batch_size=BATCH_SIZE)
    resolutions = list(Resolution.objects.filter(community=community).select_related("minutes_item__agenda_item"))
    progress = []
    for r in resolutions:
        start = r.created_at
        if r.status != Resolution.Status.OPEN:
            progress.append(ResolutionProgress(resolution=r, text=f"已部署落实：{r.title}，明确责任人和时间表。", created_at=start + dt.timedelta(days=7)))  # fmt: skip
        if r.status == Resolution.Status.DONE:
            progress.append(ResolutionProgress(resolution=r, text=f"{r.title}已落实完毕，情况已在公开栏公示。", completes=True, created_at=r.done_at))  # fmt: skip
    ResolutionProgress.objects.bulk_create(progress, batch_size=BATCH_SIZE)

    return topic_of, resolutions


def _seed_suggestions(community, rng, scale_index, today, proposers, deliberation, resolutions, topic_of) -> None:
    """Suggestions in every state, some of them the start of a closed loop, and the coming meeting's agenda."""
    suggestions = []
    number = 0

    def suggestion(template, status, created, **extra):
        nonlocal number
        number += 1
        category, title, text, location = template
        return Suggestion(
            community=community,
            tracking_number=f"JY{created:%Y%m%d}{scale_index:03d}{number:03d}",
            proposer=rng.choice(proposers),
            category=category,
            title=title,
            text=text,
            location=location,
            status=status,
            created_at=created,
            **extra,
        )

    # Suggestions that started the agenda items with a category: the loop closed.
    by_category = {}
    for t in SUGGESTIONS:
        by_category.setdefault(t[0], []).append(t)
    loop = []
    for r in resolutions:
        item = r.minutes_item
        meeting, t = topic_of[item.agenda_item_id]
        if (
            meeting.council_id != deliberation.pk
            or not t[6]
            or (r.status == Resolution.Status.DONE and rng.random() < 0.3)
        ):
            continue
        template = rng.choice(by_category.get(t[6], SUGGESTIONS))
        closed = r.status == Resolution.Status.DONE and rng.random() < 0.7
        status = Suggestion.Status.CLOSED if closed else {
            Resolution.Status.DONE: Suggestion.Status.DONE, Resolution.Status.IN_PROGRESS: Suggestion.Status.IN_PROGRESS,
        }.get(r.status, Suggestion.Status.DECIDED)  # fmt: skip
        created = meeting.starts_at - dt.timedelta(days=rng.randint(15, 40))
        s = suggestion(
            template, status, created, resolution=r, reply="已提交党居议事会审议。", replied_at=created + dt.timedelta(days=2),
            closed_at=r.done_at + dt.timedelta(days=5) if closed else None,
            rating=rng.choice((3, 4, 4, 5, 5, 5)) if closed else None,
        )  # fmt: skip
        suggestions.append(s)
        loop.append((s, item.agenda_item_id))
    # Every state of the loop shows at least once, whichever council the newest resolutions came from.
    follows = {
        Resolution.Status.OPEN: Suggestion.Status.DECIDED,
        Resolution.Status.IN_PROGRESS: Suggestion.Status.IN_PROGRESS,
        Resolution.Status.DONE: Suggestion.Status.DONE,
    }
    for r_status, s_status in follows.items():
        if any(s.status == s_status for s in suggestions):
            continue
        r = next(
            (
                r
                for r in reversed(resolutions)
                if r.status == r_status and r.pk not in {x.resolution_id for x in suggestions}
            ),
            None,
        )
        if r is None:
            continue
        meeting, t = topic_of[r.minutes_item.agenda_item_id]
        created = meeting.starts_at - dt.timedelta(days=rng.randint(15, 40))
        s = suggestion(rng.choice(by_category.get(t[6], SUGGESTIONS)), s_status, created, resolution=r,
                       reply="已提交议事会审议。", replied_at=created + dt.timedelta(days=2))  # fmt: skip
        suggestions.append(s)
        loop.append((s, r.minutes_item.agenda_item_id))
    now = timezone.now()
    free_states = [
        (Suggestion.Status.SUBMITTED, 4), (Suggestion.Status.ACCEPTED, 4), (Suggestion.Status.DECLINED, 2),
        (Suggestion.Status.CLOSED, 2),
    ]  # fmt: skip
    for status, count in free_states:
        for _ in range(count if scale_index == 0 else max(count // 2, 1)):
            created = now - dt.timedelta(
                days=rng.randint(1, 20) if status == Suggestion.Status.SUBMITTED else rng.randint(20, 300)
            )
            replied = status != Suggestion.Status.SUBMITTED
            suggestions.append(suggestion(
                rng.choice(SUGGESTIONS), status, created,
                reply={Suggestion.Status.DECLINED: "经核实，该事项属于物业公司职责，已转物业公司处理。",
                       Suggestion.Status.CLOSED: "已协调有关单位解决。"}.get(status, "已受理，将研究提交议事会。") if replied else "",
                replied_at=created + dt.timedelta(days=3) if replied else None,
                closed_at=created + dt.timedelta(days=30) if status == Suggestion.Status.CLOSED else None,
                rating=rng.choice((2, 4, 5)) if status == Suggestion.Status.CLOSED else None,
            ))  # fmt: skip
    upcoming_topics = [rng.choice(SUGGESTIONS) for _ in range(2)]
    for template in upcoming_topics:  # on the agenda of the coming meeting
        suggestions.append(suggestion(template, Suggestion.Status.ON_AGENDA, now - dt.timedelta(days=rng.randint(10, 30)),
                                      reply="已列入下次党居议事会议程。", replied_at=now - dt.timedelta(days=5)))  # fmt: skip
    suggestions = Suggestion.objects.bulk_create(suggestions, batch_size=BATCH_SIZE)
    # A duplicate merged into an accepted one.
    accepted = [s for s in suggestions if s.status == Suggestion.Status.ACCEPTED]
    if accepted:
        target = accepted[0]
        Suggestion.objects.create(
            community=community, tracking_number=f"JY{now:%Y%m%d}{scale_index:03d}{number + 1:03d}",
            proposer=rng.choice(proposers), category=target.category, title=target.title, text=target.text,
            status=Suggestion.Status.MERGED, merged_into=target, created_at=target.created_at + dt.timedelta(days=2),
        )  # fmt: skip
    AgendaItem.objects.bulk_update(
        [AgendaItem(pk=agenda_id, suggestion=s) for s, agenda_id in loop], ["suggestion"], batch_size=BATCH_SIZE
    )
    supports = []
    for s in suggestions:
        if s.status == Suggestion.Status.SUBMITTED:
            continue
        for user in rng.sample(proposers, min(len(proposers), rng.randint(0, 6))):
            if user.pk != s.proposer_id:
                supports.append(
                    SuggestionSupport(suggestion=s, user=user, created_at=s.created_at + dt.timedelta(days=1))
                )
    SuggestionSupport.objects.bulk_create(supports, batch_size=BATCH_SIZE, ignore_conflicts=True)
    counts = dict(
        SuggestionSupport.objects.filter(suggestion__community=community)
        .values_list("suggestion_id")
        .annotate(n=Count("pk"))
        .values_list("suggestion_id", "n")
    )
    for s in suggestions:
        s.supporters_count = counts.get(s.pk, 0)
    Suggestion.objects.bulk_update(suggestions, ["supporters_count"], batch_size=BATCH_SIZE)
    _seed_comments(community, rng, suggestions, proposers)

    # The coming deliberation meeting, scheduled, with the two suggestions on its agenda.
    coming_at = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=rng.randint(7, 20)), dt.time(15)))
    coming = Meeting.objects.create(
        council=deliberation, kind=Meeting.Kind.REGULAR, title=f"{deliberation.name}{coming_at:%Y年%m月}例会",
        starts_at=coming_at, place=community.address or f"{community.name}议事厅", status=Meeting.Status.SCHEDULED,
    )  # fmt: skip
    on_agenda = [s for s in suggestions if s.status == Suggestion.Status.ON_AGENDA]
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=coming, order=i + 1, title=s.title, description=s.text, suggestion=s)
            for i, s in enumerate(on_agenda)
        ]
    )


# The source: "驻区单位为社区解决活动场所用房3处共840平方米，提供办公用品及经费折款2万元 … 通过发挥驻区单位作用、
# 争取政府部门帮助等渠道，共筹集资金297万元，修筑了沧县看守所路、红阳南路等街巷5条，翻修、改造居民区公厕3座". It names two
# of the five streets; the project says so in its words rather than invent the other three names. It names neither
# the units that gave the rooms nor the departments: those below are plausible, not the source's.
SITES = 3
ROOMS_M2, SUPPLIES_YUAN, FUNDS_YUAN = 840, 20000, 2970000
STREETS = "修筑沧县看守所路、红阳南路等街巷5条"
TOILETS = "翻修、改造居民区公厕3座"
SITE_ROOMS = ("党员活动室、书画室", "棋牌室、曲艺室", "健身活动场地")
GOVERNMENT = ("新华区人民政府", "新华区住房和城乡建设局", "新华区城市管理综合行政执法局")


def _seed_resources(joint: Council, units: list, rng: random.Random, today: dt.date, *, demo: bool) -> None:
    """Rooms at 3 sites (840 m² in the demo), supplies (¥20,000) and funds (¥2.97 M from stationed units and
    government departments for 5 streets and 3 public toilets)."""
    if not units:
        return
    years = [today.year - 1, today.year]
    streets = Project.objects.create(
        council=joint, title=STREETS, year=years[0], description="驻区单位与政府部门共同筹集资金"
    )
    toilets = Project.objects.create(
        council=joint, title=TOILETS, year=years[1], description="驻区单位与政府部门共同筹集资金"
    )
    room_total, supplies_total, funds_total = (ROOMS_M2, SUPPLIES_YUAN, FUNDS_YUAN) if demo else (rng.randint(200, 600), rng.randint(5000, 15000), rng.randint(200000, 900000))  # fmt: skip
    pledges = []
    room_units = rng.sample(units, min(SITES, len(units)))
    for unit, share, rooms in zip(room_units, _split(room_total, len(room_units), rng), SITE_ROOMS, strict=False):
        pledges.append(ResourcePledge(council=joint, unit=unit, kind="room", description=f"活动场所用房（{rooms}）", year=years[0], pledged=share, delivered=share))  # fmt: skip
    supply_units = rng.sample(units, min(8, len(units)))
    for unit, share in zip(supply_units, _split(supplies_total, len(supply_units), rng), strict=True):
        pledges.append(ResourcePledge(council=joint, unit=unit, kind="supplies", description="慰问物资、办公用品", year=rng.choice(years), pledged=share, delivered=share))  # fmt: skip
    # The funds: about two thirds from the units, the rest from government departments.
    fund_units = rng.sample(units, min(10, len(units)))
    from_units = round(funds_total * rng.uniform(0.6, 0.7))
    givers = [("unit", u) for u in fund_units] + [("government", g) for g in GOVERNMENT]
    shares = _split(from_units, len(fund_units), rng) + _split(funds_total - from_units, len(GOVERNMENT), rng)
    for i, ((source, giver), share) in enumerate(zip(givers, shares, strict=True)):
        project = streets if i % 2 == 0 else toilets
        pledges.append(ResourcePledge(
            council=joint, unit=giver if source == "unit" else None, donor=giver if source == "government" else "",
            project=project, kind="funds", description=f"{project.title}筹集资金", year=project.year, pledged=share,
            delivered=share,  # raised and spent: the streets are built and the toilets renovated
        ))  # fmt: skip
    ResourcePledge.objects.bulk_create(pledges)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` in `parts` uneven whole shares that add up exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares


COMMENTS = (
    "同意，这件事确实需要尽快解决。",
    "我家也遇到同样的问题，支持！",
    "建议先征求一下楼里老人的意见。",
    "能不能请物业一起来开会商量？",
    "上次议事会说过这件事，进展怎么样了？",
)
REPLIES = ("谢谢大家支持，我会继续跟进。", "好主意，我跟楼长说一下。", "居委会已经在协调了。")


def _seed_comments(community, rng, suggestions, proposers) -> None:
    """Residents' comments on some public suggestions, a reply of the proposer under some, one comment hidden by
    staff with its reason; the writers follow their discussions."""
    public = [s for s in suggestions if s.is_public and s.status != Suggestion.Status.MERGED]
    chosen = rng.sample(public, min(len(public), 6))
    tops = []
    for s in chosen:
        for writer in rng.sample(proposers, min(len(proposers), rng.randint(1, 3))):
            tops.append(Comment(
                community=community, suggestion=s, author=writer, text=rng.choice(COMMENTS),
                created_at=s.created_at + dt.timedelta(days=rng.randint(1, 5), minutes=rng.randint(0, 600)),
            ))  # fmt: skip
    if tops:
        hidden = tops[-1]
        hidden.text = "低价装修，联系电话见小区门口广告。"
        hidden.hidden_at = hidden.created_at + dt.timedelta(hours=3)
        hidden.hidden_reason = "含有广告内容"
    tops = Comment.objects.bulk_create(tops, batch_size=BATCH_SIZE)
    by_pk = {s.pk: s for s in chosen}
    replies = [
        Comment(
            community=community, suggestion_id=c.suggestion_id, parent=c, author_id=by_pk[c.suggestion_id].proposer_id,
            text=rng.choice(REPLIES), created_at=c.created_at + dt.timedelta(hours=rng.randint(1, 30)),
        )
        for c in tops
        if not c.is_hidden and rng.random() < 0.5
    ]  # fmt: skip
    Comment.objects.bulk_create(replies, batch_size=BATCH_SIZE)
    follows = {(c.author_id, c.suggestion_id) for c in [*tops, *replies]}
    CommentFollow.objects.bulk_create(
        [CommentFollow(user_id=u, suggestion_id=s) for u, s in follows], batch_size=BATCH_SIZE, ignore_conflicts=True
    )


def counts() -> dict[str, int]:
    return {
        "councils": Council.objects.count(),
        "council_members": CouncilMember.objects.count(),
        "council_meetings": Meeting.objects.count(),
        "minutes_published": Minutes.objects.filter(status=Minutes.Status.PUBLISHED).count(),
        "resolutions": Resolution.objects.count(),
        "suggestions": Suggestion.objects.count(),
        "comments": Comment.objects.count(),
        "surveys": Survey.objects.count(),
    }
