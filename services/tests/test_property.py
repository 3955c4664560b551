"""物业进社区: promises of the property hotline's repairs, who may move and rate them, the scoping of a property
company's staff, the cleaner quota, and the appraisal's arithmetic and publication."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core import roles
from portal.core.locks import is_locked
from portal.core.models import Notification
from residents.tests.factories import BuildingFactory
from services.hall.models import Case
from services.property import actions
from services.property.metrics import property_coverage, repairs_within_promise
from services.property.models import (
    PropertyAppraisal,
    PropertyCompany,
    PropertyCoverage,
    PropertyInspection,
    PropertyStaff,
    Repair,
)


@pytest.fixture
def building(resident):
    return resident.household.building


@pytest.fixture
def company(community, building):
    company = PropertyCompany.objects.create(
        community=community, name="安居物业", hotline="0317-2151234", arrive_hours=2, fix_hours=24
    )
    PropertyCoverage.objects.create(company=company, building=building)
    return company


@pytest.fixture
def other_company(community):
    return PropertyCompany.objects.create(community=community, name="惠民物业", hotline="0317-2156789")


@pytest.fixture
def property_staff(make_user, community, company):
    user = make_user(roles.PROPERTY_STAFF, community)
    PropertyStaff.objects.create(company=company, user=user)
    return user


@pytest.fixture
def other_property_staff(make_user, community, other_company):
    user = make_user(roles.PROPERTY_STAFF, community)
    PropertyStaff.objects.create(company=other_company, user=user)
    return user


def report(community, building, by, resident=None, source=Case.Source.PHONE, **kwargs):
    return actions.repair_report(community, building, Repair.Kind.WATER, "水管爆裂", source, by, resident, **kwargs)


def test_a_report_goes_at_once_to_the_courtyards_company_with_its_promise(
    community, building, company, hall_staff, resident, property_staff
):
    before = timezone.now()
    repair = report(community, building, hall_staff, resident, location="2单元301")
    assert repair.status == Repair.Status.DISPATCHED and repair.company == company
    assert repair.arrive_by - repair.dispatched_at == dt.timedelta(hours=2)
    assert repair.fix_by - repair.dispatched_at == dt.timedelta(hours=24)
    assert repair.dispatched_at >= before
    assert repair.source == Case.Source.PHONE and repair.caller == resident.name
    # The resident is told it is received; the company's account of the new repair.
    assert Notification.objects.filter(recipient=resident.user).count() == 1
    assert Notification.objects.filter(recipient=property_staff).count() == 1


def test_a_per_company_promise(community, building, company, hall_staff):
    company.arrive_hours, company.fix_hours = 1, 8
    company.save()
    repair = report(community, building, hall_staff)
    assert repair.fix_by - repair.arrive_by == dt.timedelta(hours=7)


def test_the_fix_promise_cannot_come_before_arrival(company):
    company.fix_hours = 1
    company.arrive_hours = 2
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert "fix_hours" in refused.value.message_dict


def test_a_courtyard_without_a_company_waits_for_dispatch(community, hall_staff, other_company):
    lonely = BuildingFactory(community=community)
    repair = report(community, lonely, hall_staff)
    assert repair.status == Repair.Status.REPORTED and repair.company is None and repair.fix_by is None
    repair = actions.repair_dispatch(repair=repair, company=other_company, by=hall_staff)
    assert repair.status == Repair.Status.DISPATCHED and repair.company == other_company


def test_another_communitys_building_or_a_bad_channel_is_refused(community, other_community, hall_staff, building):
    with pytest.raises(ValidationError):
        report(community, BuildingFactory(community=other_community), hall_staff)
    with pytest.raises(ValidationError) as refused:
        report(community, building, hall_staff, source="carrier-pigeon")
    assert "source" in refused.value.message_dict


def test_the_signature_other_code_calls_with_an_origin(community, building, company, make_user):
    """A grid patrol's finding becomes a repair in one call."""
    patroller = make_user(roles.HALL_STAFF, community)
    repair = actions.repair_report(
        community, building, "electricity", "楼道灯不亮", Case.Source.PATROL, patroller, origin="巡查记录 #12"
    )
    assert repair.origin == "巡查记录 #12" and repair.source == "patrol" and repair.resident is None


def test_the_company_marks_arrived_and_fixed_and_the_resident_hears_each_step(
    community, building, company, hall_staff, resident, property_staff
):
    repair = report(community, building, hall_staff, resident)
    repair = actions.repair_arrive(repair=repair, by=property_staff)
    assert repair.status == Repair.Status.ARRIVED and not repair.late_arrival()
    repair = actions.repair_fix(repair=repair, by=property_staff, note="换了阀门")
    assert repair.status == Repair.Status.FIXED and repair.within_promise is True
    titles = list(Notification.objects.filter(recipient=resident.user).values_list("title", flat=True))
    assert len(titles) == 4  # received, arrived, fixed, please rate


def test_a_fix_past_the_promise_is_not_within_it(community, building, company, hall_staff, property_staff):
    repair = report(community, building, hall_staff)
    Repair.objects.filter(pk=repair.pk).update(
        dispatched_at=timezone.now() - dt.timedelta(hours=30),
        arrive_by=timezone.now() - dt.timedelta(hours=28),
        fix_by=timezone.now() - dt.timedelta(hours=6),
    )
    repair.refresh_from_db()
    assert repair.is_overdue
    assert Repair.objects.overdue().filter(pk=repair.pk).exists()
    repair = actions.repair_fix(repair=repair, by=property_staff)
    assert repair.within_promise is False and not repair.is_overdue


def test_overdue_repairs_are_flagged_once_to_the_company_and_the_director(
    community, building, company, hall_staff, property_staff, director
):
    repair = report(community, building, hall_staff)
    Repair.objects.filter(pk=repair.pk).update(arrive_by=timezone.now() - dt.timedelta(minutes=1))
    assert actions.repairs_flag_overdue() == 1
    assert actions.repairs_flag_overdue() == 0
    repair.refresh_from_db()
    assert repair.overdue_flagged_at is not None
    assert Notification.objects.filter(recipient=director).count() == 1
    assert Notification.objects.filter(recipient=property_staff).count() == 2  # the dispatch, the flag


def test_another_companys_staff_see_and_work_nothing_of_it(
    community, building, company, hall_staff, property_staff, other_property_staff, district_admin
):
    repair = report(community, building, hall_staff)
    assert list(Repair.objects.for_staff(property_staff)) == [repair]
    assert list(Repair.objects.for_staff(other_property_staff)) == []
    assert list(Repair.objects.for_staff(hall_staff)) == [repair]
    assert list(Repair.objects.for_staff(district_admin)) == [repair]
    assert not actions.may_work(other_property_staff, repair)
    with pytest.raises(ValidationError):
        actions.repair_arrive(repair=repair, by=other_property_staff)
    with pytest.raises(ValidationError):
        actions.repair_arrive(repair=repair, by=district_admin)  # the district watches, it does not repair


def test_other_community_staff_see_nothing(community, building, company, hall_staff, other_hall_staff):
    repair = report(community, building, hall_staff)
    assert list(Repair.objects.for_staff(other_hall_staff)) == []
    assert not actions.may_work(other_hall_staff, repair)


def test_company_staff_cannot_dispatch_or_close(community, building, company, hall_staff, property_staff):
    repair = report(community, building, hall_staff)
    with pytest.raises(ValidationError):
        actions.repair_dispatch(repair=repair, company=company, by=property_staff)
    repair = actions.repair_fix(repair=repair, by=property_staff)
    with pytest.raises(ValidationError):
        actions.repair_close(repair=repair, by=property_staff)
    repair = actions.repair_close(repair=repair, by=hall_staff)
    assert repair.status == Repair.Status.CLOSED and is_locked(repair)


def test_the_status_flow_is_kept(community, building, company, hall_staff, property_staff):
    repair = report(community, building, hall_staff)
    with pytest.raises(ValidationError):
        actions.repair_close(repair=repair, by=hall_staff)  # not fixed yet
    repair = actions.repair_fix(repair=repair, by=property_staff)  # fixed on arrival
    assert repair.arrived_at == repair.fixed_at
    with pytest.raises(ValidationError):
        actions.repair_arrive(repair=repair, by=property_staff)


def test_only_the_reporting_resident_rates_once_after_the_fix(
    community, building, company, hall_staff, resident, property_staff, other_resident_user
):
    repair = report(community, building, hall_staff, resident)
    with pytest.raises(ValidationError) as refused:
        actions.repair_rate(repair=repair, by=resident.user, rating=5)
    assert refused.value.code == "status"
    repair = actions.repair_fix(repair=repair, by=property_staff)
    for someone in (other_resident_user, hall_staff, property_staff):
        with pytest.raises(ValidationError) as refused:
            actions.repair_rate(repair=repair, by=someone, rating=1)
        assert refused.value.code == "not_owner"
    with pytest.raises(ValidationError):
        actions.repair_rate(repair=repair, by=resident.user, rating=6)
    repair = actions.repair_rate(repair=repair, by=resident.user, rating=4, comment="来得很快")
    assert repair.rating == 4 and repair.status == Repair.Status.CLOSED and repair.rated_at
    with pytest.raises(ValidationError) as refused:
        actions.repair_rate(repair=repair, by=resident.user, rating=5)
    assert refused.value.code == "rated"


def test_a_repair_reported_without_a_resident_cannot_be_rated(community, building, company, hall_staff, resident):
    repair = actions.repair_fix(repair=report(community, building, hall_staff), by=hall_staff)
    with pytest.raises(ValidationError):
        actions.repair_rate(repair=repair, by=resident.user, rating=5)


def test_the_cleaner_quota_is_one_per_two_buildings():
    assert [PropertyCompany.cleaner_quota(n) for n in (0, 1, 2, 3, 4, 161)] == [0, 1, 1, 2, 2, 81]


# --- the appraisal ---------------------------------------------------------------------------------------------


def test_the_score_weighs_the_parts_and_leaves_out_what_is_missing():
    assert actions.combine(1.0, 5.0, 100) == 100.0
    assert actions.combine(0.5, 4.0, 80) == round((40 * 50 + 30 * 80 + 30 * 80) / 100, 1)  # 68.0
    assert actions.combine(None, None, 90) == 90.0
    assert actions.combine(0.75, None, None) == 75.0
    assert actions.combine(None, None, None) == 0.0


def test_ranks_share_ties(company, other_company):
    third = PropertyCompany.objects.create(community=company.community, name="万家物业", hotline="1")
    scores = [
        actions.CompanyScore(company=c, repairs=0, in_promise=None, average_rating=None, inspection=None, score=s)
        for c, s in ((company, 80.0), (other_company, 90.0), (third, 80.0))
    ]
    ranked = [(s.company.name, s.rank) for s in actions.rank(scores)]
    assert ranked[0] == ("惠民物业", 1) and sorted(ranked[1:]) == [("万家物业", 2), ("安居物业", 2)]


def _fixed(company, building, *, late: bool, rating: int | None, day: dt.date):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return Repair.objects.create(
        community=company.community,
        building=building,
        company=company,
        kind="water",
        description="x",
        status=Repair.Status.CLOSED if rating else Repair.Status.FIXED,
        reported_at=at,
        dispatched_at=at,
        arrive_by=at + dt.timedelta(hours=2),
        fix_by=at + dt.timedelta(hours=24),
        arrived_at=at + dt.timedelta(hours=3 if late else 1),
        fixed_at=at + dt.timedelta(hours=5),
        rating=rating,
    )


def test_a_periods_scores_come_from_repairs_ratings_and_inspections(company, other_company, building):
    day = dt.date(2026, 8, 10)
    _fixed(company, building, late=False, rating=5, day=day)
    _fixed(company, building, late=False, rating=3, day=day)
    _fixed(company, building, late=True, rating=None, day=day)
    _fixed(company, building, late=True, rating=5, day=dt.date(2026, 10, 2))  # another period
    PropertyInspection.objects.create(company=company, inspected_on=day, score=90)
    PropertyInspection.objects.create(company=company, inspected_on=day, score=80)
    PropertyInspection.objects.create(company=other_company, inspected_on=day, score=95)
    scores = actions.compute_scores(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    mine = next(s for s in scores if s.company == company)
    assert mine.repairs == 3 and mine.in_promise == pytest.approx(2 / 3)
    assert mine.average_rating == 4.0 and mine.inspection == 85.0
    assert mine.score == round((40 * 200 / 3 + 30 * 80 + 30 * 85) / 100, 1)  # 76.2
    theirs = next(s for s in scores if s.company == other_company)
    assert theirs.score == 95.0 and theirs.rank == 1 and mine.rank == 2


def test_publishing_is_for_the_district_after_the_period_and_is_final(
    company, building, district_admin, director, resident
):
    appraisal = PropertyAppraisal.objects.create(
        name="2026 Q3", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 9, 30)
    )
    inspection = PropertyInspection.objects.create(company=company, inspected_on=dt.date(2026, 8, 1), score=88)
    with pytest.raises(ValidationError):
        actions.appraisal_publish(appraisal=appraisal, by=director)
    actions.appraisal_publish(appraisal=appraisal, by=district_admin)
    appraisal.refresh_from_db()
    assert appraisal.is_locked and appraisal.scores.get().score == 88.0
    assert is_locked(inspection)  # counted in a published period
    with pytest.raises(ValidationError) as refused:
        actions.appraisal_publish(appraisal=appraisal, by=district_admin)
    assert refused.value.code == "locked"
    current = PropertyAppraisal.objects.create(
        name="now", starts_on=timezone.localdate() - dt.timedelta(days=3), ends_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        actions.appraisal_publish(appraisal=current, by=district_admin)
    assert refused.value.code == "not_ended"


# --- the assessment metrics -------------------------------------------------------------------------------------


def test_the_assessment_metrics(community, company, building, other_community):
    BuildingFactory(community=community)  # not served
    assert property_coverage([community.pk, other_community.pk], 2026) == {community.pk: 0.5}
    _fixed(company, building, late=False, rating=None, day=dt.date(2026, 3, 1))
    _fixed(company, building, late=True, rating=None, day=dt.date(2026, 3, 2))
    assert repairs_within_promise([community.pk], 2026) == {community.pk: 0.5}
    assert repairs_within_promise([community.pk], 2025) == {}
