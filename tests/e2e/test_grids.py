"""Grid work on foot, in chromium on a 375 px phone: the grid worker opens a household of their grid from the
workbench, records a visit of an enterprise retiree, records a patrol with a photo, and turns the patrol's finding
into a case of the hall in one step. No page scrolls sideways."""

import io

import pytest
from PIL import Image

from portal.core import roles
from residents.models import Grid, HomeVisit, Patrol
from residents.tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory
from services.models import Case
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 376, f"{page.url} scrolls sideways"


def test_a_grid_worker_records_a_visit_and_makes_a_patrol_finding_a_case(
    phone, community, make_user, password, screenshot, transactional_db, tmp_path, settings
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    worker = make_user(roles.GRID_WORKER, community)
    grid = Grid.objects.create(community=community, name="第1网格", worker=worker)
    household = HouseholdFactory(community=community, building=BuildingFactory(community=community, grid=grid))
    ResidentFactory(community=community, household=household, name="王退休", relation="head", is_retiree=True)

    login(phone, worker.phone, password)
    phone.goto("/work/")
    fits(phone)
    screenshot(phone, "grids-workbench-phone")
    phone.locator(f"a[href='/services/grids/households/{household.pk}/']").first.click()
    phone.wait_for_url(f"**/services/grids/households/{household.pk}/")
    fits(phone)
    phone.select_option("#id_kind", "retiree")
    phone.fill("#id_notes", "身体尚好，子女在外地")
    phone.fill("#id_issue", "楼道灯不亮")
    with phone.expect_navigation():
        phone.locator("form[method=post] button.btn-primary").click()
    screenshot(phone, "grids-household-after-phone")
    visit = HomeVisit.objects.get()
    assert visit.kind == "retiree" and visit.visited_by == worker and visit.issue == "楼道灯不亮"
    screenshot(phone, "grids-household-phone")

    phone.goto("/services/grids/patrols/new/")
    fits(phone)
    photo = tmp_path / "photo.png"
    image = io.BytesIO()
    Image.new("RGB", (80, 60), "green").save(image, "PNG")
    photo.write_bytes(image.getvalue())
    phone.fill("#id_location", "3号楼北侧")
    phone.fill("#id_issue", "井盖松动，有人踩空")
    phone.set_input_files("#id_photos", str(photo))
    phone.locator("form[method=post] button.btn-primary").click()
    phone.wait_for_url("**/services/grids/patrols/*/")
    patrol = Patrol.objects.get()
    assert patrol.photos.count() == 1
    fits(phone)
    phone.fill("#id_household", household.number)
    phone.select_option("#id_kind", "repair")
    screenshot(phone, "grids-patrol-phone")
    phone.locator("form[method=post] button.btn-primary").click()
    phone.wait_for_url(f"**/services/grids/patrols/{patrol.pk}/")
    case = Case.objects.get()
    assert case.source == Case.Source.PATROL and case.location == "3号楼北侧" and case.resident.name == "王退休"
    patrol.refresh_from_db()
    assert patrol.handed_over_to == case
    assert case.number in phone.content()
    fits(phone)
