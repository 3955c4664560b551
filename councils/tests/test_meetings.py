"""Meetings: calling them, notices a set number of days ahead, the rhythm planned by beat, the cadence view."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from councils import actions, tasks
from councils.cadence import cadence_for
from councils.models import Meeting
from councils.tests.factories import MeetingFactory, MemberFactory


def test_the_beat_task_plans_the_next_regular_meeting_once_and_reminds_the_convenor(councils, convenor, director):
    assert tasks.plan_regular_meetings() == 3
    assert tasks.plan_regular_meetings() == 0  # idempotent
    drafts = Meeting.objects.filter(status=Meeting.Status.DRAFT, kind=Meeting.Kind.REGULAR)
    assert drafts.count() == 3
    assert all(m.starts_at > timezone.now() for m in drafts)
    assert convenor.notifications.count() == 2 and director.notifications.count() == 1  # 2 councils vs 1


def test_a_scheduled_meetings_notice_goes_to_members_when_due(council, make_user, community, secretary):
    member_user = make_user(community=community)
    MemberFactory(council=council, user=member_user)
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=10))
    assert tasks.send_due_notices() == 0  # 10 days ahead, notice 3 days ahead
    meeting.starts_at = timezone.now() + dt.timedelta(days=2)
    meeting.save()
    assert tasks.send_due_notices() >= 1
    assert member_user.notifications.filter(title__contains=meeting.title).count() == 1
    assert tasks.send_due_notices() == 0  # sent once


def test_an_emergency_meeting_notifies_at_once(client, council, make_user, community, secretary):
    member_user = make_user(community=community)
    MemberFactory(council=council, user=member_user)
    client.force_login(secretary)
    starts = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("councils:meeting_create", args=[council.pk]),
        {"kind": "emergency", "title": "暴雪应急议事", "starts_at": starts, "place": "社区议事厅"},
    )
    meeting = Meeting.objects.get(title="暴雪应急议事")
    assert response.status_code == 302 and meeting.notice_sent_at is not None
    assert member_user.notifications.filter(title__contains="暴雪应急议事").exists()


def test_a_bad_meeting_time_keeps_the_form(client, council, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("councils:meeting_create", args=[council.pk]),
        {"kind": "ad_hoc", "title": "临时会", "starts_at": "soon"},
    )
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors
    assert 'value="临时会"' in response.content.decode()


def test_staff_record_attendance_in_the_browser(client, meeting, secretary):
    client.force_login(secretary)
    members = list(meeting.council.members.values_list("pk", flat=True))
    client.post(reverse("councils:attendance", args=[meeting.pk]), {"present": members[:5]})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.quorum().present == 5


def test_cadence_counts_held_against_due(council):
    council.created_at = timezone.now() - dt.timedelta(days=800)
    council.save()
    today = timezone.localdate()
    last_quarter_start, _ = council.period_of(today.replace(day=1) - dt.timedelta(days=100))
    MeetingFactory(
        council=council,
        status=Meeting.Status.HELD,
        starts_at=timezone.make_aware(dt.datetime.combine(last_quarter_start + dt.timedelta(days=20), dt.time(9))),
    )
    [cadence] = cadence_for([council])
    assert cadence.held == 1
    assert cadence.due == len(cadence.periods) - 1
    assert sum(1 for p in cadence.periods if p.missed) == cadence.due - 1


def test_an_election_turns_the_winners_into_representatives(council, secretary, meeting):
    from councils.models import CouncilMember, Nomination

    names = ["甲", "乙", "丙"]
    nominations = [
        actions.nomination_create(council=council, by=secretary, role="resident_rep", nominee=n, method="election")
        for n in names
    ]
    actions.nomination_create(
        council=council,
        by=secretary,
        role="resident_rep",
        nominee="丁",
        method="joint",
        co_signers="\n".join(f"居民{i}" for i in range(5)),
    )
    winners = actions.election_record(
        meeting=meeting,
        votes={nominations[0].pk: 30, nominations[1].pk: 12, nominations[2].pk: 25},
        seats=2,
        by=secretary,
    )
    assert sorted(w.name for w in winners) == ["丙", "甲"]
    assert all(w.chosen_by == CouncilMember.Chosen.ELECTION and w.term_end for w in winners)
    assert Nomination.objects.get(nominee="乙").status == Nomination.Status.NOT_ELECTED


def test_a_joint_nomination_needs_its_co_signers(council, secretary):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.nomination_create(
            council=council, by=secretary, role="resident_rep", nominee="戊", method="joint", co_signers="一人"
        )


def test_the_beat_task_plans_this_periods_meeting_when_none_was_held(council):
    from councils.actions import meeting_plan_next_regular

    today = dt.date(2026, 11, 2)  # Q4, nothing held yet, time for the notice
    meeting = meeting_plan_next_regular(council=council, today=today)
    assert council.period_of(timezone.localtime(meeting.starts_at).date()) == council.period_of(today)
    later = dt.date(2026, 12, 25)  # too late in the quarter: the next one
    meeting.delete()
    meeting = meeting_plan_next_regular(council=council, today=later)
    assert timezone.localtime(meeting.starts_at).date() >= dt.date(2027, 1, 1)


def test_a_council_set_up_mid_quarter_owes_no_meeting_for_it(council):
    council.created_at = timezone.now() - dt.timedelta(days=200)
    council.save()
    [cadence] = cadence_for([council])
    created = timezone.localtime(council.created_at).date()
    assert cadence.periods[0].start >= created


def test_nominations_and_an_election_in_the_browser(client, council, held_meeting, secretary):
    from councils.models import CouncilMember, Nomination

    client.force_login(secretary)
    url = reverse("councils:nomination_create", args=[council.pk])
    bad = client.post(url, {"role": "resident_rep", "nominee": "钱七", "method": "joint", "co_signers": "张三"})
    assert bad.status_code == 200 and bad.context["form"].errors  # too few co-signers, the text stays
    assert "钱七" in bad.content.decode()
    client.post(url, {"role": "resident_rep", "nominee": "钱七", "method": "joint",
                      "co_signers": "\n".join(f"居民{i}" for i in range(6))})  # fmt: skip
    client.post(url, {"role": "resident_rep", "nominee": "孙八", "method": "election"})
    qian, sun = Nomination.objects.order_by("pk")
    response = client.post(
        reverse("councils:election", args=[held_meeting.pk]),
        {"seats": 1, f"votes_{qian.pk}": 40, f"votes_{sun.pk}": 12},
    )
    assert response.status_code == 302
    assert CouncilMember.objects.filter(name="钱七", chosen_by="election").exists()
    assert Nomination.objects.get(pk=sun.pk).status == "not_elected"


def test_cancelling_a_noticed_meeting_tells_the_members_and_frees_its_suggestions(
    client, council, make_user, community, secretary
):
    from councils.models import Suggestion
    from councils.tests.factories import SuggestionFactory

    member_user = make_user(community=community)
    MemberFactory(council=council, user=member_user)
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=1))
    suggestion = SuggestionFactory(community=community)
    actions.agenda_item_add(meeting=meeting, title=suggestion.title, suggestion=suggestion, by=secretary)
    actions.meeting_send_notice(meeting=meeting)
    client.force_login(secretary)
    client.post(reverse("councils:meeting_cancel", args=[meeting.pk]), {"reason": "暴雪"})
    meeting.refresh_from_db()
    suggestion.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert member_user.notifications.filter(body="暴雪").exists()
    assert suggestion.status == Suggestion.Status.ACCEPTED  # can go on another agenda


def test_the_joint_councils_page_totals_pledges_per_unit_and_year(client, councils, secretary, community):
    from councils.models import Council
    from residents.tests.factories import StationedUnitFactory

    joint = councils[Council.Kind.JOINT]
    school, bank = (
        StationedUnitFactory(community=community, name="沧县实验学校"),
        StationedUnitFactory(community=community, name="农行"),
    )
    client.force_login(secretary)
    url = reverse("councils:pledge_create", args=[joint.pk])
    for unit, kind, amount in [(school, "room", 500), (school, "room", 340), (bank, "supplies", 20000)]:
        client.post(
            url,
            {
                "unit": unit.pk,
                "kind": kind,
                "description": "共建",
                "year": 2025,
                "pledged": amount,
                "delivered": amount,
            },
        )
    bad = client.post(
        url, {"unit": bank.pk, "kind": "funds", "description": "x", "year": 2025, "pledged": 10, "delivered": 999}
    )
    assert bad.status_code == 200 and "delivered" in bad.context["form"].errors
    page = client.get(reverse("councils:council", args=[joint.pk])).content.decode()
    assert ">840<" in page and ("20000" in page or "20,000" in page)  # zh-hans: no thousands separator


def test_a_government_department_pledges_without_a_unit_and_the_ledger_names_it(client, councils, secretary, community):
    """The source raised its 297万元 from the units and from government departments (争取政府部门帮助)."""
    from councils.models import Council, ResourcePledge
    from residents.tests.factories import StationedUnitFactory

    joint = councils[Council.Kind.JOINT]
    bank = StationedUnitFactory(community=community, name="农行")
    client.force_login(secretary)
    url = reverse("councils:pledge_create", args=[joint.pk])
    fields = {"kind": "funds", "description": "修筑街巷", "year": 2025, "pledged": 990000, "delivered": 990000}
    assert client.post(url, {**fields, "donor": "新华区住房和城乡建设局"}).status_code == 302
    for both_or_neither in ({"unit": bank.pk, "donor": "新华区住房和城乡建设局"}, {}):
        bad = client.post(url, {**fields, **both_or_neither})
        assert bad.status_code == 200 and "unit" in bad.context["form"].errors
    pledge = ResourcePledge.objects.get(council=joint)
    assert pledge.unit is None and pledge.giver == "新华区住房和城乡建设局"
    page = client.get(reverse("councils:council", args=[joint.pk])).content.decode()
    assert "新华区住房和城乡建设局" in page


def test_a_meeting_is_recorded_only_once_it_has_started(council, secretary):
    """Attendance (which marks the meeting held) and minutes wait for the meeting's start."""
    import pytest
    from django.core.exceptions import ValidationError

    next_week = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=7))
    members = list(council.members.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        actions.attendance_record(meeting=next_week, present_member_ids=members, by=secretary)
    assert refused.value.code == "future"
    with pytest.raises(ValidationError):
        actions.minutes_start(meeting=next_week, by=secretary)
    next_week.refresh_from_db()
    assert next_week.status != Meeting.Status.HELD and not hasattr(next_week, "minutes")


def test_a_meeting_whose_start_has_passed_cannot_be_called(council, secretary, make_user, community):
    import pytest
    from django.core.exceptions import ValidationError

    from portal.core.models import Notification

    MemberFactory(council=council, user=make_user(community=community))
    past = MeetingFactory(
        council=council, status=Meeting.Status.DRAFT, starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    with pytest.raises(ValidationError) as refused:
        actions.meeting_schedule(meeting=past, by=secretary)
    assert "starts_at" in refused.value.message_dict
    past.refresh_from_db()
    assert past.status == Meeting.Status.DRAFT and past.notice_sent_at is None
    assert not Notification.objects.exists()


def test_a_notice_without_an_agenda_says_it_follows(council, secretary, make_user, community):
    from portal.core.models import Notification

    member = make_user(community=community)
    MemberFactory(council=council, user=member)
    soon = MeetingFactory(
        council=council, status=Meeting.Status.SCHEDULED, starts_at=timezone.now() + dt.timedelta(hours=3)
    )
    actions.meeting_send_notice(meeting=soon, by=secretary)
    body = Notification.objects.get(recipient=member).body
    assert body.endswith("议题：另行通知")


def test_a_held_meetings_quorum_keeps_the_rule_it_was_held_under(held_meeting):
    """Six of nine present, more than half needed: reached. A stricter rule set later changes nothing."""
    before = held_meeting.quorum()
    assert before.reached and before.percent == held_meeting.council.quorum_percent
    council = held_meeting.council
    council.quorum_percent = 80
    council.save()
    held_meeting.refresh_from_db()
    after = Meeting.objects.get(pk=held_meeting.pk).quorum()
    assert after == before
