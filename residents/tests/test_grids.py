"""Grids (网格化管理): a grid worker sees and changes only their own grid — in the admin (list, change, search,
export, autocomplete, filters) and on the staff pages — while community staff keep the whole community; the
"due for a visit" arithmetic; a visit or patrol's issue becoming a case in one step."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from portal.core import roles
from portal.core.access import scope_to_staff
from portal.core.models import AuditLog
from portal.tests.factories import UserFactory
from residents import grids
from residents.models import Grid, HomeVisit, Household, Patrol, Resident
from residents.tests.factories import BuildingFactory, CommunityFactory, HouseholdFactory, ResidentFactory
from services.grids.handover import DESTINATIONS, finding_hand_over
from services.hall.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    """One community, two grids with a worker each, a household (with a head) in each grid; a director."""
    community = CommunityFactory()
    worker, other_worker = (UserFactory(role=roles.GRID_WORKER, community=community) for _ in range(2))
    mine = Grid.objects.create(community=community, name="第1网格", worker=worker)
    theirs = Grid.objects.create(community=community, name="第2网格", worker=other_worker)
    here = HouseholdFactory(community=community, building=BuildingFactory(community=community, grid=mine))
    there = HouseholdFactory(community=community, building=BuildingFactory(community=community, grid=theirs))
    ResidentFactory(community=community, household=here, name="张网内", relation="head")
    ResidentFactory(community=community, household=there, name="李网外", relation="head")
    director = UserFactory(role=roles.COMMITTEE_DIRECTOR, community=community)
    return type(
        "Town",
        (),
        {
            "community": community,
            "worker": worker,
            "other_worker": other_worker,
            "mine": mine,
            "theirs": theirs,
            "here": here,
            "there": there,
            "director": director,
        },
    )


def signed_in(client, user):
    client.force_login(user)
    return client


# --- scoping -------------------------------------------------------------------------------------------------
def test_the_core_scope_narrows_a_grid_worker_to_their_grid(town):
    assert list(scope_to_staff(Household.objects.all(), town.worker)) == [town.here]
    assert list(Resident.objects.for_staff(town.worker).values_list("name", flat=True)) == ["张网内"]
    assert set(Household.objects.for_staff(town.director)) == {town.here, town.there}


def test_a_grid_worker_without_a_grid_sees_no_household(town):
    idle = UserFactory(role=roles.GRID_WORKER, community=town.community)
    assert not Household.objects.for_staff(idle).exists()


def test_admin_lists_and_searches_only_the_grid(client, town):
    signed_in(client, town.worker)
    page = client.get(reverse("admin:residents_resident_changelist"))
    assert page.status_code == 200
    assert "张网内" in page.text and "李网外" not in page.text
    found = client.get(reverse("admin:residents_resident_changelist"), {"q": "李网外"})
    assert list(found.context["cl"].result_list) == []
    mine = client.get(reverse("admin:residents_resident_changelist"), {"q": "张网内"})
    assert [r.name for r in mine.context["cl"].result_list] == ["张网内"]
    households = client.get(reverse("admin:residents_household_changelist"), {"q": town.there.number})
    assert list(households.context["cl"].result_list) == []


def test_admin_change_of_another_grids_household_is_a_404(client, town):
    signed_in(client, town.worker)
    assert client.get(reverse("admin:residents_household_change", args=[town.here.pk])).status_code == 200
    assert client.get(reverse("admin:residents_household_change", args=[town.there.pk])).status_code == 404
    other = Resident.objects.get(household=town.there)
    assert client.get(reverse("admin:residents_resident_change", args=[other.pk])).status_code == 404
    answer = client.post(reverse("admin:residents_household_change", args=[town.there.pk]), {"number": "X"})
    assert answer.status_code == 404
    assert Household.objects.get(pk=town.there.pk).number == town.there.number


def test_admin_autocomplete_offers_only_the_grid(client, town):
    signed_in(client, town.worker)
    answer = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "residents", "model_name": "resident", "field_name": "household", "term": ""},
    )
    assert answer.status_code == 200
    ids = {row["id"] for row in answer.json()["results"]}
    assert ids == {str(town.here.pk)}
    buildings = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "residents", "model_name": "household", "field_name": "building", "term": ""},
    )
    assert {row["id"] for row in buildings.json()["results"]} == {str(town.here.building_id)}


def test_admin_export_holds_only_the_grid(client, town):
    signed_in(client, town.worker)
    answer = client.post(reverse("admin:residents_resident_export"), {"format": "1", "resource": "0"})
    assert answer.status_code == 200
    text = answer.content.decode("utf-8-sig")
    assert "张网内" in text and "李网外" not in text


def test_community_staff_keep_the_whole_community(client, town):
    signed_in(client, town.director)
    page = client.get(reverse("admin:residents_resident_changelist"))
    assert "张网内" in page.text and "李网外" in page.text


def test_staff_pages_of_another_grid_are_404(client, town):
    signed_in(client, town.worker)
    assert client.get(reverse("services:grids:household", args=[town.here.pk])).status_code == 200
    assert client.get(reverse("services:grids:household", args=[town.there.pk])).status_code == 404
    page = client.get(reverse("services:grids:home"))
    assert town.here.number in page.text and town.there.number not in page.text
    searched = client.get(reverse("services:grids:home"), {"q": "李网外"})
    assert town.there.number not in searched.text
    visit = HomeVisit.objects.create(community=town.community, household=town.there, issue="漏水", notes="")
    assert client.get(reverse("services:grids:visit_hand_over", args=[visit.pk])).status_code == 404
    patrol = Patrol.objects.create(community=town.community, grid=town.theirs, location="北门")
    assert client.get(reverse("services:grids:patrol", args=[patrol.pk])).status_code == 404


def test_a_role_without_grid_work_gets_403(client, town):
    signed_in(client, UserFactory(role=roles.CULTURE_STAFF, community=town.community))
    assert client.get(reverse("services:grids:home")).status_code == 403


def test_another_community_cannot_see_the_grid(client, town):
    stranger = UserFactory(role=roles.COMMITTEE_DIRECTOR, community=CommunityFactory())
    signed_in(client, stranger)
    assert client.get(reverse("services:grids:household", args=[town.here.pk])).status_code == 404


# --- visits due ----------------------------------------------------------------------------------------------
def test_due_for_a_visit_counts_days_from_the_last_visit(town):
    today = dt.date(2026, 6, 30)
    town.mine.visit_interval_days = 30
    town.mine.save()
    households = Household.objects.for_staff(town.worker)
    assert list(grids.due_for_visit(households, [town.mine], today)) == [town.here]  # never visited
    HomeVisit.objects.create(community=town.community, household=town.here, visited_on=today - dt.timedelta(days=30))
    assert not grids.due_for_visit(households, [town.mine], today).exists()  # exactly the interval: not yet
    assert list(grids.due_for_visit(households, [town.mine], today + dt.timedelta(days=1))) == [town.here]
    HomeVisit.objects.create(community=town.community, household=town.here, visited_on=today)
    assert not grids.due_for_visit(households, [town.mine], today + dt.timedelta(days=1)).exists()  # the latest


def test_due_list_page_shows_only_due_households_of_the_grid(client, town):
    signed_in(client, town.worker)
    page = client.get(reverse("services:grids:due"))
    assert town.here.number in page.text and town.there.number not in page.text


def test_recording_a_visit(client, town):
    signed_in(client, town.worker)
    answer = client.post(
        reverse("services:grids:household", args=[town.here.pk]),
        {"visited_on": timezone.localdate().isoformat(), "kind": "retiree", "notes": "身体好", "issue": ""},
    )
    assert answer.status_code == 302
    visit = HomeVisit.objects.get(household=town.here)
    assert visit.visited_by == town.worker and visit.kind == HomeVisit.Kind.RETIREE
    assert AuditLog.objects.filter(action="visit_record", object_id=str(visit.pk)).exists()


def test_a_visit_in_the_future_is_refused_next_to_the_date(client, town):
    signed_in(client, town.worker)
    later = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    answer = client.post(
        reverse("services:grids:household", args=[town.here.pk]), {"visited_on": later, "kind": "routine", "notes": "x"}
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["visited_on"]
    assert not HomeVisit.objects.exists()


# --- patrols and hand-over -----------------------------------------------------------------------------------
def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return SimpleUploadedFile("anything.jpg", out.getvalue(), content_type="image/jpeg")


def test_patrol_with_a_photo_served_only_within_the_grid(client, town, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    signed_in(client, town.worker)
    answer = client.post(
        reverse("services:grids:patrol_new"),
        {"grid": town.mine.pk, "location": "3号楼下", "notes": "", "issue": "井盖松动", "photos": [png()]},
    )
    assert answer.status_code == 302
    patrol = Patrol.objects.get()
    photo = patrol.photos.get()
    assert photo.content_type == "image/png" and photo.image.name.endswith(".png")
    url = reverse("services:grids:patrol_photo", args=[patrol.pk, photo.pk])
    assert client.get(url).status_code == 200
    signed_in(client, town.other_worker)
    assert client.get(url).status_code == 404


def test_a_patrol_in_another_grid_cannot_be_recorded(client, town):
    signed_in(client, town.worker)
    answer = client.post(reverse("services:grids:patrol_new"), {"grid": town.theirs.pk, "location": "北门"})
    assert answer.status_code == 200 and answer.context["form"].errors["grid"]


def test_a_file_that_is_not_a_photo_is_refused(client, town):
    signed_in(client, town.worker)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    answer = client.post(
        reverse("services:grids:patrol_new"), {"grid": town.mine.pk, "location": "北门", "photos": [bad]}
    )
    assert answer.status_code == 200 and answer.context["form"].errors["photos"]
    assert not Patrol.objects.exists()


def test_patrol_issue_becomes_a_case_in_one_step(client, town):
    patrol = Patrol.objects.create(community=town.community, grid=town.mine, location="3号楼下", issue="井盖松动\n危险")
    signed_in(client, town.worker)
    answer = client.post(
        reverse("services:grids:patrol_hand_over", args=[patrol.pk]),
        {"destination": "case", "kind": "repair", "household": town.here.number},
    )
    assert answer.status_code == 302
    case = Case.objects.get()
    assert case.source == Case.Source.PATROL and case.title == "井盖松动" and case.location == "3号楼下"
    assert case.resident.name == "张网内" and case.filed_by == town.worker
    patrol.refresh_from_db()
    assert patrol.handed_over_to == case and patrol.handed_over_at is not None
    again = client.post(
        reverse("services:grids:patrol_hand_over", args=[patrol.pk]),
        {"destination": "case", "kind": "repair", "household": town.here.number},
    )
    assert again.status_code == 200 and Case.objects.count() == 1


def test_patrol_hand_over_for_a_household_of_another_grid_is_refused(client, town):
    patrol = Patrol.objects.create(community=town.community, grid=town.mine, location="北门", issue="路灯坏")
    signed_in(client, town.worker)
    answer = client.post(
        reverse("services:grids:patrol_hand_over", args=[patrol.pk]),
        {"destination": "case", "kind": "repair", "household": town.there.number},
    )
    assert answer.status_code == 200 and answer.context["form"].errors["household"]
    assert not Case.objects.exists()


def test_visit_issue_becomes_a_case_with_the_visit_source(town):
    visit = grids.visit_record(
        household=town.here, by=town.worker, visited_on=timezone.localdate(), kind="routine", issue="暖气不热"
    )
    head = Resident.objects.get(household=town.here)
    case = finding_hand_over(finding=visit, by=town.worker, resident=head, kind="repair")
    assert case.source == Case.Source.VISIT and case.resident == head
    assert HomeVisit.objects.get(pk=visit.pk).handed_over_to == case


def test_a_visit_without_an_issue_has_nothing_to_hand_over(town):
    visit = grids.visit_record(
        household=town.here, by=town.worker, visited_on=timezone.localdate(), kind="routine", notes="好"
    )
    with translation.override("en"), pytest.raises(Exception, match="nothing to hand over"):
        finding_hand_over(
            finding=visit, by=town.worker, resident=Resident.objects.get(household=town.here), kind="repair"
        )


def test_hand_over_destinations_are_listed_in_one_place():
    assert list(DESTINATIONS) == ["case", "repair"]


def test_patrol_issue_becomes_a_repair_sent_to_the_courtyards_property_company(client, town):
    from services.property.models import PropertyCompany, PropertyCoverage, Repair

    company = PropertyCompany.objects.create(community=town.community, name="安居物业", hotline="0317-1234567")
    PropertyCoverage.objects.create(company=company, building=town.here.building)
    patrol = Patrol.objects.create(community=town.community, grid=town.mine, location="2单元门口", issue="水管爆裂")
    signed_in(client, town.worker)
    answer = client.post(
        reverse("services:grids:patrol_hand_over", args=[patrol.pk]),
        {"destination": "repair", "kind": "repair", "fault": "water", "household": town.here.number},
    )
    assert answer.status_code == 302
    repair = Repair.objects.get()
    assert repair.kind == Repair.Kind.WATER and repair.source == Case.Source.PATROL
    assert repair.company == company and repair.status == Repair.Status.DISPATCHED
    assert repair.building == town.here.building and not Case.objects.exists()
    patrol.refresh_from_db()
    assert patrol.handed_over_to == repair


def test_grid_buildings_belong_to_one_grid_at_most(town):
    building = town.here.building
    grids.grid_set_buildings(grid=town.theirs, buildings=[building, town.there.building], by=town.director)
    building.refresh_from_db()
    assert building.grid == town.theirs
    assert not town.mine.buildings.exists()


def test_workbench_block_for_the_grid_worker(client, town):
    signed_in(client, town.worker)
    page = client.get(reverse("portal:workbench"))
    assert page.status_code == 200
    assert 'id="grids.mine"' in page.text or "grids.mine" in page.text
    assert reverse("services:grids:household", args=[town.here.pk]) in page.text
