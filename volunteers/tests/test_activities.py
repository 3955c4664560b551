"""Sign-up and cancel on the seat primitive; check-in and check-out by the coordinator on the roster page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core.capacity import Outcome
from volunteers import actions
from volunteers.models import SignUp
from volunteers.tests.factories import ActivityFactory, SignUpFactory, TeamFactory, VolunteerFactory


def test_volunteer_signs_up_and_cancels_in_the_browser(client, volunteer_user, community):
    activity = ActivityFactory(community=community, capacity=2)
    client.force_login(volunteer_user)
    client.post(reverse("volunteers:activity_signup", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.seats_taken == 1
    signup = SignUp.objects.get(activity=activity)
    page = client.get(reverse("volunteers:activity_detail", args=[activity.pk]))
    assert b"cancel-signup" in page.content
    client.post(reverse("volunteers:signup_cancel", args=[signup.pk]))
    activity.refresh_from_db()
    assert activity.seats_taken == 0
    assert SignUp.objects.get(pk=signup.pk).status == "cancelled"


def test_a_full_activity_says_so_and_takes_nobody_more(community):
    activity = ActivityFactory(community=community, capacity=1)
    first = actions.signup_create(activity=activity, volunteer=VolunteerFactory(community=community))
    second = actions.signup_create(activity=activity, volunteer=VolunteerFactory(community=community))
    assert first.outcome is Outcome.TAKEN
    assert second.outcome is Outcome.FULL
    activity.refresh_from_db()
    assert activity.seats_taken == 1 and activity.is_full


def test_one_place_per_volunteer(community):
    activity = ActivityFactory(community=community)
    volunteer = VolunteerFactory(community=community)
    actions.signup_create(activity=activity, volunteer=volunteer)
    assert actions.signup_create(activity=activity, volunteer=volunteer).outcome is Outcome.ALREADY
    activity.refresh_from_db()
    assert activity.seats_taken == 1


@pytest.mark.parametrize("status", ["applied", "revoked", "rejected"])
def test_only_approved_volunteers_sign_up(community, status):
    volunteer = VolunteerFactory(community=community, status=status, number="")
    with pytest.raises(ValidationError):
        actions.signup_create(activity=ActivityFactory(community=community), volunteer=volunteer)


def test_no_sign_up_to_another_communitys_activity(community, other_community):
    with pytest.raises(ValidationError):
        actions.signup_create(
            activity=ActivityFactory(community=other_community), volunteer=VolunteerFactory(community=community)
        )


def test_no_sign_up_to_a_past_activity(community):
    activity = ActivityFactory(community=community, date=timezone.localdate() - dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        actions.signup_create(activity=activity, volunteer=VolunteerFactory(community=community))


def test_cannot_cancel_after_check_in(director, community):
    signup = SignUpFactory(activity__community=community)
    actions.signup_check_in(signup=signup, by=director)
    with pytest.raises(ValidationError):
        actions.signup_cancel(signup=signup)


def test_someone_elses_sign_up_cannot_be_cancelled(client, volunteer_user, community):
    signup = SignUpFactory(activity__community=community)
    client.force_login(volunteer_user)
    assert client.post(reverse("volunteers:signup_cancel", args=[signup.pk])).status_code == 404


def test_resident_who_is_not_a_volunteer_cannot_sign_up(client, resident_user, community):
    activity = ActivityFactory(community=community)
    client.force_login(resident_user)
    client.post(reverse("volunteers:activity_signup", args=[activity.pk]))
    assert not SignUp.objects.exists()


def test_coordinator_checks_in_and_out_on_the_roster_and_confirms(client, director, community):
    signup = SignUpFactory(activity__community=community)
    client.force_login(director)
    roster = client.get(reverse("volunteers:roster", args=[signup.activity_id]))
    assert signup.volunteer.resident.name in roster.content.decode()
    client.post(reverse("volunteers:check_in", args=[signup.pk]), {"at": "09:05"})
    client.post(reverse("volunteers:check_out", args=[signup.pk]), {"at": "12:05"})
    signup.refresh_from_db()
    assert str(signup.hours) == "3.00"
    client.post(reverse("volunteers:confirm_hours", args=[signup.pk]))
    signup.refresh_from_db()
    assert signup.hours_confirmed_by == director


def test_correction_through_the_roster_needs_a_reason(client, director, community):
    signup = SignUpFactory(activity__community=community, hours=2)
    client.force_login(director)
    client.post(reverse("volunteers:correct_hours", args=[signup.pk]), {"hours": "3", "reason": ""})
    signup.refresh_from_db()
    assert str(signup.hours) == "2.00"
    client.post(reverse("volunteers:correct_hours", args=[signup.pk]), {"hours": "3", "reason": "补录"})
    signup.refresh_from_db()
    assert str(signup.hours) == "3.00" and signup.corrections.count() == 1


def test_team_leader_runs_the_roster_of_their_team_only(client, leader_user, community):
    own = SignUpFactory(activity__community=community, activity__team=leader_user.led_team)
    other = SignUpFactory(activity__community=community, activity__team=TeamFactory(community=community))
    client.force_login(leader_user)
    assert client.get(reverse("volunteers:roster", args=[own.activity_id])).status_code == 200
    assert client.get(reverse("volunteers:roster", args=[other.activity_id])).status_code == 404
    assert client.post(reverse("volunteers:check_in", args=[other.pk])).status_code == 404


def test_coordinator_of_another_community_gets_404(client, other_director, community):
    signup = SignUpFactory(activity__community=community)
    client.force_login(other_director)
    assert client.get(reverse("volunteers:roster", args=[signup.activity_id])).status_code == 404
    assert client.post(reverse("volunteers:check_in", args=[signup.pk])).status_code == 404


def test_volunteer_sees_confirmed_hours_on_the_statement(client, volunteer_user, director, community):
    volunteer = volunteer_user.resident.volunteer
    signup = SignUpFactory(activity__community=community, volunteer=volunteer)
    actions.signup_check_in(signup=signup, by=director, at=dt.time(9))
    actions.signup_check_out(signup=signup, by=director, at=dt.time(12, 30))
    actions.signup_confirm_hours(signup=signup, by=director)
    client.force_login(volunteer_user)
    page = client.get(reverse("volunteers:my_hours")).content.decode()
    assert "3.50" in page and signup.activity.title in page
    index = client.get(reverse("volunteers:index")).content.decode()
    assert 'id="my-hours">3.50<' in index


def test_coordinator_plans_an_activity_for_their_team(client, leader_user, community):
    client.force_login(leader_user)
    day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        reverse("volunteers:activity_new"),
        {
            "title": "夜间巡逻",
            "team": leader_user.led_team.pk,
            "date": day.isoformat(),
            "start_time": "22:00",
            "end_time": "01:00",
            "place": "海河小区",
            "capacity": "6",
            "skills_wanted": ["patrol"],
        },
    )
    assert response.status_code == 302
    from volunteers.models import Activity

    activity = Activity.objects.get(title="夜间巡逻")
    assert activity.community == community and activity.crosses_midnight and activity.created_by == leader_user


def test_a_leader_cannot_plan_for_another_team(client, leader_user, community):
    other = TeamFactory(community=community)
    client.force_login(leader_user)
    day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        reverse("volunteers:activity_new"),
        {
            "title": "x",
            "team": other.pk,
            "date": day.isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
            "place": "y",
            "capacity": "3",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["team"]


def test_an_activity_in_the_past_is_refused_next_to_the_field(client, director, community):
    team = TeamFactory(community=community)
    client.force_login(director)
    response = client.post(
        reverse("volunteers:activity_new"),
        {
            "title": "x",
            "team": team.pk,
            "date": "2020-01-01",
            "start_time": "09:00",
            "end_time": "10:00",
            "place": "y",
            "capacity": "3",
        },
    )
    assert response.context["form"].errors["date"]
    assert response.context["form"]["title"].value() == "x"


def test_scanning_a_badge_checks_in_then_out(client, director, community, django_capture_on_commit_callbacks):
    from volunteers.models import Badge

    signup = SignUpFactory(activity__community=community)
    with django_capture_on_commit_callbacks(execute=False):
        badge = actions.badge_request(volunteer=signup.volunteer, base_url="http://testserver/")
    badge = Badge.objects.get(pk=badge.pk)
    client.force_login(director)
    url = reverse("volunteers:scan", args=[signup.activity_id])
    assert client.get(url).status_code == 200
    client.post(url, {"code": badge.verify_url})
    signup.refresh_from_db()
    assert signup.checked_in_at is not None and signup.checked_out_at is None
    client.post(url, {"code": signup.volunteer.number})  # typed number works the same
    signup.refresh_from_db()
    assert signup.checked_out_at is not None and signup.hours is not None


def test_scanning_a_revoked_badge_or_a_stranger_is_refused(director, community, other_community):
    from volunteers.models import Badge

    signup = SignUpFactory(activity__community=community)
    badge = Badge.objects.create(volunteer=signup.volunteer, revoked_at=timezone.now())
    from volunteers.badges import verification_url

    with pytest.raises(ValidationError):
        actions.signup_scan(activity=signup.activity, by=director, code=verification_url(badge, "http://x/"))
    with pytest.raises(ValidationError):
        actions.signup_scan(
            activity=signup.activity, by=director, code=VolunteerFactory(community=other_community).number
        )
    with pytest.raises(ValidationError):  # a volunteer who did not sign up
        actions.signup_scan(activity=signup.activity, by=director, code=VolunteerFactory(community=community).number)


def test_capacity_below_places_taken_is_refused_in_admin(client, director, community):
    activity = ActivityFactory(community=community, capacity=3)
    for _ in range(2):
        actions.signup_create(activity=activity, volunteer=VolunteerFactory(community=community))
    activity.refresh_from_db()
    activity.capacity = 1
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert "capacity" in exc.value.message_dict


def test_a_bad_time_on_the_roster_is_reported_not_taken_as_now(client, director, community):
    signup = SignUpFactory(activity__community=community)
    client.force_login(director)
    response = client.post(reverse("volunteers:check_in", args=[signup.pk]), {"at": "25:99"})
    signup.refresh_from_db()
    assert signup.checked_in_at is None
    # The roster again, with the time as typed and the reason next to it.
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="at-{signup.pk}_error"' in html and 'value="25:99"' in html
