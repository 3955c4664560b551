"""物业进社区 on the site: a resident reports from the phone and rates; staff enter a phone report; a company's staff
see and move only their company's repairs; the companies page, the ranking and its publication; the workbench."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.models import AuditLog
from portal.tests.idempotency import key_on
from services.hall.models import Case
from services.property import actions
from services.property.models import PropertyAppraisal, PropertyCompany, PropertyCoverage, PropertyStaff, Repair


@pytest.fixture
def building(resident):
    return resident.household.building


@pytest.fixture
def company(community, building):
    company = PropertyCompany.objects.create(community=community, name="安居物业", hotline="0317-2151234")
    PropertyCoverage.objects.create(company=company, building=building)
    return company


@pytest.fixture
def property_staff(make_user, community, company):
    user = make_user(roles.PROPERTY_STAFF, community)
    PropertyStaff.objects.create(company=company, user=user)
    return user


@pytest.fixture
def stranger_staff(make_user, community):
    other = PropertyCompany.objects.create(community=community, name="惠民物业", hotline="1")
    user = make_user(roles.PROPERTY_STAFF, community)
    PropertyStaff.objects.create(company=other, user=user)
    return user


@pytest.fixture
def repair(community, building, company, hall_staff, resident):
    return actions.repair_report(community, building, "water", "水管爆裂", Case.Source.PHONE, hall_staff, resident)


def test_a_resident_reports_from_the_phone_page(client, resident_user, building, company):
    client.force_login(resident_user)
    page = client.get(reverse("services:property:report"))
    assert page.status_code == 200
    assert f'value="{building.pk}" selected' in page.content.decode()
    answer = client.post(
        reverse("services:property:report"),
        {"kind": "water", "building": building.pk, "location": "2单元301", "description": "厨房水管爆裂"},
    )
    repair = Repair.objects.get()
    assert answer.url == reverse("services:property:repair", args=[repair.pk])
    assert repair.source == Case.Source.ONLINE and repair.company == company
    assert repair.resident == resident_user.resident
    mine = client.get(reverse("services:property:my_repairs"))
    assert repair.number in mine.content.decode()


def test_a_report_sent_twice_with_one_key_is_reported_once(client, resident_user, building, company):
    client.force_login(resident_user)
    url = reverse("services:property:report")
    form = {"kind": "water", "building": building.pk, "location": "2单元301", "description": "厨房水管爆裂"}
    form["idempotency_key"] = key_on(client.get(url))
    first, second = client.post(url, form), client.post(url, form)
    repair = Repair.objects.get()
    assert first.url == second.url == reverse("services:property:repair", args=[repair.pk])


def test_a_report_without_a_description_keeps_what_was_typed(client, resident_user, building):
    client.force_login(resident_user)
    answer = client.post(
        reverse("services:property:report"),
        {"kind": "gas", "building": building.pk, "location": "3单元", "description": " "},
    )
    assert answer.status_code == 200 and "3单元" in answer.content.decode()
    assert answer.context["form"].errors["description"]
    assert not Repair.objects.exists()


def test_staff_enter_a_phone_report_and_the_caller_is_linked_by_number(client, hall_staff, resident, building, company):
    client.force_login(hall_staff)
    answer = client.post(
        reverse("services:property:desk"),
        {
            "source": "phone",
            "caller": resident.name,
            "caller_phone": resident.phone,
            "kind": "water",
            "building": building.pk,
            "location": "1单元",
            "description": "水管爆裂",
        },
    )
    repair = Repair.objects.get()
    assert answer.status_code == 302
    assert repair.resident == resident and repair.source == "phone" and repair.reported_by == hall_staff
    assert AuditLog.objects.filter(action="repair_report", object_id=str(repair.pk)).exists()


def test_the_staff_form_offers_no_online_channel_and_refuses_a_bad_number(client, hall_staff, building):
    client.force_login(hall_staff)
    page = client.get(reverse("services:property:desk"))
    assert 'value="online"' not in page.content.decode()
    answer = client.post(
        reverse("services:property:desk"),
        {"source": "phone", "caller_phone": "abc", "kind": "water", "building": building.pk, "description": "x"},
    )
    assert answer.status_code == 200 and answer.context["form"].errors["caller_phone"]


def test_company_staff_work_their_repair_and_others_get_404(client, repair, property_staff, stranger_staff):
    client.force_login(stranger_staff)
    assert client.get(reverse("services:property:repair", args=[repair.pk])).status_code == 404
    assert client.post(reverse("services:property:repair_step", args=[repair.pk, "arrive"])).status_code == 404
    assert repair.number not in client.get(reverse("services:property:repairs")).content.decode()
    client.force_login(property_staff)
    assert repair.number in client.get(reverse("services:property:repairs")).content.decode()
    page = client.get(reverse("services:property:repair", args=[repair.pk]))
    assert 'id="mark-arrived"' in page.content.decode()
    client.post(reverse("services:property:repair_step", args=[repair.pk, "arrive"]))
    client.post(reverse("services:property:repair_step", args=[repair.pk, "fix"]), {"note": "换阀门"})
    repair.refresh_from_db()
    assert repair.status == Repair.Status.FIXED and repair.fix_note == "换阀门"
    # Twice is a message, not a 500.
    again = client.post(reverse("services:property:repair_step", args=[repair.pk, "arrive"]), follow=True)
    assert again.status_code == 200


def test_a_fix_note_too_long_comes_back_with_its_message(client, repair, property_staff):
    client.force_login(property_staff)
    answer = client.post(reverse("services:property:repair_step", args=[repair.pk, "fix"]), {"note": "修" * 301})
    assert answer.status_code == 200 and answer.context["fix_form"].errors["note"]
    assert "修" * 301 in answer.content.decode()
    repair.refresh_from_db()
    assert repair.status == Repair.Status.DISPATCHED


def test_an_unknown_step_is_404(client, repair, hall_staff):
    client.force_login(hall_staff)
    assert client.post(reverse("services:property:repair_step", args=[repair.pk, "explode"])).status_code == 404


def test_the_resident_rates_on_the_page_once(client, repair, resident_user, property_staff, other_resident_user):
    actions.repair_fix(repair=repair, by=property_staff)
    client.force_login(other_resident_user)
    assert client.get(reverse("services:property:repair", args=[repair.pk])).status_code == 404
    client.force_login(resident_user)
    page = client.get(reverse("services:property:repair", args=[repair.pk]))
    assert page.context["rate_form"] is not None
    bad = client.post(reverse("services:property:repair_rate", args=[repair.pk]), {"rating": "9", "comment": "好"})
    assert bad.status_code == 200 and bad.context["rate_form"].errors["rating"]
    client.post(reverse("services:property:repair_rate", args=[repair.pk]), {"rating": "5", "comment": "好"})
    repair.refresh_from_db()
    assert repair.rating == 5 and repair.status == Repair.Status.CLOSED
    twice = client.post(reverse("services:property:repair_rate", args=[repair.pk]), {"rating": "1"})
    assert twice.status_code == 200 and twice.context["rate_form"].errors
    repair.refresh_from_db()
    assert repair.rating == 5


def test_the_staff_page_shows_the_callers_phone_as_the_role_may(client, repair, property_staff, make_user, community):
    client.force_login(property_staff)
    page = client.get(reverse("services:property:repair", args=[repair.pk])).content.decode()
    assert repair.resident.phone in page or not repair.caller_phone


def test_the_companies_page_shows_coverage_and_the_cleaner_quota(client, hall_staff, company, building, community):
    client.force_login(hall_staff)
    page = client.get(reverse("services:property:companies"))
    assert page.status_code == 200
    assert page.context["buildings"] == {"total": 1, "covered": 1}
    assert page.context["companies"][0].quota == 1


def test_the_ranking_and_its_publication(client, district_admin, director, company):
    appraisal = PropertyAppraisal.objects.create(
        name="2026 Q3", starts_on=dt.date(2026, 7, 1), ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(director)
    page = client.get(reverse("services:property:ranking"))
    assert page.status_code == 200 and not page.context["may_publish"]
    assert client.post(reverse("services:property:publish", args=[appraisal.pk])).status_code == 403
    client.force_login(district_admin)
    assert client.get(reverse("services:property:ranking")).context["may_publish"]
    client.post(reverse("services:property:publish", args=[appraisal.pk]))
    appraisal.refresh_from_db()
    assert appraisal.published_at is not None
    page = client.get(reverse("services:property:ranking"), {"period": appraisal.pk})
    assert [s.company for s in page.context["rows"]] == [company]


def test_the_workbench_flags_a_repair_past_its_promise(client, repair, property_staff, hall_staff):
    Repair.objects.filter(pk=repair.pk).update(arrive_by=timezone.now() - dt.timedelta(minutes=5))
    for user in (property_staff, hall_staff):
        client.force_login(user)
        page = client.get(reverse("portal:workbench"))
        assert page.status_code == 200
        block = next(b for b in page.context["blocks"] if b.key == "property.repairs")
        assert block.tallies[2].count == 1 and block.tallies[2].urgent  # past their promise
        assert block.rows[0].urgent
