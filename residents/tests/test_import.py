"""Excel import and export of households and residents from the admin.

A file is imported whole or not at all; bad rows are reported with their spreadsheet row number (the header is
row 1); the community is the importing staff member's; sensitive columns exist only for roles that may read them.
"""

import datetime as dt
import io
import os
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from tablib import Dataset

from portal.core import roles
from portal.core.models import AuditLog, SensitiveAccessLog
from residents.idcard import make_id_number
from residents.models import Household, Resident
from residents.resources import HouseholdResource, ResidentResource
from residents.tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory

HEADERS = ["户号", "小区", "楼院", "单元", "门牌", "姓名", "性别", "出生日期", "身份证号", "电话", "与户主关系", "独居", "老荣军", "流动人口", "退休", "残疾", "低保"]  # fmt: skip
IMPORT_URL = reverse("admin:residents_resident_import")
PROCESS_URL = reverse("admin:residents_resident_process_import")
EXPORT_URL = reverse("admin:residents_resident_export")


def person(
    number, born=dt.date(1950, 3, 8), sex="M", *, household="H-1", building="1号楼", area="阳光小区", **overrides
):
    """One spreadsheet row as a dict; ID numbers use region 130903 so they never meet the factories' 130902."""
    row = {
        "户号": household,
        "小区": area,
        "楼院": building,
        "单元": "1",
        "门牌": "101",
        "姓名": f"居民{number}",
        "性别": "男" if sex == "M" else "女",
        "出生日期": born,
        "身份证号": make_id_number("130903", born, 2 * number, sex),  # 2n or 2n+1: distinct for every n
        "电话": 13800000000 + number,  # Excel keeps phone numbers as numbers
        "与户主关系": "户主",
        "独居": "否",
        "老荣军": "",
        "流动人口": "否",
        "退休": "是",
        "残疾": "否",
        "低保": "否",
    }
    row.update(overrides)
    return row


def workbook(rows, headers=HEADERS, name="居民.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX.CONTENT_TYPE)


def upload(client, rows, url=IMPORT_URL, **extra):
    return client.post(url, {"import_file": workbook(rows, **extra.pop("file", {})), "format": "0", **extra})


def confirm(client, response, url=PROCESS_URL):
    form = response.context["confirm_form"]
    return client.post(url, {name: form.initial.get(name, "") for name in form.fields})


def import_file(client, rows, **extra):
    preview = upload(client, rows, **extra)
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is not None, _problems(preview)
    return confirm(client, preview)


def _problems(response):
    result = response.context.get("result")
    if result is None:
        return response.context["form"].errors
    return [(row.number + 1, row.error_dict) for row in result.invalid_rows] + [
        message for error in result.base_errors for message in error.messages
    ]


@pytest.fixture
def buildings(community, other_community):
    """阳光小区 1号楼 and 2号楼 in the community; the other community has its own 阳光小区 1号楼 and 9号楼."""
    one = BuildingFactory(community=community, name="1号楼", area__name="阳光小区")
    two = BuildingFactory(community=community, name="2号楼", area=one.area)
    theirs = BuildingFactory(community=other_community, name="9号楼", area__name="阳光小区")
    their_one = BuildingFactory(community=other_community, name="1号楼", area=theirs.area)
    return {"one": one, "two": two, "theirs": theirs, "their_one": their_one}


@pytest.fixture
def health_staff(make_user, community):
    return make_user(roles.HEALTH_STAFF, community)


# --- a good file ---------------------------------------------------------------------------------------------
def test_good_file_imports_every_row_into_the_staff_members_community(client, hall_staff, community, buildings):
    existing = HouseholdFactory(community=community, building=buildings["two"], number="H-OLD", unit="3", room="502")
    rows = [
        person(1, household="H-1"),
        person(2, dt.date(1953, 7, 1), "F", household="H-1", **{"与户主关系": "配偶", "独居": ""}),
        person(3, dt.date(1980, 1, 20), household="H-2", building="2号楼", **{"门牌": 202, "老荣军": "是"}),
        person(4, dt.date(1941, 10, 1), household="H-OLD", building="", area="", **{"单元": "", "门牌": ""}),
        dict.fromkeys(HEADERS),  # Excel often leaves blank lines at the end
    ]
    client.force_login(hall_staff)
    response = import_file(client, rows)

    assert response.status_code == 302
    assert Resident.objects.filter(community=community).count() == 4
    assert Household.objects.filter(community=community).count() == 3  # H-1, H-2 and the existing H-OLD
    h1 = Household.objects.get(number="H-1")
    assert (h1.building, h1.unit, h1.room) == (buildings["one"], "1", "101")
    assert sorted(h1.members.values_list("relation", flat=True)) == ["head", "spouse"]
    wife = Resident.objects.get(name="居民2")
    assert (wife.sex, wife.birth_date, wife.lives_alone, wife.is_retiree) == ("F", dt.date(1953, 7, 1), False, True)
    assert wife.phone == "13800000002"
    assert Resident.objects.get(name="居民3").household.room == "202"
    assert Resident.objects.get(name="居民3").is_veteran is True
    assert Resident.objects.get(name="居民4").household == existing
    assert AuditLog.objects.filter(action="import_residents", community=community, actor=hall_staff).count() == 1


def test_sex_and_birth_date_may_be_left_to_the_id_number(client, hall_staff, community, buildings):
    client.force_login(hall_staff)
    import_file(client, [person(7, dt.date(1966, 6, 6), "F", **{"性别": "", "出生日期": None})])
    resident = Resident.objects.get(name="居民7")
    assert (resident.sex, resident.birth_date) == ("F", dt.date(1966, 6, 6))


def test_the_preview_shows_a_count_not_every_row(client, hall_staff, buildings):
    client.force_login(hall_staff)
    response = upload(client, [person(n, household=f"H-{n}") for n in range(1, 31)])
    assert response.context["result"].totals["new"] == 30
    html = response.content.decode()
    assert "居民1" not in html and "居民30" not in html
    assert Resident.objects.count() == 0  # the preview is a dry run


# --- a bad file ----------------------------------------------------------------------------------------------
def test_bad_file_names_each_bad_row_and_imports_nothing(client, hall_staff, community, buildings):
    HouseholdFactory(community=community, building=buildings["two"], number="H-OLD", unit="3", room="502")
    ResidentFactory(community=community, id_number=person(99, dt.date(1970, 1, 1))["身份证号"])
    good = person(1)
    wrong_check = person(2, household="H-2")
    wrong_check["身份证号"] = wrong_check["身份证号"][:17] + ("0" if wrong_check["身份证号"][17] != "0" else "1")
    rows = [
        good,  # row 2
        wrong_check,  # row 3: check digit
        person(3, household="H-3", building="8号楼"),  # row 4: no such building
        person(4, household="H-1", building="2号楼"),  # row 5: H-1 has another address in row 2
        person(5, household="H-OLD"),  # row 6: H-OLD is registered at 2号楼 3-502
        person(6, household="H-6", **{"出生日期": dt.date(1951, 3, 8)}),  # row 7: date of birth ≠ ID
        person(7, household="H-7", **{"姓名": ""}),  # row 8: no name
        person(8, household="H-8", **{"身份证号": good["身份证号"]}),  # row 9: same ID as row 2
        person(9, household="H-9", **{"身份证号": "13090319700101"}),  # row 10: too short
        person(99, dt.date(1970, 1, 1), household="H-10"),  # row 11: already in the register
        person(10, household="", **{"性别": "公"}),  # row 12: no household number, unknown sex
        person(11, household="H-11", **{"出生日期": "1950-02-30"}),  # row 13: not a date
    ]
    client.force_login(hall_staff)
    response = upload(client, rows)

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    problems = {row.number + 1: row.error_dict for row in response.context["result"].invalid_rows}
    assert {row: sorted(errors) for row, errors in problems.items()} == {
        2: ["身份证号"],  # also in row 9
        3: ["身份证号"],
        4: ["楼院"],
        5: ["户号"],
        6: ["户号"],
        7: ["出生日期"],
        8: ["姓名"],
        9: ["身份证号"],
        10: ["身份证号"],
        11: ["身份证号"],
        12: ["性别", "户号"],
        13: ["出生日期"],
    }
    assert "9" in problems[2]["身份证号"][0] and "2" in problems[9]["身份证号"][0]  # each names the other row
    html = response.content.decode()
    for row in problems:
        assert f'<td class="row-number">{row}</td>' in html
    assert "8号楼" in html
    # Nothing from the file: no residents, and no households either (they were made in the dry run's transaction).
    assert Resident.objects.filter(community=community).count() == 1
    assert set(Household.objects.values_list("number", flat=True)) >= {"H-OLD"}
    assert not Household.objects.filter(number__in=["H-1", "H-2", "H-3"]).exists()


def test_one_bad_row_among_many_good_ones_still_imports_nothing(community, hall_staff, buildings):
    rows = [person(n, household=f"H-{n}") for n in range(1, 40)] + [person(40, household="H-40", building="无")]
    result = _import(rows, community=community, user=hall_staff)
    assert result.has_validation_errors()
    assert [row.number + 1 for row in result.invalid_rows] == [41]
    assert Resident.objects.count() == 0
    assert Household.objects.filter(number__startswith="H-").count() == 0


def test_missing_columns_are_reported_once_for_the_file(client, hall_staff, buildings):
    client.force_login(hall_staff)
    response = upload(client, [person(1)], file={"headers": ["小区", "楼院", "性别"]})
    result = response.context["result"]
    assert result.has_errors() and not result.invalid_rows
    assert any("户号" in m and "姓名" in m for e in result.base_errors for m in e.messages)
    assert "Traceback" not in response.content.decode()
    assert Resident.objects.count() == 0


def test_an_id_number_stored_as_an_excel_number_is_refused(community, hall_staff, buildings):
    result = _import([person(1, **{"身份证号": 1.30903195003080e17})], community=community, user=hall_staff)
    assert list(result.invalid_rows[0].error_dict) == ["身份证号"]


def test_household_file_reports_duplicate_numbers_and_unknown_buildings(community, hall_staff, buildings):
    HouseholdFactory(community=community, building=buildings["one"], number="H-OLD")
    headers = ["户号", "小区", "楼院", "单元", "门牌", "电话"]
    rows = [
        ["H-1", "阳光小区", "1号楼", 1, 101, ""],
        ["H-2", "", "2号楼", 1, 102, "0317-1234567"],
        ["H-1", "阳光小区", "1号楼", 1, 103, ""],  # row 4: H-1 is in row 2 too
        ["H-OLD", "阳光小区", "1号楼", 2, 201, ""],  # row 5: already exists
        ["H-5", "阳光小区", "9号楼", 1, 101, ""],  # row 6: the other community's building
    ]
    dataset = Dataset(*rows, headers=headers)
    result = HouseholdResource(community=community, sensitive=True).import_data(dataset, dry_run=False, user=hall_staff)
    assert {row.number + 1: sorted(row.error_dict) for row in result.invalid_rows} == {
        4: ["户号"],
        5: ["户号"],
        6: ["楼院"],
    }
    assert Household.objects.filter(community=community).count() == 1  # all or nothing

    good = HouseholdResource(community=community).import_data(Dataset(*rows[:2], headers=headers), user=hall_staff)
    assert not good.has_errors() and not good.has_validation_errors()
    assert Household.objects.get(number="H-2").building == buildings["two"]


def test_household_file_imports_from_the_admin(client, hall_staff, community, buildings):
    client.force_login(hall_staff)
    headers = ["户号", "楼院", "单元", "门牌"]
    preview = upload(
        client,
        [
            {"户号": "H-1", "楼院": "1号楼", "单元": 1, "门牌": 101},
            {"户号": "H-2", "楼院": "2号楼", "单元": 2, "门牌": 202},
        ],
        url=reverse("admin:residents_household_import"),
        file={"headers": headers},
    )
    response = confirm(client, preview, url=reverse("admin:residents_household_process_import"))
    assert response.status_code == 302
    assert sorted(Household.objects.filter(community=community).values_list("number", flat=True)) == ["H-1", "H-2"]


# --- whose community --------------------------------------------------------------------------------------------
def test_staff_cannot_import_into_another_community(client, other_hall_staff, community, other_community, buildings):
    client.force_login(other_hall_staff)
    # A file written for the community: its 2号楼 does not exist for the other community's staff.
    response = upload(client, [person(1, building="2号楼")], community=community.pk)
    assert [sorted(row.error_dict) for row in response.context["result"].invalid_rows] == [["楼院"]]

    # Both have 阳光小区 1号楼: the rows land in the importer's own community, whatever the request says.
    response = import_file(client, [person(2)], community=community.pk)
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert resident.community == other_community
    assert resident.household.building == buildings["their_one"]
    assert not Resident.objects.filter(community=community).exists()


def test_district_admin_chooses_the_community_and_cannot_import_id_numbers(
    client, district_admin, community, buildings
):
    client.force_login(district_admin)
    form = client.get(IMPORT_URL).context["form"]
    assert "community" in form.fields

    response = upload(client, [person(1)])
    assert "community" in response.context["form"].errors

    # The district administrator may not read ID numbers, so may not import them either.
    response = upload(client, [person(1)], community=community.pk)
    assert any("身份证号" in m for e in response.context["result"].base_errors for m in e.messages)

    plain = [h for h in HEADERS if h not in ("身份证号", "残疾", "低保")]
    response = import_file(client, [person(1)], community=community.pk, file={"headers": plain})
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert (resident.community, resident.id_number) == (community, "")


def test_roles_without_add_permission_cannot_import(client, health_staff, make_user, community):
    client.force_login(health_staff)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(PROCESS_URL, {}).status_code == 403
    assert client.get(reverse("admin:residents_resident_changelist")).context["has_import_permission"] is False


# --- export ---------------------------------------------------------------------------------------------------
def _export(client):
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX.CONTENT_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_has_full_id_numbers_for_roles_that_may_read_them(client, hall_staff, community, other_community):
    mine = ResidentFactory(community=community, is_disabled=True)
    ResidentFactory(community=other_community)
    client.force_login(hall_staff)
    headers, rows = _export(client)
    assert {"身份证号", "残疾", "低保"} <= set(headers)
    assert [(row["姓名"], row["身份证号"], row["残疾"]) for row in rows] == [(mine.name, mine.id_number, "是")]
    assert rows[0]["户号"] == mine.household.number and rows[0]["楼院"] == mine.household.building.name
    assert AuditLog.objects.filter(action="export_sensitive", actor=hall_staff).count() == 1


def test_export_omits_sensitive_columns_for_other_roles(client, health_staff, community):
    resident = ResidentFactory(community=community, is_disabled=True, is_low_income=True)
    client.force_login(health_staff)
    headers, rows = _export(client)
    assert not {"身份证号", "残疾", "低保"} & set(headers)
    assert [row["姓名"] for row in rows] == [resident.name]
    flat = " ".join(str(v) for row in rows for v in row.values())
    assert resident.id_number not in flat and resident.masked_id_number not in flat
    # Health staff see phones, dates of birth and addresses in full: the export of those is logged, nothing more.
    assert SensitiveAccessLog.objects.get(subject=resident).field == "address, birth_date, phone"


def test_import_and_export_pages_list_only_the_columns_the_role_may_use(client, hall_staff, health_staff):
    client.force_login(hall_staff)
    ((_, columns),) = client.get(IMPORT_URL).context["fields_list"]
    assert {"户号", "楼院", "姓名", "身份证号", "残疾", "低保"} <= set(columns)

    client.force_login(health_staff)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    ((_, columns),) = response.context["fields_list"]
    assert "姓名" in columns and not {"身份证号", "残疾", "低保"} & set(columns)


def test_an_exported_file_imports_again(client, hall_staff, community, other_community, buildings, make_user):
    for n in range(3):
        ResidentFactory(community=community, household__building=buildings["one"], household__number=f"E-{n}")
    client.force_login(hall_staff)
    _, rows = _export(client)
    Resident.objects.all().delete()
    Household.objects.all().delete()
    response = import_file(client, rows)
    assert response.status_code == 302
    assert Resident.objects.filter(community=community).count() == 3


# --- speed ----------------------------------------------------------------------------------------------------
def _import(rows, *, community, user, sensitive=True, dry_run=False):
    headers = list(rows[0]) if rows else HEADERS
    dataset = Dataset(*[[row.get(h) for h in headers] for row in rows], headers=headers)
    resource = ResidentResource(community=community, sensitive=sensitive)
    return resource.import_data(
        dataset, dry_run=dry_run, user=user, rollback_on_validation_errors=True, use_transactions=True
    )


def district_file(community_buildings, residents=8430, households=3748):
    """DOMAIN.md's demo community: 8,430 residents in 3,748 households."""
    rows = []
    for n in range(residents):
        h = n % households
        building = community_buildings[h % len(community_buildings)]
        born = dt.date(1930, 1, 1) + dt.timedelta(days=(n * 37) % 30000)
        sex = "M" if n % 2 else "F"
        rows.append(
            person(
                n,
                born,
                sex,
                household=f"NH{h:05d}",
                building=building.name,
                area=building.area.name,
                **{"身份证号": make_id_number("130903", born, n // 30, sex), "门牌": str(100 + h % 600)},
            )
        )
    return rows


def test_import_queries_do_not_grow_with_rows(community, hall_staff, buildings):
    few = district_file([buildings["one"], buildings["two"]], residents=10, households=4)
    many = district_file([buildings["one"], buildings["two"]], residents=400, households=150)
    with CaptureQueriesContext(connection) as small:
        assert not _import(few, community=community, user=hall_staff, dry_run=True).has_validation_errors()
    with CaptureQueriesContext(connection) as large:
        assert not _import(many, community=community, user=hall_staff, dry_run=True).has_validation_errors()
    assert len(large) == len(small), [q["sql"][:80] for q in large.captured_queries]


@pytest.mark.skipif(not os.environ.get("PORTAL_SLOW_TESTS"), reason="set PORTAL_SLOW_TESTS=1 to time a full file")
def test_a_community_of_8430_residents_imports_well_under_a_minute(client, hall_staff, community, buildings):
    many = [buildings["one"], buildings["two"]] + [BuildingFactory(community=community) for _ in range(14)]
    upload_file = workbook(district_file(many))
    client.force_login(hall_staff)
    started = time.perf_counter()
    preview = client.post(IMPORT_URL, {"import_file": upload_file, "format": "0"})
    previewed = time.perf_counter()
    response = confirm(client, preview)
    done = time.perf_counter()
    assert response.status_code == 302, _problems(preview)
    assert Resident.objects.filter(community=community).count() == 8430
    assert Household.objects.filter(community=community).count() == 3748
    print(f"\n8,430 residents: preview (dry run) {previewed - started:.1f}s, import {done - previewed:.1f}s")  # noqa: T201
    assert done - started < 60


def test_counts_cached_from_the_register_follow_an_import_at_once(client, hall_staff, community, buildings):
    ResidentFactory(community=community)
    assert Resident.objects.current_counts().get(community.pk) == 1  # now cached
    client.force_login(hall_staff)
    import_file(client, [person(1, household="H-1"), person(2, household="H-1")])  # written in bulk
    assert Resident.objects.current_counts().get(community.pk) == 3


def test_current_counts_follow_moves_at_once(community):
    resident = ResidentFactory(community=community)
    assert Resident.objects.current_counts().get(community.pk) == 1
    resident.moved_out_on = dt.date(2026, 1, 1)
    resident.save()
    assert Resident.objects.current_counts().get(community.pk) is None
