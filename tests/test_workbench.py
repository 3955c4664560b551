"""The staff workbench (工作台): every staff role lands on it after login and sees live counts of what waits for it;
the district administrator lands on the district overview, residents on 我的. The counts cost a constant number of
queries whatever the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.tests.second_step import sign_in

TODAY = timezone.localdate


def _login(client, user, password):
    return sign_in(client, user, password)["Location"]  # the password, then (staff) the second step


def _tallies(response) -> dict[str, list[int]]:
    return {block.key: [t.count for t in block.tallies] for block in response.context["blocks"]}


def _lands_on_workbench(client, user, password):
    assert _login(client, user, password) == reverse("portal:workbench")
    response = client.get(reverse("portal:workbench"))
    assert response.status_code == 200
    return response


@pytest.fixture
def hall_world(community, other_community, make_user):
    """Cases of every kind that waits, a mediation whose follow-up visit is due, and a resident checked in today."""
    from services.hall.models import Booking, Mediation
    from services.tests.factories import CaseFactory, CounterFactory, SlotFactory

    me = make_user(roles.HALL_STAFF, community)
    colleague = make_user(roles.HALL_STAFF, community)
    today = TODAY()
    CaseFactory(community=community, assignee=me, deadline=today + dt.timedelta(days=5))
    CaseFactory(community=community, assignee=me, deadline=today - dt.timedelta(days=1))  # overdue
    CaseFactory(community=community, deadline=today + dt.timedelta(days=1))  # unassigned, due soon
    CaseFactory(community=community, assignee=colleague, deadline=today + dt.timedelta(days=9))
    CaseFactory(community=community, assignee=me, status="done", deadline=today - dt.timedelta(days=3))
    CaseFactory(community=other_community, deadline=today - dt.timedelta(days=3))  # not ours
    mediation = CaseFactory(community=community, kind="mediation", assignee=me, deadline=today + dt.timedelta(days=9))
    Mediation.objects.create(case=mediation, parties="甲\n乙", follow_up_due=today)
    counter = CounterFactory(community=community, number=1)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    slot = SlotFactory(counter=counter, date=today, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    from services.tests.factories import BookingFactory

    BookingFactory(slot=slot, desk=Booking.Desk.CHECKED_IN, queue_number=1)
    BookingFactory(slot=slot)
    return me


def test_hall_staff_land_on_their_workbench_with_live_counts(client, hall_world, password):
    response = _lands_on_workbench(client, hall_world, password)
    counts = _tallies(response)
    # assigned to me (3 open: two cases and the mediation), unassigned, due soon, overdue
    assert counts["hall.cases"] == [3, 1, 1, 1]
    assert counts["hall.desk"] == [2, 1]  # booked today, waiting at the counters
    assert counts["hall.follow_ups"] == [1]
    html = response.content.decode()
    assert 'id="block-hall-cases"' in html or 'id="block-hall.cases"' in html
    # Each count links to the list of exactly those records, and that list holds as many.
    cases = next(b for b in response.context["blocks"] if b.key == "hall.cases")
    for tally in cases.tallies:
        page = client.get(tally.url)
        assert page.status_code == 200, tally.url
        assert page.context["cl"].result_count == tally.count, tally.label


def test_the_workbench_counts_in_constant_queries(client, hall_world, community, django_assert_max_num_queries):
    from services.tests.factories import CaseFactory

    client.force_login(hall_world)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("portal:workbench"))
    for _ in range(12):
        CaseFactory(community=community, assignee=hall_world, deadline=TODAY() - dt.timedelta(days=2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:workbench"))
    assert _tallies(response)["hall.cases"][3] == 13


def test_health_staff_see_follow_ups_and_consents_to_renew(client, community, make_user, password):
    from residents.tests.factories import ResidentFactory
    from services.health.models import FocusGroup, FollowUpPlan
    from services.tests.factories_stations import HealthConsentFactory, HealthFileFactory

    nurse = make_user(roles.HEALTH_STAFF, community)
    today = TODAY()
    for due in (today - dt.timedelta(days=3), today + dt.timedelta(days=2), today + dt.timedelta(days=30)):
        file = HealthFileFactory(consent__resident=ResidentFactory(community=community))
        FollowUpPlan.objects.create(community=community, file=file, group=FocusGroup.values[0], next_due=due)
    HealthConsentFactory(resident=ResidentFactory(community=community), notice_version="2020-01")
    response = _lands_on_workbench(client, nurse, password)
    assert _tallies(response)["health.follow_ups"] == [1, 1, 1]
    assert "hall.cases" not in _tallies(response)  # shown by permission: a nurse works no cases


def test_culture_staff_see_rooms_and_events(client, community, make_user, password):
    from services.culture.models import RoomBooking
    from services.tests.factories_stations import RoomFactory, StationEventFactory

    staff = make_user(roles.CULTURE_STAFF, community)
    room = RoomFactory(community=community)
    start = timezone.make_aware(dt.datetime.combine(TODAY(), dt.time(19)))
    RoomBooking.objects.create(room=room, starts_at=start, ends_at=start + dt.timedelta(hours=1), purpose="合唱排练")
    later = start + dt.timedelta(days=3)
    RoomBooking.objects.create(room=room, starts_at=later, ends_at=later + dt.timedelta(hours=1), purpose="书法")
    StationEventFactory(community=community)
    response = _lands_on_workbench(client, staff, password)
    counts = _tallies(response)
    assert counts["culture.rooms"] == [1, 2]
    assert counts["events.signups"] == [1, 0]


def test_council_secretary_and_convenor_see_their_minutes_and_suggestions(client, community, make_user, password):
    from councils.models import Minutes, Suggestion
    from councils.tests.factories import CouncilFactory, MeetingFactory, SuggestionFactory

    secretary = make_user(roles.COUNCIL_SECRETARY, community)
    convenor = make_user(roles.BRANCH_SECRETARY, community)
    council = CouncilFactory(community=community, secretary=secretary, convenor=convenor)
    held = timezone.now() - dt.timedelta(days=2)
    Minutes.objects.create(meeting=MeetingFactory(council=council, starts_at=held, status="held"), status="submitted")
    Minutes.objects.create(meeting=MeetingFactory(council=council, starts_at=held, status="held"), status="draft")
    SuggestionFactory.create_batch(2, community=community, status=Suggestion.Status.SUBMITTED)
    counts = _tallies(_lands_on_workbench(client, secretary, password))
    assert counts["councils.minutes"] == [0, 1]  # a secretary approves nothing; one draft to finish
    assert counts["councils.suggestions"] == [2]
    client.logout()
    counts = _tallies(_lands_on_workbench(client, convenor, password))
    assert counts["councils.minutes"] == [1, 0]


def test_ended_surveys_whose_results_wait_show_on_the_workbench(
    client, community, other_community, make_user, password
):
    from councils.models import Survey

    secretary = make_user(roles.COUNCIL_SECRETARY, community)
    now = timezone.now()

    def survey(community, status, ends):
        return Survey.objects.create(
            community=community,
            title="调查",
            status=status,
            opens_at=now - dt.timedelta(days=30),
            closes_at=now + dt.timedelta(days=ends),
        )

    survey(community, Survey.Status.OPEN, -1)  # ended by its time, results waiting
    survey(community, Survey.Status.CLOSED, -3)  # closed early, results waiting
    survey(community, Survey.Status.OPEN, 5)  # still running
    survey(community, Survey.Status.PUBLISHED, -20)  # done
    survey(other_community, Survey.Status.CLOSED, -1)  # not ours
    response = _lands_on_workbench(client, secretary, password)
    assert _tallies(response)["councils.surveys"] == [2]


def test_director_sees_volunteer_applications_and_hours(client, community, make_user, password):
    from volunteers.tests.factories import ActivityFactory, SignUpFactory, VolunteerFactory

    director = make_user(roles.COMMITTEE_DIRECTOR, community)
    VolunteerFactory.create_batch(2, community=community, status="applied")
    SignUpFactory(activity=ActivityFactory(community=community), hours=2)
    counts = _tallies(_lands_on_workbench(client, director, password))
    assert counts["volunteers"] == [2, 1]
    assert "hall.cases" in counts  # the director works cases too


def test_district_lands_on_the_overview_and_residents_on_my_page(client, make_user, resident_user, password):
    district = make_user(roles.DISTRICT_ADMIN)
    assert _login(client, district, password) == reverse("portal:district")
    assert client.get(reverse("portal:workbench"))["Location"] == reverse("portal:district")
    client.logout()
    assert _login(client, resident_user, password) == reverse("portal:my")
    assert client.get(reverse("portal:workbench"))["Location"] == reverse("portal:my")


def test_the_workbench_is_one_tap_from_nav_my_page_and_admin(client, hall_staff):
    client.force_login(hall_staff)
    url = reverse("portal:workbench")
    for page in (reverse("portal:home"), reverse("portal:my"), reverse("admin:index")):
        assert f'href="{url}"' in client.get(page).content.decode(), page
