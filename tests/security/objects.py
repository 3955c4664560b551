"""Concrete records of community A (and of resident A) that fill the URLs' path parameters."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.core import roles
from portal.tests.factories import UserFactory


def _first(qs):
    obj = qs.order_by("pk").first()
    assert obj is not None, f"the seed has no {qs.model.__name__} for this filter"
    return obj


def _give(model, obj, resident, **extra) -> None:
    """Make `resident` the owner of `obj` (a seeded record of the same community)."""
    model.objects.filter(pk=obj.pk).update(resident=resident, **extra)


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, "PNG")
    return out.getvalue()


def build(a, b) -> SimpleNamespace:
    from councils.models import (
        Council,
        Meeting,
        Minutes,
        MinutesAttachment,
        Resolution,
        ResolutionProgress,
        Suggestion,
        Survey,
    )
    from portal.site.models import Appraisal, ContactPerson, IndicatorEntry, Nomination, Notice
    from residents.models import Building, Resident
    from services.models import (
        Booking,
        Case,
        CaseAttachment,
        CheckupBooking,
        CheckupSlot,
        ClassEnrolment,
        ClassSession,
        Counter,
        CultureClass,
        EventPhoto,
        EventRegistration,
        HealthConsent,
        HealthFile,
        Room,
        RoomBooking,
        ServiceItem,
        Slot,
        StationEvent,
    )
    from services.models import Team as CultureTeam
    from volunteers.models import Activity, Badge, PersonServed, SignUp, Volunteer

    o = SimpleNamespace(a=a, b=b)
    now = timezone.now()

    # Resident A: an approved volunteer of community A with sign-ups; resident B: another resident of A.
    volunteer = _first(
        Volunteer.objects.filter(
            community=a, status=Volunteer.Status.APPROVED, resident__user__isnull=True, signups__isnull=False
        )
        .exclude(led_teams__isnull=False)
        .distinct()
    )
    resident_a = volunteer.resident
    resident_b = _first(Resident.objects.filter(household__community=a, user__isnull=True).exclude(pk=resident_a.pk))
    for resident in (resident_a, resident_b):
        resident.user = UserFactory(role=roles.RESIDENT, community=a, name=resident.name)
        resident.save(update_fields=["user"])
    o.resident_a, o.resident_b, o.volunteer = resident_a, resident_b, volunteer

    # Resident A's family proxy (子女代办): an account of their own, for everything but the health file.
    from residents.models import ProxyGrant

    o.proxy_user = UserFactory(role=roles.RESIDENT, community=a, name="代办人")
    o.proxy_grant = ProxyGrant.objects.create(
        community=a,
        grantor=resident_a,
        grantee=o.proxy_user,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )

    # Resident A's own records: seeded records of community A handed over to them.
    booking = _first(Booking.objects.filter(community=a, status="active", slot__starts_at__gt=now))
    _give(Booking, booking, resident_a)
    o.booking = Booking.objects.get(pk=booking.pk)
    case = _first(Case.objects.filter(community=a, status__in=[Case.Status.SUBMITTED, Case.Status.IN_PROGRESS]))
    _give(Case, case, resident_a)
    o.case = Case.objects.get(pk=case.pk)
    o.attachment = CaseAttachment.objects.create(
        case=o.case,
        file=ContentFile(b"%PDF-1.4 test", name="scan.pdf"),
        original_name="scan.pdf",
        content_type="application/pdf",
        size=13,
    )
    health_file = HealthFile.objects.filter(resident=resident_a).first()
    if health_file is None:
        health_file = _first(HealthFile.objects.filter(community=a, consent__withdrawn_at__isnull=True))
        HealthFile.objects.filter(resident=resident_a).delete()
        HealthFile.objects.filter(pk=health_file.pk).update(resident=resident_a)
        HealthConsent.objects.filter(pk=health_file.consent_id).update(resident=resident_a)
    o.health_file = HealthFile.objects.get(pk=health_file.pk)
    o.checkup_slot = _first(CheckupSlot.objects.filter(campaign__community=a))
    o.campaign = o.checkup_slot.campaign
    checkup_booking = _first(CheckupBooking.objects.filter(slot__campaign__community=a, status="active"))
    _give(CheckupBooking, checkup_booking, resident_a)
    o.checkup_booking = checkup_booking
    o.room = _first(Room.objects.filter(community=a))
    room_booking = _first(RoomBooking.objects.filter(room__community=a, status="active"))
    RoomBooking.objects.filter(pk=room_booking.pk).update(resident=resident_a, team=None)
    o.room_booking = room_booking
    o.culture_class = _first(CultureClass.objects.filter(community=a))
    enrolment = _first(ClassEnrolment.objects.filter(klass__community=a, status="active"))
    _give(ClassEnrolment, enrolment, resident_a)
    o.enrolment = enrolment
    o.class_session = _first(ClassSession.objects.filter(klass__community=a))
    o.culture_team = _first(CultureTeam.objects.filter(community=a))
    o.event = _first(StationEvent.objects.published().filter(community=a))
    registration = _first(EventRegistration.objects.filter(event__community=a, status="active"))
    _give(EventRegistration, registration, resident_a)
    o.registration = registration
    from services.models import PropertyAppraisal, Repair

    repair = _first(Repair.objects.filter(community=a, status=Repair.Status.DISPATCHED))
    _give(Repair, repair, resident_a)
    o.repair = Repair.objects.get(pk=repair.pk)
    o.property_appraisal = _first(PropertyAppraisal.objects.order_by("-starts_on"))

    o.item = _first(ServiceItem.objects.active().filter(community=a, counter__isnull=False))
    o.slot = _first(Slot.objects.filter(counter_id=o.item.counter_id, starts_at__gt=now))
    o.counter = _first(Counter.objects.filter(community=a))
    o.desk_booking = _first(Booking.objects.filter(community=a).exclude(pk=o.booking.pk))

    o.building = _first(Building.objects.filter(community=a))
    o.contact = _first(ContactPerson.objects.filter(community=a))
    o.notice = _first(Notice.objects.filter(community=a))
    o.appraisal = _first(Appraisal.objects.filter(community=a))
    o.nomination = _first(Nomination.objects.filter(appraisal=o.appraisal))
    Nomination.objects.filter(pk=o.nomination.pk).update(status=Nomination.Status.ACCEPTED)
    o.nomination.refresh_from_db()
    o.nomination.photo.save("n.png", ContentFile(_png()), save=True)
    o.indicator_entry = _first(IndicatorEntry.objects.filter(community=a, rubric__year=now.year))
    o.indicator_entry.attachment.save("roster.png", ContentFile(_png()), save=True)
    o.event_photo = EventPhoto(event=o.event, caption="合影")
    o.event_photo.image.save("e.png", ContentFile(_png()), save=False)
    o.event_photo.width, o.event_photo.height = 40, 60  # Django reads no size from a ContentFile
    o.event_photo.save()
    o.event_photo.thumbnail.save("t.jpg", ContentFile(_png()), save=True)

    o.activity = _first(Activity.objects.filter(community=a))
    o.signup = _first(SignUp.objects.filter(volunteer=volunteer))
    o.other_signup = _first(SignUp.objects.filter(activity__community=a).exclude(volunteer=volunteer))
    o.applicant = Volunteer.objects.filter(community=a, status=Volunteer.Status.APPLIED).order_by("pk").first()
    if o.applicant is None:
        o.applicant = _first(Volunteer.objects.filter(community=a).exclude(pk=volunteer.pk))
    o.badge = Badge.objects.create(
        volunteer=volunteer, status=Badge.Status.READY, image=ContentFile(_png(), name="badge.png")
    )
    from volunteers.badges import badge_token

    o.badge_token = badge_token(o.badge)
    o.person_served = _first(PersonServed.objects.filter(community=a))

    o.council = _first(Council.objects.filter(community=a))
    o.meeting = _first(Meeting.objects.filter(council__community=a))
    o.published_minutes = _first(Minutes.objects.filter(meeting__council__community=a, status="published"))
    o.draft_minutes = (
        Minutes.objects.filter(meeting__council__community=a).exclude(status="published").order_by("pk").first()
        or o.published_minutes
    )
    o.resolution = _first(Resolution.objects.public().filter(community=a))
    o.suggestion = _first(Suggestion.objects.filter(community=a))
    Suggestion.objects.filter(pk=o.suggestion.pk).update(proposer=resident_a.user)
    o.suggestion.refresh_from_db()
    o.suggestion.photo.save("s.png", ContentFile(_png()), save=True)
    # A file of each kind on the public records above (private storage; served by the views of the matrix).
    o.minutes_file = MinutesAttachment.objects.create(
        minutes=o.published_minutes, file=ContentFile(_png(), name="m.png"), caption="签到表"
    )
    o.progress = ResolutionProgress.objects.create(
        resolution=o.resolution, text="已完成", photo=ContentFile(_png(), name="p.png")
    )
    _meeting_room(o, a, resident_a, now)
    # A comment of resident B on the suggestion, with a reply of resident A, reported by resident A.
    from councils.models import Comment, CommentReport

    o.comment = Comment.objects.create(
        community=a, suggestion=o.suggestion, author=resident_b.user, text="同意这个建议"
    )
    Comment.objects.create(community=a, suggestion=o.suggestion, author=resident_a.user, text="附议", parent=o.comment)
    CommentReport.objects.create(comment=o.comment, reporter=resident_a.user, reason="广告")
    # Surveys: the demo community's open survey (answered on its page) and one with published results.
    o.survey = _first(Survey.objects.filter(community=a, status=Survey.Status.OPEN))
    o.survey_question = _first(o.survey.questions.all())
    o.published_survey = _first(Survey.objects.filter(community=a, status=Survey.Status.PUBLISHED))
    _grids(o, a)
    _stationed(o, a, resident_a)
    return o


def _grids(o, a) -> None:
    """Grid work of A: a household of a grid, a visit and a patrol with an issue not yet handed over, a photo."""
    from residents.models import HomeVisit, Household, Patrol, PatrolPhoto

    o.grid_household = _first(Household.objects.filter(community=a, building__grid__isnull=False))
    o.visit = HomeVisit.objects.create(
        community=a, household=o.grid_household, kind=HomeVisit.Kind.RETIREE, notes="走访", issue="楼道灯坏"
    )
    o.patrol = Patrol.objects.create(
        community=a, grid=o.grid_household.building.grid, location="北门", issue="井盖松动"
    )
    o.patrol_photo = PatrolPhoto.objects.create(
        patrol=o.patrol, image=ContentFile(_png(), name="p.png"), content_type="image/png"
    )


def _stationed(o, a, resident_a) -> None:
    """在职党员报到 and 微心愿: resident A's account is a stationed member who reported in this year (confirmed) and
    resident A has a wish confirmed fulfilled (to thank); a report-in waiting, an open wish, a post, a summary of A."""
    from volunteers.models import DutyPost, StationedReport, UnitSummary, Wish

    member_report = _first(
        StationedReport.objects.filter(community=a, status="confirmed", year=timezone.localdate().year)
    )
    StationedReport.objects.filter(pk=member_report.pk).update(user=resident_a.user)
    o.stationed_member = member_report.member
    o.stationed_report = _first(StationedReport.objects.filter(community=a, status="submitted"))
    o.wish = _first(Wish.objects.filter(community=a, status="published"))
    o.my_wish = _first(Wish.objects.filter(community=a, status="confirmed"))
    _give(Wish, o.my_wish, resident_a)
    o.duty_post = _first(DutyPost.objects.filter(community=a))
    o.unit_summary = _first(UnitSummary.objects.filter(community=a))


def _meeting_room(o, a, resident_a, now) -> None:
    """A meeting of A's 议事会 in session: resident A sits on it (present, with their phone), another member has no
    account; an item with an open vote and a member waiting to speak."""
    import datetime as dt

    from councils.models import AgendaItem, Attendance, Council, CouncilMember, Meeting, Motion, Speaker

    council = _first(Council.objects.filter(community=a, kind=Council.Kind.DELIBERATION))
    o.room_meeting = Meeting.objects.create(
        council=council,
        title="表决演示会",
        starts_at=now - dt.timedelta(hours=1),
        status=Meeting.Status.HELD,
        members_count=2,
        quorum_percent=50,
    )
    o.room_item = AgendaItem.objects.create(meeting=o.room_meeting, order=1, title="楼道灯改造")
    seat = CouncilMember.objects.create(
        council=council,
        role=CouncilMember.Role.RESIDENT_REP,
        name=resident_a.name,
        resident=resident_a,
        user=resident_a.user,
        term_start=now.date() - dt.timedelta(days=30),
    )
    o.paper_member = CouncilMember.objects.create(
        council=council,
        role=CouncilMember.Role.RESIDENT_REP,
        name="无账号代表",
        term_start=now.date() - dt.timedelta(days=30),
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=o.room_meeting, member=m, present=True) for m in (seat, o.paper_member)]
    )
    o.motion = Motion.objects.create(
        agenda_item=o.room_item, text="楼道灯全部换成声控灯。", status=Motion.Status.OPEN, opened_at=now
    )
    o.speaker = Speaker.objects.create(agenda_item=o.room_item, member=o.paper_member)
