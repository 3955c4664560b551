"""Hour arithmetic: actual times, across midnight, corrections logged; star levels by total hours."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from portal.core.models import AuditLog
from volunteers import actions
from volunteers.models import HourCorrection, Volunteer, hours_between, span, star_level
from volunteers.models.activities import time_after
from volunteers.tests.factories import ActivityFactory, SignUpFactory

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def test_hours_between_two_times_on_one_day():
    assert hours_between(at(2026, 5, 1, 9), at(2026, 5, 1, 12, 30)) == Decimal("3.50")


def test_hours_across_midnight_count_from_the_evening_to_the_morning():
    assert hours_between(at(2026, 12, 31, 22), at(2027, 1, 1, 1, 30)) == Decimal("3.50")


def test_hours_are_rounded_to_hundredths():
    assert hours_between(at(2026, 5, 1, 9), at(2026, 5, 1, 9, 20)) == Decimal("0.33")


def test_end_before_start_is_an_error():
    with pytest.raises(ValueError):
        hours_between(at(2026, 5, 1, 12), at(2026, 5, 1, 9))


def test_span_of_a_night_patrol_ends_the_next_day():
    start, end = span(dt.date(2026, 2, 28), dt.time(22, 0), dt.time(2, 0))
    assert start == at(2026, 2, 28, 22) and end == at(2026, 3, 1, 2)
    assert hours_between(start, end) == Decimal("4.00")


def test_a_time_of_day_after_a_check_in_late_at_night_is_the_next_day():
    assert time_after(at(2026, 5, 1, 22), dt.time(1, 30)) == at(2026, 5, 2, 1, 30)
    assert time_after(at(2026, 5, 1, 9), dt.time(12, 0)) == at(2026, 5, 1, 12)


@pytest.mark.django_db
def test_night_patrol_check_in_and_out_by_time_of_day_credits_hours_across_midnight(director, community):
    activity = ActivityFactory(community=community, start_time=dt.time(22), end_time=dt.time(1, 30))
    assert activity.crosses_midnight and activity.planned_hours == Decimal("3.50")
    signup = SignUpFactory(activity=activity)
    actions.signup_check_in(signup=signup, by=director, at=dt.time(21, 55))
    signup = actions.signup_check_out(signup=signup, by=director, at=dt.time(1, 40))
    assert signup.hours == Decimal("3.75")
    assert signup.checked_out_at.date() == activity.date + dt.timedelta(days=1)
    assert signup.hours_confirmed_at is None  # still to confirm


@pytest.mark.django_db
def test_check_in_just_after_midnight_of_a_night_activity_is_on_the_next_day(director, community):
    activity = ActivityFactory(community=community, start_time=dt.time(23), end_time=dt.time(3))
    signup = actions.signup_check_in(signup=SignUpFactory(activity=activity), by=director, at=dt.time(0, 15))
    assert signup.checked_in_at == dt.datetime.combine(activity.date + dt.timedelta(days=1), dt.time(0, 15), SH)


@pytest.mark.django_db
def test_check_out_needs_check_in_first(director, community):
    with pytest.raises(ValidationError):
        actions.signup_check_out(signup=SignUpFactory(activity__community=community), by=director)


@pytest.mark.django_db
def test_hours_count_only_once_confirmed(director, community):
    signup = SignUpFactory(activity__community=community)
    actions.signup_check_in(signup=signup, by=director, at=dt.time(9))
    actions.signup_check_out(signup=signup, by=director, at=dt.time(12))
    volunteer = Volunteer.objects.with_hours().get(pk=signup.volunteer_id)
    assert volunteer.total_hours == 0
    actions.signup_confirm_hours(signup=signup, by=director)
    volunteer = Volunteer.objects.with_hours().get(pk=signup.volunteer_id)
    assert volunteer.total_hours == Decimal("3.00")


@pytest.mark.django_db
def test_correction_logs_who_old_new_and_why_and_counts_as_confirmed(director, community):
    signup = SignUpFactory(activity__community=community)
    actions.signup_check_in(signup=signup, by=director, at=dt.time(9))
    actions.signup_check_out(signup=signup, by=director, at=dt.time(10))
    correction = actions.signup_correct_hours(
        signup=signup, by=director, hours=Decimal("3.5"), reason="忘记签退，实际服务到12:30"
    )
    assert (correction.corrected_by, correction.old_hours, correction.new_hours) == (
        director,
        Decimal("1.00"),
        Decimal("3.5"),
    )
    signup.refresh_from_db()
    assert signup.hours == Decimal("3.50") and signup.hours_confirmed_by == director
    second = actions.signup_correct_hours(signup=signup, by=director, hours=Decimal(3), reason="复核")
    assert second.old_hours == Decimal("3.50")
    assert HourCorrection.objects.filter(signup=signup).count() == 2


@pytest.mark.django_db
def test_correction_needs_a_reason_and_sane_hours(director, community):
    signup = SignUpFactory(activity__community=community)
    with pytest.raises(ValidationError):
        actions.signup_correct_hours(signup=signup, by=director, hours=Decimal(3), reason=" ")
    with pytest.raises(ValidationError):
        actions.signup_correct_hours(signup=signup, by=director, hours=Decimal(25), reason="x")


@pytest.mark.django_db
def test_confirmed_hours_cannot_be_changed_by_a_new_check_out(director, community):
    signup = SignUpFactory(activity__community=community)
    actions.signup_check_in(signup=signup, by=director, at=dt.time(9))
    actions.signup_check_out(signup=signup, by=director, at=dt.time(11))
    actions.signup_confirm_hours(signup=signup, by=director)
    with pytest.raises(ValidationError):
        actions.signup_check_out(signup=signup, by=director, at=dt.time(12))


@pytest.mark.parametrize(
    ("hours", "stars"),
    [
        (0, 0),
        (Decimal("99.99"), 0),
        (100, 1),
        (Decimal("299.75"), 1),
        (300, 2),
        (599, 2),
        (600, 3),
        (999, 3),
        (1000, 4),
        (1499, 4),
        (1500, 5),
        (9000, 5),
        (None, 0),
    ],
)
def test_star_levels_follow_the_national_thresholds(hours, stars):
    assert star_level(hours) == stars


@pytest.mark.django_db
def test_each_step_of_the_coordinator_on_a_signup_is_audited(director, community):
    activity = ActivityFactory(community=community, start_time=dt.time(9), end_time=dt.time(12))
    signup = SignUpFactory(activity=activity)
    actions.signup_check_in(signup=signup, by=director, at=dt.time(9))
    actions.signup_check_out(signup=signup, by=director, at=dt.time(11, 30))
    actions.signup_confirm_hours(signup=signup, by=director)
    actions.signup_confirm_hours(signup=signup, by=director)  # confirmed already: nothing written, nothing logged
    logged = AuditLog.objects.filter(object_type="volunteers.signup", object_id=str(signup.pk)).order_by("pk")
    assert list(logged.values_list("action", flat=True)) == ["signup_check_in", "signup_check_out", "hours_confirm"]
    assert {(row.actor_id, row.community_id) for row in logged} == {(director.pk, community.pk)}
