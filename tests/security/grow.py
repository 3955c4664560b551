"""More of everything the pages list, in community A: `grow(world, n)` adds about `n` rows to each list.

Resident pages get rows in resident A's own lists, staff pages rows of community A, the records named in the
URLs (objects.py) more of what hangs off them. Records are made with the factories where they exist and plainly
(bulk_create) where they do not: the pages are measured with the cache cleared, so no signal is needed.
Callable more than once: every name and time is drawn from a counter.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from decimal import Decimal

from django.utils import timezone

TAG = "增长"  # in the names of grown records; the search queries of the test look for it
_counter = itertools.count(1)


def k() -> int:
    return next(_counter)


class Grower:
    """What the steps share: the world, n, the clock, and new residents and users of community A."""

    def __init__(self, world, n: int):
        self.world, self.o, self.a, self.n = world, world.objects, world.a, n
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.user_a = self.o.resident_a.user
        self.users = world.users
        self._windows: dict[tuple[int, dt.date], list[tuple[dt.datetime, dt.datetime]]] = {}
        self._buildings = None

    def at(self, day: dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=self.tz)

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    # --- people ---------------------------------------------------------------------------------

    def buildings(self):
        """n new buildings of community A (in the area of the board's building), made once per call of grow."""
        from residents.models import Building

        if self._buildings is None:
            area = self.o.building.area
            self._buildings = Building.objects.bulk_create(
                [Building(community=self.a, area=area, name=f"{TAG}{k()}号楼") for _ in range(self.n)]
            )
        return self._buildings

    def residents(self, count: int, **tags):
        """`count` new residents of community A, each in a household of their own."""
        from residents.models import Household, Resident

        buildings = self.buildings()
        households = Household.objects.bulk_create(
            [
                Household(community=self.a, building=buildings[i % len(buildings)], number=f"ZZ{k():06d}", room="101")
                for i in range(count)
            ]
        )
        return Resident.objects.bulk_create(
            [
                Resident(
                    community=self.a,
                    household=h,
                    name=f"{TAG}居民{k()}",
                    sex="MF"[i % 2],
                    birth_date=dt.date(1940 + i % 50, 1 + i % 12, 1 + i % 28),
                    phone=f"1390000{k():04d}",
                    **tags,
                )
                for i, h in enumerate(households)
            ]
        )

    def new_users(self, count: int, role: str | None = None, community=None):
        """`count` new accounts (unusable passwords) with a role."""
        from django.contrib.auth.models import Group

        from portal.core import roles
        from portal.core.models import User

        role = role or roles.RESIDENT
        users = User.objects.bulk_create(
            [
                User(
                    phone=f"1770{k():07d}",
                    name=f"{TAG}用户{k()}",
                    community=community or self.a,
                    password="!",  # noqa: S106 - unusable
                    is_staff=role in roles.STAFF_ROLES,
                )
                for _ in range(count)
            ]
        )
        group = Group.objects.get(name=role)
        User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
        return users

    def window(self, room, day: dt.date, minutes: int = 2) -> tuple[dt.datetime, dt.datetime]:
        """A free stretch of `room` on `day` before it opens (00:00–07:59), clear of every booking there."""
        from services.models import RoomBooking

        key = (room.pk, day)
        if key not in self._windows:
            self._windows[key] = list(
                RoomBooking.objects.filter(
                    room=room, starts_at__lt=self.at(day, 8), ends_at__gt=self.at(day)
                ).values_list("starts_at", "ends_at")
            )
        taken = self._windows[key]
        start = self.at(day)
        while start < self.at(day, 8):
            end = start + dt.timedelta(minutes=minutes)
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                return start, end
            start = end
        raise AssertionError(f"no free time left in room {room.pk} on {day}")


# --------------------------------------------------------------------------------------------------
# portal


def portal_site(g: Grower) -> None:
    from portal.core.models import AuditLog, Community, District, Notification, SensitiveAccessLog, Session
    from portal.core.search import search_index_update
    from portal.site.models import Appraisal, ContactPerson, Facility, Nomination, Notice
    from portal.site.search_documents import notice_document
    from residents.models import PartyGroup, StationedUnit
    from services.health.access import LOG_FIELD

    a, o, n = g.a, g.o, g.n
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=g.user_a,
                title=f"{TAG}通知{k()}",
                body="您的预约已确认。",
                url="/my/",
                read_at=None if i % 2 else g.now,
            )
            for i in range(n)
        ]
    )
    Session.objects.bulk_create(
        [
            Session(
                session_key=secrets.token_hex(16),
                session_data="",
                expire_date=g.now + dt.timedelta(days=7),
                user=g.user_a,
                user_agent=f"Mozilla/5.0 ({TAG} {k()})",
                ip="10.0.0.1",
                last_seen=g.now - dt.timedelta(hours=i),
            )
            for i in range(n)
        ]
    )
    notices = Notice.objects.bulk_create(
        [
            Notice(
                community=a,
                category=Notice.Category.values[i % len(Notice.Category.values)],
                title=f"{TAG}公告{k()}",
                body=f"{TAG}：社区通知正文。",
                publish_at=g.now - dt.timedelta(minutes=i + 1),
                author=g.users["hall_a"],
            )
            for i in range(n)
        ]
    )
    search_index_update([notice_document(notice) for notice in notices])
    units = StationedUnit.objects.bulk_create(
        [StationedUnit(community=a, name=f"{TAG}单位{k()}", contact_name="李主任") for _ in range(n)]
    )
    Facility.objects.bulk_create(
        [
            Facility(
                community=a,
                kind=Facility.Kind.values[i % len(Facility.Kind.values)],
                name=f"{TAG}设施{k()}",
                walk_minutes=i % 15 + 1,
                unit=units[i] if i % 2 else None,
            )
            for i in range(n)
        ]
    )
    contacts = ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                community=a, kind=ContactPerson.Kind.values[i % 4], name=f"{TAG}联系人{k()}", phone="0311-1234567"
            )
            for i in range(n)
        ]
    )
    through = ContactPerson.buildings.through
    through.objects.bulk_create([through(contactperson_id=c.pk, building_id=o.building.pk) for c in contacts])
    branch = a.branches.order_by("pk").first()
    groups = PartyGroup.objects.bulk_create(
        [PartyGroup(community=a, branch=branch, name=f"{TAG}党小组{k()}", leader="王组长") for _ in range(n)]
    )
    through = PartyGroup.buildings.through
    through.objects.bulk_create([through(partygroup_id=p.pk, building_id=o.building.pk) for p in groups])
    Appraisal.objects.bulk_create(
        [
            Appraisal(
                community=a,
                kind=Appraisal.Kind.values[i % 2],
                title=f"{TAG}评选{k()}",
                criteria="孝老爱亲、邻里和睦。",
                nominate_until=g.now + dt.timedelta(days=10),
                vote_until=g.now + dt.timedelta(days=20),
                status=Appraisal.Status.OPEN,
            )
            for i in range(n)
        ]
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                appraisal=o.appraisal,
                building=b,
                household=None,
                title=f"{TAG}提名{k()}",
                reasons="楼院整洁。",
                nominated_by=g.user_a,
                status=Nomination.Status.ACCEPTED,
            )
            for b in g.buildings()
        ]
    )
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=g.users["hall_a"],
                community=a,
                action="change",
                object_type="services.case",
                object_id=str(o.case.pk),
                summary=f"{TAG}{k()}",
            )
            for _ in range(n)
        ]
    )
    actors = [g.users["health_a"], g.users["district"], None]
    SensitiveAccessLog.objects.bulk_create(
        [
            SensitiveAccessLog(
                actor=actors[i % 3], subject=o.resident_a, field=LOG_FIELD, purpose="care", denied=i % 5 == 0
            )
            for i in range(n)
        ]
    )
    # Accounts waiting to be linked to the register (no resident), and more staff.
    g.new_users(n)
    from portal.core import roles

    g.new_users(n, role=roles.HALL_STAFF)
    # Communities with nothing in them yet (the district's lists), and more districts.
    Community.objects.bulk_create(
        [Community(district=a.district, name=f"{TAG}社区{x}", slug=f"grow-{x}") for x in (k() for _ in range(n))]
    )
    District.objects.bulk_create([District(name=f"{TAG}区{k()}") for _ in range(n)])


def assessment(g: Grower) -> None:
    """More criteria (with A's manual scores) in this year's rubric; rubrics of other years with A's snapshot."""
    from portal.site.models import AssessmentSnapshot, Criterion, ManualScore, Rubric

    a, n = g.a, g.n
    district = g.users["district"]
    current = Rubric.objects.filter(year=g.today.year).first()
    if current is not None:
        criteria = Criterion.objects.bulk_create(
            [Criterion(rubric=current, name=f"{TAG}指标{k()}", points=1, order=900 + i) for i in range(n)]
        )
        ManualScore.objects.bulk_create(
            [
                ManualScore(criterion=c, community=a, points=Decimal(1), reason="走访核实", scored_by=district)
                for c in criteria
            ]
        )
    rubrics = Rubric.objects.bulk_create([Rubric(year=1900 + k(), title=f"{TAG}考核") for _ in range(n)])
    criteria = Criterion.objects.bulk_create([Criterion(rubric=r, name="台账", points=10) for r in rubrics])
    ManualScore.objects.bulk_create(
        [
            ManualScore(criterion=c, community=a, points=Decimal(8), reason="台账齐全", scored_by=district)
            for c in criteria
        ]
    )
    AssessmentSnapshot.objects.bulk_create(
        [
            AssessmentSnapshot(rubric=r, community=a, total=Decimal(8), stars=0, detail={}, taken_by=district)
            for r in rubrics
        ]
    )


def plumbing(g: Grower) -> None:
    """What only a superuser reads in the admin: groups, login attempts, periodic tasks."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    n = g.n
    Group.objects.bulk_create([Group(name=f"{TAG}组{k()}") for _ in range(n)])
    login = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.0.0.2",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.bulk_create(
        [
            AccessAttempt(username=f"1380{k():07d}", get_data="", post_data="", failures_since_start=1, **login)
            for _ in range(n)
        ]
    )
    AccessLog.objects.bulk_create([AccessLog(username=f"1380{k():07d}", **login) for _ in range(n)])
    AccessFailureLog.objects.bulk_create([AccessFailureLog(username=f"1380{k():07d}", **login) for _ in range(n)])
    intervals = IntervalSchedule.objects.bulk_create([IntervalSchedule(every=k(), period="seconds") for _ in range(n)])
    CrontabSchedule.objects.bulk_create([CrontabSchedule(minute=str(k() % 60), hour="3") for _ in range(n)])
    ClockedSchedule.objects.bulk_create(
        [ClockedSchedule(clocked_time=g.now + dt.timedelta(days=k())) for _ in range(n)]
    )
    SolarSchedule.objects.bulk_create(
        [SolarSchedule(event="sunrise", latitude=Decimal("38.0"), longitude=Decimal(k() % 180)) for _ in range(n)]
    )
    PeriodicTask.objects.bulk_create(
        [
            PeriodicTask(name=f"{TAG}任务{k()}", task="portal.core.tasks.noop", interval=i, enabled=False)
            for i in intervals
        ]
    )


# --------------------------------------------------------------------------------------------------
# register


def register(g: Grower) -> None:
    from residents.models import Area, Branch, PartyGroup, PartyMember

    a, n = g.a, g.n
    g.residents(n, lives_alone=True, is_retiree=True)
    g.residents(n, is_veteran=True, is_disabled=True)
    Area.objects.bulk_create([Area(community=a, name=f"{TAG}小区{k()}") for _ in range(n)])
    general = a.general_branch
    branches = Branch.objects.bulk_create(
        [Branch(community=a, general_branch=general, name=f"{TAG}支部{k()}", secretary="张书记") for _ in range(n)]
    )
    groups = list(PartyGroup.objects.filter(community=a).order_by("pk")[:n])
    groups += PartyGroup.objects.bulk_create(
        [PartyGroup(community=a, branch=b, name=f"{TAG}小组{k()}") for b in branches]
    )
    PartyMember.objects.bulk_create(
        [
            PartyMember(
                community=a,
                name=f"{TAG}党员{k()}",
                category=PartyMember.Category.RETIRED,
                management=PartyMember.Management.SELF,
                branch=grp.branch,
                group=grp,
            )
            for grp in groups
            for _ in range(2)
        ]
    )


# --------------------------------------------------------------------------------------------------
# services: the hall


def hall(g: Grower) -> None:
    from django.db.models import Max

    from services.models import (
        Booking,
        Case,
        CaseAttachment,
        CaseEvent,
        ClosedDay,
        Counter,
        Mediation,
        MediationSession,
        ServiceCategory,
        ServiceItem,
        Slot,
    )
    from services.tests.factories import CaseFactory

    a, o, n = g.a, g.o, g.n
    hall_staff = g.users["hall_a"]
    categories = list(ServiceCategory.objects.order_by("pk")[:3])
    categories += ServiceCategory.objects.bulk_create(
        [ServiceCategory(name=f"{TAG}类别{x}", slug=f"grow-{x}", order=90) for x in (k(), k())]
    )
    item_counter = o.item.counter
    ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                community=a,
                category=categories[i % len(categories)],
                counter=item_counter,
                name=f"{TAG}事项{k()}",
                keywords=TAG,
                documents=["居民身份证"],
                needs_appointment=i % 2 == 0,
                order=i,
            )
            for i in range(n)
        ]
    )
    top = Counter.objects.filter(community=a).order_by("-number").values_list("number", flat=True).first() or 0
    Counter.objects.bulk_create([Counter(community=a, number=top + 1 + i, name=f"{TAG}窗口{k()}") for i in range(n)])

    def slots(counter, days, capacity=3):
        starts = [g.at(day, 19) + dt.timedelta(seconds=k()) for day in days]
        return Slot.objects.bulk_create(
            [
                Slot(
                    community=a,
                    counter=counter,
                    date=day,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=30),
                    capacity=capacity,
                )
                for day, start in zip(days, starts, strict=True)
            ]
        )

    # More times on the booking page's day, and more days.
    slots(item_counter, [o.slot.date] * n)
    slots(item_counter, [g.day(i + 1) for i in range(n)])

    def book(slot_list, residents, **fields):
        rows = [
            Booking(
                community=a,
                slot=slot,
                resident=resident,
                item=o.item,
                date=slot.date,
                booked_by=hall_staff if i % 3 == 0 else resident.user,
                **fields,
            )
            for i, (slot, resident) in enumerate(zip(slot_list, residents, strict=True))
        ]
        for booking in rows:
            if booking.status == "active":
                Slot.objects.filter(pk=booking.slot_id).update(seats_taken=1)
        return Booking.objects.bulk_create(rows)

    # Resident A's own appointments: upcoming, and past or cancelled.
    resident_a = o.resident_a
    book(slots(item_counter, [g.day(i + 1) for i in range(n)]), [resident_a] * n)
    past = slots(item_counter, [g.day(-i - 1) for i in range(n)])
    book(past[::2], [resident_a] * len(past[::2]), desk=Booking.Desk.SERVED)
    book(past[1::2], [resident_a] * len(past[1::2]), status="cancelled", cancelled_by=g.user_a)

    # Today's queue at the desk's counter: booked, checked in, called, and no-shows of other days.
    people = g.residents(n)
    today = slots(o.counter, [g.today] * n)
    ticket = (
        Booking.objects.filter(date=g.today, slot__counter=o.counter).aggregate(top=Max("queue_number"))["top"] or 0
    )
    queue = []
    for i, (slot, person) in enumerate(zip(today, people, strict=True)):
        fields = {}
        if i % 3:
            ticket += 1
            fields = {"desk": Booking.Desk.CHECKED_IN, "queue_number": ticket, "checked_in_at": g.now}
        if i % 3 == 2:
            fields.update(desk=Booking.Desk.CALLED, called_at=g.now - dt.timedelta(minutes=i))
        queue.append((slot, person, fields))
    for slot, person, fields in queue:
        book([slot], [person], **fields)
    earlier = slots(o.counter, [g.day(-7)] * n)
    book(earlier, people, desk=Booking.Desk.NO_SHOW)

    # Resident A's cases, and more of what the case page lists.
    statuses = [Case.Status.SUBMITTED, Case.Status.ACCEPTED, Case.Status.IN_PROGRESS, Case.Status.DONE]
    for i in range(n):
        CaseFactory(
            community=a,
            resident=resident_a,
            item=o.item,
            counter=item_counter,
            status=statuses[i % 4],
            assignee=hall_staff,
            filed_by=g.user_a if i % 2 else hall_staff,
            title=f"{TAG}事项{k()}",
        )
    actors = [g.user_a, hall_staff]
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case=o.case, actor=actors[i % 2], kind=CaseEvent.Kind.NOTE, text=f"{TAG}留言{k()}")
            for i in range(n)
        ]
    )
    CaseAttachment.objects.bulk_create(
        [
            CaseAttachment(
                case=o.case,
                file=f"cases/{TAG}{k()}.pdf",
                original_name="scan.pdf",
                content_type="application/pdf",
                size=13,
                uploaded_by=actors[i % 2],
            )
            for i in range(n)
        ]
    )
    # Mediations with a session each (the admin's list of sessions).
    disputes = [
        CaseFactory(community=a, resident=person, kind="mediation", title=f"{TAG}调解{k()}", assignee=hall_staff)
        for person in people
    ]
    mediations = Mediation.objects.bulk_create([Mediation(case=case, parties="张某、李某") for case in disputes])
    MediationSession.objects.bulk_create(
        [
            MediationSession(mediation=m, held_at=g.now - dt.timedelta(days=1), mediator=hall_staff, summary="调解")
            for m in mediations
        ]
    )
    ClosedDay.objects.bulk_create(
        [ClosedDay(community=a, date=g.day(200 + k()), reason=f"{TAG}闭馆") for _ in range(n)]
    )


# --------------------------------------------------------------------------------------------------
# services: the health station


def health(g: Grower) -> None:
    from services.health.models import CURRENT_NOTICE_VERSION
    from services.models import (
        CampaignInvitation,
        CheckupBooking,
        CheckupCampaign,
        CheckupRecord,
        CheckupSlot,
        FocusGroup,
        FollowUpPlan,
        FollowUpVisit,
        HealthConsent,
        HealthFile,
        MaternalVisit,
        Reading,
    )

    a, o, n = g.a, g.o, g.n
    staff = g.users["health_a"]
    file = o.health_file
    kinds = ["bp", "glucose", "weight"]
    Reading.objects.bulk_create(
        [
            Reading(
                file=file,
                kind=kinds[i % 3],
                taken_on=g.day(-(k() % 3000)),
                value=Decimal("138") if i % 3 == 0 else Decimal("6.1"),
                value2=Decimal("88") if i % 3 == 0 else None,
            )
            for i in range(n)
        ]
    )
    CheckupRecord.objects.bulk_create(
        [CheckupRecord(file=file, examined_on=g.day(-(k() % 3000)), results="血压偏高") for _ in range(n)]
    )
    plan = FollowUpPlan.objects.filter(file=file).first()
    FollowUpVisit.objects.bulk_create(
        [
            FollowUpVisit(file=file, plan=plan, visited_on=g.day(-i), visited_by=staff, notes=f"{TAG}随访")
            for i in range(n)
        ]
    )
    MaternalVisit.objects.bulk_create(
        [
            MaternalVisit(file=file, kind=MaternalVisit.Kind.values[i % 3], visited_on=g.day(-i), notes="良好")
            for i in range(n)
        ]
    )
    # More files in the community, each with an overdue follow-up plan.
    people = g.residents(n, is_retiree=True)
    consents = HealthConsent.objects.bulk_create(
        [
            HealthConsent(community=a, resident=r, notice_version=CURRENT_NOTICE_VERSION, recorded_by=staff)
            for r in people
        ]
    )
    files = HealthFile.objects.bulk_create(
        [
            HealthFile(
                community=a,
                resident=r,
                household_id=r.household_id,
                consent=c,
                chronic_conditions="高血压",
                created_by=staff,
                retention_until=g.day(3650),
            )
            for r, c in zip(people, consents, strict=True)
        ]
    )
    FollowUpPlan.objects.bulk_create(
        [
            FollowUpPlan(
                community=a, file=f, group=FocusGroup.values[i % len(FocusGroup.values)], next_due=g.day(-i - 1)
            )
            for i, f in enumerate(files)
        ]
    )
    # Campaigns of later years, resident A invited to each (with a couple of slots).
    top = CheckupCampaign.objects.filter(community=a).order_by("-year").values_list("year", flat=True).first() or 2026
    campaigns = CheckupCampaign.objects.bulk_create(
        [
            CheckupCampaign(
                community=a,
                title=f"{TAG}体检{k()}",
                year=max(top, 2030) + 1 + i + k(),
                starts_on=g.today,
                ends_on=g.day(60),
            )
            for i in range(n)
        ]
    )
    CheckupSlot.objects.bulk_create(
        [
            CheckupSlot(campaign=c, starts_at=g.at(g.day(3 + j), 8), ends_at=g.at(g.day(3 + j), 9), capacity=20)
            for c in campaigns
            for j in range(2)
        ]
    )
    CampaignInvitation.objects.bulk_create([CampaignInvitation(campaign=c, resident=o.resident_a) for c in campaigns])
    # The campaign and slot pages: more slots, invitations, bookings.
    CheckupSlot.objects.bulk_create(
        [
            CheckupSlot(
                campaign=o.campaign,
                starts_at=g.at(g.day(5), 13) + dt.timedelta(seconds=k()),
                ends_at=g.at(g.day(5), 14),
                capacity=10,
            )
            for _ in range(n)
        ]
    )
    CampaignInvitation.objects.bulk_create([CampaignInvitation(campaign=o.campaign, resident=r) for r in people])
    slot = o.checkup_slot
    CheckupSlot.objects.filter(pk=slot.pk).update(capacity=slot.capacity + 2 * n, seats_taken=slot.seats_taken + n)
    slot.refresh_from_db()
    CheckupBooking.objects.bulk_create(
        [CheckupBooking(slot=slot, resident=r, attended=[None, True, False][i % 3]) for i, r in enumerate(people)]
    )


# --------------------------------------------------------------------------------------------------
# services: the culture station and the events


def culture(g: Grower) -> None:
    from services.models import (
        ClassEnrolment,
        ClassSession,
        CultureClass,
        Room,
        RoomBooking,
        SessionAttendance,
        Team,
        TeamMember,
    )

    a, o, n = g.a, g.o, g.n
    staff = g.users["culture_a"]
    kinds = Room.Kind.values
    rooms = Room.objects.bulk_create(
        [Room(community=a, kind=kinds[i % len(kinds)], name=f"{TAG}活动室{k()}", capacity=20) for i in range(n)]
    )
    # The room page's day (today): more bookings, by residents and by teams.
    people = g.residents(n)
    teams = Team.objects.bulk_create([Team(community=a, name=f"{TAG}队{k()}") for _ in range(n)])
    rows = []
    for i in range(n):
        start, end = g.window(o.room, g.today)
        rows.append(
            RoomBooking(
                room=o.room,
                starts_at=start,
                ends_at=end,
                resident=None if i % 2 else people[i],
                team=teams[i] if i % 2 else None,
                purpose=f"{TAG}活动",
                booked_by=staff,
            )
        )
    RoomBooking.objects.bulk_create(rows)
    # Teams: a leader and upcoming bookings each (in the new rooms).
    TeamMember.objects.bulk_create(
        [TeamMember(team=t, resident=r, is_leader=True) for t, r in zip(teams, people, strict=True)]
    )
    rows = []
    for team, room in zip(teams, rooms, strict=True):
        for j in range(2):
            start, end = g.window(room, g.day(2 + j))
            rows.append(
                RoomBooking(room=room, starts_at=start, ends_at=end, team=team, purpose="排练", booked_by=staff)
            )
    # Resident A's own room bookings.
    for room in rooms:
        start, end = g.window(room, g.day(4))
        rows.append(RoomBooking(room=room, starts_at=start, ends_at=end, resident=o.resident_a, purpose="练字"))
    RoomBooking.objects.bulk_create(rows)

    # Classes with upcoming sessions (this month when there is time left in it), resident A enrolled in each.
    classes = CultureClass.objects.bulk_create(
        [
            CultureClass(community=a, room=room, name=f"{TAG}培训班{k()}", capacity=10, seats_taken=1, teacher="刘老师")
            for room in rooms
        ]
    )

    def sessions(klass, days):
        made = []
        for day in days:
            start, end = g.window(klass.room, day, minutes=3)
            booking = RoomBooking.objects.create(
                room_id=klass.room_id, starts_at=start, ends_at=end, purpose=klass.name, booked_by=staff
            )
            made.append(ClassSession(klass=klass, booking=booking, starts_at=start, ends_at=end, topic=f"{TAG}{k()}"))
        return ClassSession.objects.bulk_create(made)

    session_day = g.day(1) if g.day(1).month == g.today.month else g.today
    for klass in classes:
        sessions(klass, [session_day])
    ClassEnrolment.objects.bulk_create([ClassEnrolment(klass=klass, resident=o.resident_a) for klass in classes])
    # The class and session pages: more sessions, more enrolments, attendance.
    sessions(o.culture_class, [session_day] * n)
    klass = o.class_session.klass
    CultureClass.objects.filter(pk=klass.pk).update(capacity=klass.capacity + n, seats_taken=klass.seats_taken + n)
    klass.refresh_from_db()
    enrolments = ClassEnrolment.objects.bulk_create([ClassEnrolment(klass=klass, resident=r) for r in people])
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=o.class_session, enrolment=e, present=i % 2 == 0) for i, e in enumerate(enrolments)]
    )


def events(g: Grower) -> None:
    from services.models import EventPhoto, EventRegistration, StationEvent

    a, o, n = g.a, g.o, g.n
    staff = g.users["culture_a"]
    month_end = (g.today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    hours_left = max(int((g.at(month_end) - g.now).total_seconds() // 3600) - 2, 1)
    starts = [g.now + dt.timedelta(hours=1 + i % hours_left, seconds=k()) for i in range(n)]
    made = StationEvent.objects.bulk_create(
        [
            StationEvent(
                community=a,
                station=["health", "culture"][i % 2],
                kind=StationEvent.Kind.values[i % len(StationEvent.Kind.values)],
                title=f"{TAG}活动{k()}",
                place="社区广场",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                capacity=50,
                seats_taken=1,
                published=True,
            )
            for i, start in enumerate(starts)
        ]
    )
    EventRegistration.objects.bulk_create([EventRegistration(event=e, resident=o.resident_a) for e in made])
    EventPhoto.objects.bulk_create(
        [
            EventPhoto(
                event=o.event,
                image=f"events/{TAG}{k()}.jpg",
                thumbnail=f"events/thumbs/{TAG}{k()}.jpg",
                width=800,
                height=600,
                caption=f"{TAG}照片",
                uploaded_by=staff,
            )
            for _ in range(n)
        ]
    )
    people = g.residents(n)
    event = o.event
    StationEvent.objects.filter(pk=event.pk).update(capacity=event.capacity + n, seats_taken=event.seats_taken + n)
    event.refresh_from_db()
    EventRegistration.objects.bulk_create([EventRegistration(event=event, resident=r) for r in people])


# --------------------------------------------------------------------------------------------------
# volunteers


def volunteers(g: Grower) -> None:
    from residents.models import PartyMember
    from volunteers.models import (
        Activity,
        Badge,
        DutyPost,
        HourCorrection,
        PartyTask,
        PersonServed,
        SignUp,
        Team,
        VisitPlan,
        VisitRecord,
        Volunteer,
    )

    a, o, n = g.a, g.o, g.n
    director = g.users["director_a"]
    team = o.volunteer.team or Team.objects.filter(community=a, is_active=True).order_by("pk").first()
    people = g.residents(2 * n)
    approved = Volunteer.objects.bulk_create(
        [
            Volunteer(
                community=a,
                resident=r,
                status=Volunteer.Status.APPROVED,
                number=f"ZY{TAG}{k():05d}",
                team=team if i % 2 else None,
                skills=["haircut"],
                availability=["weekend"],
                approved_on=g.day(-30 * i),
                decided_by=director,
            )
            for i, r in enumerate(people[:n])
        ]
    )
    Volunteer.objects.bulk_create(
        [
            Volunteer(
                community=a, resident=r, status=Volunteer.Status.APPLIED, skills=["repair"], availability=["weekday"]
            )
            for r in people[n:]
        ]
    )
    Team.objects.bulk_create(
        [
            Team(community=a, name=f"{TAG}服务队{k()}", leader=v, kind=Team.Kind.values[i % len(Team.Kind.values)])
            for i, v in enumerate(approved)
        ]
    )
    start = dt.time(9)

    def activities(days, **fields):
        return Activity.objects.bulk_create(
            [
                Activity(
                    community=a,
                    team=team,
                    title=f"{TAG}志愿活动{k()}",
                    date=day,
                    start_time=start,
                    end_time=dt.time(12),
                    place="3号楼院",
                    capacity=5,
                    created_by=director,
                    **fields,
                )
                for day in days
            ]
        )

    coming = activities([g.day(1 + i % 30) for i in range(n)], seats_taken=1)
    recent = activities([g.day(-1 - i % 13) for i in range(n)], seats_taken=1)
    # Resident A (a volunteer): places in the coming ones, confirmed hours in the recent ones.
    volunteer = o.volunteer
    SignUp.objects.bulk_create([SignUp(activity=x, volunteer=volunteer) for x in coming])
    SignUp.objects.bulk_create(
        [
            SignUp(
                activity=x,
                volunteer=volunteer,
                checked_in_at=g.at(x.date, 9),
                checked_out_at=g.at(x.date, 12),
                hours=Decimal(3),
                hours_confirmed_at=g.now,
                hours_confirmed_by=director,
            )
            for x in recent
        ]
    )
    member = PartyMember.objects.filter(resident=o.resident_a).first()
    if member is None:
        group = o.building.party_groups.first()
        member = PartyMember.objects.create(
            community=a,
            resident=o.resident_a,
            name=o.resident_a.name,
            category=PartyMember.Category.RETIRED,
            management=PartyMember.Management.SELF,
            branch=group.branch if group else None,
            group=group,
        )
    PartyTask.objects.bulk_create(
        [
            PartyTask(
                community=a,
                title=f"{TAG}任务{k()}",
                category=PartyTask._meta.get_field("category").choices[0][0],
                assignee=member,
                due_on=g.day(-i),
                completed_on=g.day(-i),
                hours=Decimal(2),
            )
            for i in range(n)
        ]
    )
    # The roster: more volunteers at the activity, checked in and out, some corrected.
    activity = o.activity
    Activity.objects.filter(pk=activity.pk).update(capacity=activity.capacity + n, seats_taken=activity.seats_taken + n)
    signups = SignUp.objects.bulk_create(
        [
            SignUp(
                activity=activity,
                volunteer=v,
                checked_in_at=g.at(activity.date, 9),
                checked_out_at=g.at(activity.date, 11),
                hours=Decimal(2),
            )
            for v in approved
        ]
    )
    HourCorrection.objects.bulk_create(
        [
            HourCorrection(signup=s, corrected_by=director, old_hours=Decimal(3), new_hours=Decimal(2), reason="早退")
            for s in signups[::2]
        ]
    )
    badge = o.badge
    Badge.objects.bulk_create(
        [Badge(volunteer=v, status=Badge.Status.READY, image=badge.image.name, rendered_at=g.now) for v in approved]
    )
    # People served, with plans; the person's page: more visits and plans.
    served = PersonServed.objects.bulk_create(
        [
            PersonServed(community=a, resident=r, kind=PersonServed.Kind.values[i % 3], needs="助餐")
            for i, r in enumerate(g.residents(n, lives_alone=True))
        ]
    )
    VisitPlan.objects.bulk_create([VisitPlan(person=p, team=team, every_days=7, next_visit_on=g.today) for p in served])
    person = o.person_served
    VisitPlan.objects.bulk_create(
        [VisitPlan(person=person, team=team, volunteer=v, every_days=14, content=f"{TAG}") for v in approved]
    )
    visits = VisitRecord.objects.bulk_create(
        [
            VisitRecord(person=person, visited_on=g.day(-i), what_was_done=f"{TAG}探访", recorded_by=director)
            for i in range(n)
        ]
    )
    through = VisitRecord.visitors.through
    through.objects.bulk_create(
        [
            through(visitrecord_id=visit.pk, volunteer_id=v.pk)
            for i, visit in enumerate(visits)
            for v in (approved[i], approved[(i + 1) % n])
        ]
        if n > 1
        else []
    )
    # Duty posts with holders.
    members = list(PartyMember.objects.filter(community=a).order_by("-pk")[: 2 * n])
    posts = DutyPost.objects.bulk_create(
        [
            DutyPost(
                community=a,
                kind=DutyPost.Kind.values[i % 2],
                title=f"{TAG}责任区{k()}",
                building=o.building if i % 2 else None,
                area=o.building.area,
            )
            for i in range(n)
        ]
    )
    through = DutyPost.holders.through
    through.objects.bulk_create(
        [
            through(dutypost_id=post.pk, partymember_id=m.pk)
            for i, post in enumerate(posts)
            for m in members[2 * i : 2 * i + 2]
        ]
    )


def stationed(g: Grower) -> None:
    """在职党员报到 and 微心愿: report-ins waiting and confirmed (this year and the summary's year), wishes in every
    state (resident A's own, the member's claimed ones, open ones), units with summaries."""
    from residents.models import PartyGroup, PartyMember, StationedUnit
    from volunteers.models import DutyPost, StationedReport, UnitSummary, Wish

    a, o, n = g.a, g.o, g.n
    summary = o.unit_summary
    group = PartyGroup.objects.filter(community=a).order_by("pk").first()
    post = o.duty_post
    members = PartyMember.objects.bulk_create(
        [
            PartyMember(
                community=a,
                name=f"{TAG}党员{k()}",
                phone=f"135{k():08d}",
                category=PartyMember.Category.STATIONED,
                management=PartyMember.Management.STATIONED,
                unit=summary.unit,
                group=group,
            )
            for _ in range(2 * n)
        ]
    )
    DutyPost.holders.through.objects.bulk_create(
        [DutyPost.holders.through(dutypost_id=post.pk, partymember_id=m.pk) for m in members]
    )

    def report(member, year, status):
        return StationedReport(
            community=a,
            year=year,
            unit=summary.unit,
            member=member if status == "confirmed" else None,
            name=member.name,
            phone=member.phone,
            status=status,
            group=group if status == "confirmed" else None,
            reported_at=g.now,
        )

    StationedReport.objects.bulk_create(
        [report(m, summary.year, "confirmed") for m in members[:n]]
        + [report(m, g.today.year, "submitted") for m in members[n:]]
    )
    mine = StationedReport.objects.filter(user=o.resident_a.user).exclude(member=None).first()
    claimer = mine.member if mine else members[0]
    resident = o.resident_a
    Wish.objects.bulk_create(
        [Wish(community=a, resident=resident, title=f"{TAG}心愿{k()}", status="published") for _ in range(n)]
        + [Wish(community=a, resident=resident, title=f"{TAG}心愿{k()}", status=s) for s in ("submitted", "confirmed")]
        + [
            Wish(community=a, resident=resident, title=f"{TAG}心愿{k()}", status="claimed", claimed_by=claimer)
            for _ in range(n)
        ]
    )
    units = StationedUnit.objects.bulk_create([StationedUnit(community=a, name=f"{TAG}单位{k()}") for _ in range(n)])
    UnitSummary.objects.bulk_create([UnitSummary(community=a, unit=u, year=summary.year) for u in units])


# --------------------------------------------------------------------------------------------------
# councils


def councils(g: Grower) -> None:
    from councils.models import (
        AgendaItem,
        Attendance,
        Comment,
        CommentReport,
        Council,
        CouncilMember,
        Meeting,
        Minutes,
        MinutesAddendum,
        MinutesAttachment,
        MinutesItem,
        Nomination,
        Project,
        Resolution,
        ResolutionProgress,
        ResourcePledge,
        Suggestion,
        SuggestionSupport,
    )
    from residents.models import StationedUnit

    a, o, n = g.a, g.o, g.n
    secretary = g.users["council_sec_a"]
    council = o.council
    councils = list(Council.objects.filter(community=a).order_by("pk"))

    def members(council, count):
        return CouncilMember.objects.bulk_create(
            [
                CouncilMember(
                    council=council,
                    role=CouncilMember.Role.RESIDENT_REP,
                    name=f"{TAG}代表{k()}",
                    chosen_by=CouncilMember.Chosen.ELECTION,
                    term_start=dt.date(2024, 1, 1),
                )
                for _ in range(count)
            ]
        )

    def meetings(council, count, status, days):
        return Meeting.objects.bulk_create(
            [
                Meeting(
                    council=council,
                    title=f"{TAG}例会{k()}",
                    starts_at=g.now + dt.timedelta(days=days(i), seconds=k()),
                    place="社区议事厅",
                    status=status,
                    members_count=5,
                )
                for i in range(count)
            ]
        )

    def agenda(meeting_list, per_meeting, **fields):
        return AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=m, order=100 + j + k(), title=f"{TAG}议题{k()}", **fields)
                for m in meeting_list
                for j in range(per_meeting)
            ]
        )

    for c in councils:
        members(c, n)
        agenda(meetings(c, n, Meeting.Status.SCHEDULED, lambda i: 1 + i), 2)
    Nomination.objects.bulk_create(
        [
            Nomination(
                council=c,
                role=CouncilMember.Role.RESIDENT_REP,
                nominee=f"{TAG}候选人{k()}",
                method="election",
                nominated_on=g.today,
            )
            for c in councils
            for _ in range(n)
        ]
    )
    # Published minutes with an item and a resolution each (some overdue), and minutes waiting for approval.
    held = meetings(council, n, Meeting.Status.HELD, lambda i: -2 - i)
    minutes = Minutes.objects.bulk_create(
        [
            Minutes(
                meeting=m,
                status=Minutes.Status.PUBLISHED,
                summary="会议纪要",
                recorded_by=secretary,
                approved_by=council.convenor,
                approved_at=g.now,
                published_at=g.now,
            )
            for m in held
        ]
    )
    items = MinutesItem.objects.bulk_create(
        [
            MinutesItem(minutes=mi, agenda_item=ai, decision="通过", adopt_resolution=True)
            for mi, ai in zip(minutes, agenda(held, 1), strict=True)
        ]
    )
    year = g.today.year
    top = Resolution.objects.filter(community=a, year=year).order_by("-seq").values_list("seq", flat=True).first() or 0
    resolutions = Resolution.objects.bulk_create(
        [
            Resolution(
                community=a,
                council=council,
                minutes_item=item,
                year=year,
                seq=top + 1 + i,
                title=f"{TAG}决议{k()}",
                text="加装路灯。",
                executor="committee",
                deadline=g.day(-5 if i % 2 else 30),
            )
            for i, item in enumerate(items)
        ]
    )
    ResolutionProgress.objects.bulk_create(
        [ResolutionProgress(resolution=r, text="已开工", recorded_by=secretary) for r in resolutions]
    )
    waiting = meetings(council, n, Meeting.Status.HELD, lambda i: -30 - i)
    Minutes.objects.bulk_create(
        [
            Minutes(meeting=m, status=[Minutes.Status.SUBMITTED, Minutes.Status.APPROVED][i % 2], recorded_by=secretary)
            for i, m in enumerate(waiting)
        ]
    )
    # The published minutes' page: more items, attendance, addenda, attachments.
    pm = o.published_minutes
    more = agenda([pm.meeting], n)
    MinutesItem.objects.bulk_create([MinutesItem(minutes=pm, agenda_item=ai, decision="通过") for ai in more])
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=pm.meeting, member=m, present=i % 3 != 0)
            for i, m in enumerate(members(pm.meeting.council, n))
        ]
    )
    MinutesAddendum.objects.bulk_create(
        [MinutesAddendum(minutes=pm, text=f"{TAG}补充{k()}", created_by=secretary) for _ in range(n)]
    )
    MinutesAttachment.objects.bulk_create(
        [
            MinutesAttachment(minutes=pm, file=f"minutes/{TAG}{k()}.pdf", caption="附件", uploaded_by=secretary)
            for _ in range(n)
        ]
    )
    # The editing page of draft minutes: more items.
    draft = draft_minutes(a)
    if draft is not None:
        more = agenda([draft.meeting], n)
        MinutesItem.objects.bulk_create([MinutesItem(minutes=draft, agenda_item=ai) for ai in more])
    # The meeting page: more agenda items, members present.
    meeting = o.meeting
    agenda([meeting], n, suggestion=o.suggestion)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, present=True) for m in members(meeting.council, n)]
    )
    # The meeting room: more items with motions, amendments and speakers; more members present who voted.
    from councils.models import Ballot, Motion, Speaker

    room = o.room_meeting
    seats = members(room.council, n)
    Attendance.objects.bulk_create([Attendance(meeting=room, member=m, present=True) for m in seats])
    Ballot.objects.bulk_create([Ballot(motion=o.motion, member=m, choice="yes") for m in seats])
    Motion.objects.filter(pk=o.motion.pk).update(votes_yes=len(seats))
    room_items = agenda([room], n)
    motions = Motion.objects.bulk_create(
        [Motion(agenda_item=ai, text=f"{TAG}动议{k()}", proposed_by=seats[0]) for ai in room_items]
    )
    Motion.objects.bulk_create([Motion(agenda_item=m.agenda_item, amends=m, text=f"{TAG}修正{k()}") for m in motions])
    Speaker.objects.bulk_create(
        [
            Speaker(agenda_item=ai, member=m, position=j)
            for ai in [o.room_item, *room_items]
            for j, m in enumerate(seats)
        ]
    )
    # Suggestions: public ones, resident A's own (also waiting for triage), more support and progress.
    proposers = g.new_users(n)
    categories = Suggestion.Category.values
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                community=a,
                proposer=p,
                category=categories[i % len(categories)],
                title=f"{TAG}建议{k()}",
                text="建议增加健身器材。",
                status=Suggestion.Status.ACCEPTED,
                created_at=g.now - dt.timedelta(minutes=i),
            )
            for i, p in enumerate(proposers)
        ]
    )
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                community=a,
                proposer=g.user_a,
                category=categories[i % len(categories)],
                title=f"{TAG}我的建议{k()}",
                text="楼道灯坏了。",
                status=[Suggestion.Status.SUBMITTED, Suggestion.Status.DECIDED][i % 2],
                resolution=o.resolution if i % 2 else None,
            )
            for i in range(n)
        ]
    )
    SuggestionSupport.objects.bulk_create([SuggestionSupport(suggestion=o.suggestion, user=p) for p in proposers])
    # Comments: threads with replies on the suggestion, the resolution and the published minutes, some reported.
    subjects = [{"suggestion": o.suggestion}, {"resolution": o.resolution}, {"minutes": o.published_minutes}]
    tops = Comment.objects.bulk_create(
        [
            Comment(community=a, author=p, text=f"{TAG}评论{k()}", created_at=g.now + dt.timedelta(seconds=k()), **on)
            for on in subjects
            for p in proposers
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(community=a, author=p, text=f"{TAG}回复{k()}", parent=top, **on)
            for top, on in zip(tops, [on for on in subjects for _ in proposers], strict=True)
            for p in proposers[:2]
        ]
    )
    CommentReport.objects.bulk_create(
        [CommentReport(comment=c, reporter=p, reason=f"{TAG}举报") for c in tops[: len(proposers)] for p in proposers]
    )
    Suggestion.objects.filter(pk=o.suggestion.pk).update(
        supporters_count=SuggestionSupport.objects.filter(suggestion=o.suggestion).count()
    )
    agenda(meetings(council, n, Meeting.Status.SCHEDULED, lambda i: 40 + i), 1, suggestion=o.suggestion)
    ResolutionProgress.objects.bulk_create(
        [ResolutionProgress(resolution=o.resolution, text=f"{TAG}进展{k()}", recorded_by=secretary) for _ in range(n)]
    )
    # The joint council's resources: projects and pledges.
    joint = next((c for c in councils if c.kind == Council.Kind.JOINT), None)
    if joint is not None:
        units = list(StationedUnit.objects.filter(community=a).order_by("pk")[:n])
        projects = Project.objects.bulk_create(
            [Project(council=joint, title=f"{TAG}项目{k()}", year=year) for _ in range(n)]
        )
        ResourcePledge.objects.bulk_create(
            [
                ResourcePledge(
                    council=joint,
                    unit=units[i % len(units)],
                    project=p,
                    kind=ResourcePledge.Kind.values[i % 3],
                    description="活动场地",
                    year=year,
                    pledged=Decimal(100),
                    delivered=Decimal(50),
                )
                for i, p in enumerate(projects)
            ]
        )


def surveys(g: Grower) -> None:
    """More surveys of community A (open, published, ended) and, on the matrix's two surveys, more questions and
    answers; ended surveys on the agenda of the published minutes (their results are quoted there)."""
    from councils.models import Answer, Option, Question, Response, Survey

    a, o, n = g.a, g.o, g.n
    secretary = g.users["council_sec_a"]

    def make(status, count, **extra):
        start = g.now - dt.timedelta(days=30) if status != Survey.Status.OPEN else g.now - dt.timedelta(days=1)
        end = start + dt.timedelta(days=7 if status != Survey.Status.OPEN else 14)
        return Survey.objects.bulk_create(
            [
                Survey(
                    community=a,
                    council=o.council,
                    title=f"{TAG}调查{k()}",
                    opens_at=start,
                    closes_at=end,
                    status=status,
                    created_by=secretary,
                    **extra,
                )
                for _ in range(count)
            ]
        )

    make(Survey.Status.OPEN, n)
    make(Survey.Status.CLOSED, n)
    item = o.published_minutes.meeting.agenda.order_by("pk").first()
    quoted = make(Survey.Status.PUBLISHED, n, agenda_item=item)
    for survey in (o.survey, o.published_survey, *quoted):
        last = survey.questions.count()
        kinds = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.TEXT]
        questions = Question.objects.bulk_create(
            [
                Question(survey=survey, order=last + i + 1, kind=kinds[i % 4], text=f"{TAG}问题{k()}", required=False)
                for i in range(n)
            ]
        )
        options = Option.objects.bulk_create(
            [Option(question=q, order=j, text=f"{TAG}选项{k()}") for q in questions if q.is_choice for j in range(n)]
        )
        responses = Response.objects.bulk_create(
            [Response(survey=survey, user=u, created_at=g.now) for u in g.new_users(n)]
        )
        answers = []
        for r in responses:
            for q in questions:
                if q.is_choice:
                    answers.extend(
                        Answer(response=r, question=q, option=op) for op in options if op.question_id == q.pk
                    )
                elif q.kind == Question.Kind.SCALE:
                    answers.append(Answer(response=r, question=q, value=3))
                else:
                    answers.append(Answer(response=r, question=q, text=f"{TAG}意见{k()}"))
        Answer.objects.bulk_create(answers)
        Survey.objects.filter(pk=survey.pk).update(responses_count=survey.responses.count())


def draft_minutes(community):
    """Minutes of the community still being written (the matrix's unpublished minutes may wait for approval)."""
    from councils.models import Minutes

    return (
        Minutes.objects.filter(meeting__council__community=community, status=Minutes.Status.DRAFT)
        .select_related("meeting")
        .order_by("pk")
        .first()
    )


STEPS = [
    portal_site,
    assessment,
    plumbing,
    register,
    hall,
    health,
    culture,
    events,
    volunteers,
    stationed,
    councils,
    surveys,
]


def grow(world, n: int) -> None:
    """Add about n rows to every list of community A (and of resident A) that a page shows."""
    g = Grower(world, n)
    for step in STEPS:
        step(g)
