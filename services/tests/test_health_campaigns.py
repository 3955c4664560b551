"""The retirees' free annual physical: rule, invitations, booking (capacity), attendance and results, no-shows,
report; and focus groups with follow-up plans and the overdue list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.capacity import Outcome
from portal.core.models import Notification
from residents.tests.factories import ResidentFactory
from services.health.actions import (
    campaign_chase_no_shows,
    campaign_invite,
    campaign_report,
    checkup_attendance_record,
    checkup_book,
    follow_up_plans_create,
    follow_up_record,
)
from services.models import CampaignInvitation, CheckupBooking, CheckupRecord, FollowUpPlan
from services.tests.factories_stations import CheckupCampaignFactory, CheckupSlotFactory, HealthFileFactory, at


@pytest.fixture
def campaign(community):
    return CheckupCampaignFactory(community=community)


def test_only_current_retirees_of_the_community_are_invited_and_told(campaign, community, other_community, make_user):
    user = make_user(roles.RESIDENT, community)
    user.resident.is_retiree = True
    user.resident.save()
    ResidentFactory.create_batch(2, community=community, is_retiree=True)
    ResidentFactory(community=community, is_retiree=False)
    ResidentFactory(community=community, is_retiree=True, moved_out_on=dt.date(2020, 1, 1))
    ResidentFactory(community=other_community, is_retiree=True)
    assert campaign_invite(campaign=campaign, by=None) == 3
    assert campaign_invite(campaign=campaign, by=None) == 0  # nobody twice
    assert Notification.objects.filter(recipient=user).count() == 1


def test_an_invited_resident_books_one_slot_and_a_full_slot_says_so(campaign, community):
    slot = CheckupSlotFactory(campaign=campaign, capacity=1)
    other_slot = CheckupSlotFactory(campaign=campaign, starts_at=at(4, 8), ends_at=at(4, 9))
    first, second = ResidentFactory.create_batch(2, community=community, is_retiree=True)
    campaign_invite(campaign=campaign, by=None)
    assert checkup_book(slot=slot, resident=first).outcome is Outcome.TAKEN
    assert checkup_book(slot=slot, resident=second).outcome is Outcome.FULL
    with pytest.raises(ValidationError, match="您已预约本次查体"):
        checkup_book(slot=other_slot, resident=first)


def test_an_uninvited_resident_cannot_book(campaign, community):
    slot = CheckupSlotFactory(campaign=campaign)
    with pytest.raises(ValidationError, match="只有受邀居民"):
        checkup_book(slot=slot, resident=ResidentFactory(community=community))


def test_results_go_into_the_file_only_with_consent(campaign, community, health_staff):
    slot = CheckupSlotFactory(campaign=campaign)
    with_file = HealthFileFactory(consent__resident__community=community, consent__resident__is_retiree=True)
    without = ResidentFactory(community=community, is_retiree=True)
    campaign_invite(campaign=campaign, by=None)
    a = checkup_book(slot=slot, resident=with_file.resident).seat
    b = checkup_book(slot=slot, resident=without).seat
    checkup_attendance_record(booking=a, attended=True, results="血压偏高", by=health_staff)
    assert CheckupRecord.objects.get().file == with_file
    with pytest.raises(ValidationError):
        checkup_attendance_record(booking=b, attended=True, results="血糖正常", by=health_staff)
    checkup_attendance_record(booking=b, attended=True, by=health_staff)
    b.refresh_from_db()
    assert b.attended is True and CheckupRecord.objects.count() == 1


def test_no_shows_are_chased_once_and_the_report_counts(campaign, community, make_user):
    past = CheckupSlotFactory(campaign=campaign)
    came, missed = (make_user(roles.RESIDENT, community) for _ in range(2))
    for user in (came, missed):
        user.resident.is_retiree = True
        user.resident.save()
    ResidentFactory(community=community, is_retiree=True)  # invited, never books
    campaign_invite(campaign=campaign, by=None)
    checkup_book(slot=past, resident=came.resident)
    checkup_book(slot=past, resident=missed.resident)
    CheckupBooking.objects.filter(resident=came.resident).update(attended=True)
    later = past.ends_at + dt.timedelta(hours=1)
    assert campaign_chase_no_shows(campaign=campaign, now=later) == 1
    assert campaign_chase_no_shows(campaign=campaign, now=later) == 0
    assert Notification.objects.filter(recipient=missed).count() == 2  # the invitation and one reminder
    assert Notification.objects.filter(recipient=came).count() == 1
    report = campaign_report(campaign)
    assert (report["invited"], report["booked"], report["attended"]) == (3, 2, 1)


def test_the_campaign_page_reports_and_its_query_count_does_not_grow(
    client, campaign, community, health_staff, django_assert_max_num_queries
):
    client.force_login(health_staff)
    CheckupSlotFactory.create_batch(2, campaign=campaign)
    url = reverse("services:health:campaign", args=[campaign.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    ResidentFactory.create_batch(10, community=community, is_retiree=True)
    client.post(url, {"do": "invite"})
    CheckupSlotFactory.create_batch(20, campaign=campaign)
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert 'id="invited">10<' in html


def test_campaign_pages_are_health_staff_only(client, campaign, community, make_user, other_health_staff):
    url = reverse("services:health:campaign", args=[campaign.pk])
    refused = [(make_user(roles.HALL_STAFF, community), 403), (make_user(roles.RESIDENT, community), 403)]
    for user, status in [*refused, (other_health_staff, 404)]:  # the other community's campaign does not exist
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, {"do": "invite"}).status_code == status
    assert not CampaignInvitation.objects.exists()


def test_a_resident_books_their_physical_on_their_page(client, campaign, community, resident_user):
    resident_user.resident.is_retiree = True
    resident_user.resident.save()
    slot = CheckupSlotFactory(campaign=campaign)
    campaign_invite(campaign=campaign, by=None)
    client.force_login(resident_user)
    assert campaign.title in client.get(reverse("services:health:my_checkup")).content.decode()
    client.post(reverse("services:health:my_checkup_book", args=[slot.pk]))
    assert CheckupBooking.objects.filter(resident=resident_user.resident, status="active").exists()


# --- focus groups -------------------------------------------------------------------------------------


def test_focus_group_plans_cover_members_with_consent_and_the_overdue_list_shows_them(
    client, community, health_staff, django_assert_max_num_queries
):
    veteran = HealthFileFactory(consent__resident__community=community, consent__resident__is_veteran=True)
    ResidentFactory(community=community, is_veteran=True)  # no file, no consent: no plan
    assert follow_up_plans_create(community_id=community.pk, group="veteran", interval_days=30, by=health_staff) == 1
    assert follow_up_plans_create(community_id=community.pk, group="veteran", interval_days=30, by=health_staff) == 0
    plan = FollowUpPlan.objects.get()
    FollowUpPlan.objects.filter(pk=plan.pk).update(next_due=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(health_staff)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("services:health:focus")).content.decode()
    assert veteran.resident.name in page
    follow_up_record(file=veteran, by=health_staff, visited_on=timezone.localdate(), notes="上门随访", plan=plan)
    plan.refresh_from_db()
    assert plan.next_due == timezone.localdate() + dt.timedelta(days=30)
    for _ in range(20):
        f = HealthFileFactory(consent__resident__community=community, consent__resident__is_veteran=True)
        FollowUpPlan.objects.create(community=community, file=f, group="veteran", next_due=dt.date(2020, 1, 1))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("services:health:focus")).content.decode()
    assert veteran.resident.name not in page


def test_a_chronic_condition_puts_a_resident_in_that_group(community, health_staff):
    HealthFileFactory(consent__resident__community=community, chronic_conditions="高血压")
    HealthFileFactory(consent__resident__community=community, chronic_conditions="")
    assert follow_up_plans_create(community_id=community.pk, group="chronic", interval_days=90, by=health_staff) == 1


def test_slot_and_my_checkup_pages_query_counts_do_not_grow(
    client, campaign, community, health_staff, resident_user, django_assert_max_num_queries
):
    slot = CheckupSlotFactory(campaign=campaign, capacity=100)
    resident_user.resident.is_retiree = True
    resident_user.resident.save()

    def add(n):
        ResidentFactory.create_batch(n, community=community, is_retiree=True)
        campaign_invite(campaign=campaign, by=None)
        for inv in campaign.invitations.exclude(resident__checkup_bookings__slot=slot):
            checkup_book(slot=slot, resident=inv.resident)
        CheckupSlotFactory(campaign=campaign, starts_at=at(10 + n, 8), ends_at=at(10 + n, 9))

    add(2)
    for user, url in (
        (health_staff, reverse("services:health:slot", args=[slot.pk])),
        (resident_user, reverse("services:health:my_checkup")),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    add(25)
    for user, url in (
        (health_staff, reverse("services:health:slot", args=[slot.pk])),
        (resident_user, reverse("services:health:my_checkup")),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            client.get(url)
