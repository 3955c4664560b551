"""The register's Django admin: community scoping, sensitive fields and their access log, query counts."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core import roles
from portal.core.models import SensitiveAccessLog
from residents import models
from residents.tests.factories import (
    AreaFactory,
    BranchFactory,
    BuildingFactory,
    CommunityFactory,
    GeneralBranchFactory,
    HouseholdFactory,
    PartyGroupFactory,
    PartyMemberFactory,
    ResidentFactory,
    StationedUnitFactory,
)

FACTORIES = {
    "area": AreaFactory,
    "building": BuildingFactory,
    "household": HouseholdFactory,
    "resident": ResidentFactory,
    "stationedunit": StationedUnitFactory,
    "generalbranch": GeneralBranchFactory,
    "branch": BranchFactory,
    "partygroup": PartyGroupFactory,
    "partymember": PartyMemberFactory,
}
COMMUNITY_BOUND = list(FACTORIES)


def changelist(model_name):
    app_label = "portal" if model_name == "community" else "residents"
    return reverse(f"admin:{app_label}_{model_name}_changelist")


def change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def health_staff(make_user, community):
    return make_user(roles.HEALTH_STAFF, community)


@pytest.fixture
def resident(community):
    return ResidentFactory(community=community, is_disabled=True, is_low_income=True)


# --- community scoping ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("model_name", COMMUNITY_BOUND)
def test_staff_open_their_own_communitys_row(client, hall_staff, community, model_name):
    obj = FACTORIES[model_name](community=community)
    client.force_login(hall_staff)
    assert client.get(change(obj)).status_code == 200


@pytest.mark.parametrize("model_name", COMMUNITY_BOUND)
def test_another_communitys_row_is_404_for_staff(client, other_hall_staff, community, model_name):
    obj = FACTORIES[model_name](community=community)
    client.force_login(other_hall_staff)
    assert client.get(change(obj)).status_code == 404
    assert client.get(change(obj).replace("/change/", "/history/")).status_code == 404


@pytest.mark.parametrize("model_name", COMMUNITY_BOUND)
def test_changelist_counts_only_the_staff_members_community(client, hall_staff, community, other_community, model_name):
    FACTORIES[model_name](community=community)
    FACTORIES[model_name](community=other_community)
    client.force_login(hall_staff)
    response = client.get(changelist(model_name))
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.result_count == 1
    assert {obj.community_id for obj in cl.result_list} == {community.pk}


@pytest.mark.parametrize("model_name", COMMUNITY_BOUND)
def test_district_admin_sees_every_community(client, district_admin, community, other_community, model_name):
    mine, theirs = FACTORIES[model_name](community=community), FACTORIES[model_name](community=other_community)
    client.force_login(district_admin)
    assert client.get(changelist(model_name)).context["cl"].result_count == 2
    assert client.get(change(mine)).status_code == 200
    assert client.get(change(theirs)).status_code == 200


@pytest.mark.parametrize(
    ("model_name", "field_name", "target"),
    [
        ("resident", "household", "household"),
        ("household", "building", "building"),
        ("partymember", "resident", "resident"),
        ("partygroup", "buildings", "building"),
        ("building", "area", "area"),
    ],
)
def test_autocomplete_offers_only_the_own_community(
    client, hall_staff, other_hall_staff, community, other_community, model_name, field_name, target
):
    mine = FACTORIES[target](community=community)
    theirs = FACTORIES[target](community=other_community)
    url = reverse("admin:autocomplete")
    params = {"app_label": "residents", "model_name": model_name, "field_name": field_name, "term": ""}

    client.force_login(hall_staff)
    ids = {r["id"] for r in client.get(url, params).json()["results"]}
    assert ids == {str(mine.pk)}

    client.force_login(other_hall_staff)
    ids = {r["id"] for r in client.get(url, params).json()["results"]}
    assert ids == {str(theirs.pk)}


def test_autocomplete_search_by_name_stays_in_community(client, other_hall_staff, community, other_community):
    ResidentFactory(community=community, name="王秀英")
    ResidentFactory(community=other_community, name="王秀兰")
    client.force_login(other_hall_staff)
    params = {"app_label": "residents", "model_name": "partymember", "field_name": "resident", "term": "王秀"}
    texts = [r["text"] for r in client.get(reverse("admin:autocomplete"), params).json()["results"]]
    assert texts == ["王秀兰"]


def filter_choices(client, params=None) -> dict[str, set[str]]:
    cl = client.get(changelist("resident"), params or {}).context["cl"]
    return {
        spec.field_path: {label for _pk, label in spec.lookup_choices}
        for spec in cl.filter_specs
        if hasattr(spec, "lookup_choices") and hasattr(spec, "field_path")
    }


def test_related_filters_do_not_list_another_communitys_areas(client, hall_staff, community, other_community):
    for area in ("阳光小区", "幸福小区"):
        ResidentFactory(community=community, household__building__area__name=area)
    theirs = ResidentFactory(community=other_community, household__building__area__name="邻社区小区")
    client.force_login(hall_staff)
    choices = filter_choices(client)
    assert choices["household__building__area"] == {"阳光小区", "幸福小区"}
    assert "household__building" not in choices  # not shown until an area is chosen
    their_area = theirs.household.building.area_id
    assert "household__building" not in filter_choices(client, {"household__building__area__id__exact": their_area})


def test_the_building_filter_offers_the_chosen_areas_buildings(client, hall_staff, community):
    old = ResidentFactory(community=community, household__building__name="老楼").household.building
    BuildingFactory(community=community, area=old.area, name="新楼")  # nobody lives there yet: offered all the same
    elsewhere = BuildingFactory(community=community, name="别处的楼")
    client.force_login(hall_staff)
    page = client.get(changelist("resident"))
    assert "老楼" not in page.content.decode().split('id="changelist-filter"')[1]
    with CaptureQueriesContext(connection) as ctx:
        choices = filter_choices(client, {"household__building__area__id__exact": old.area_id})
    assert choices["household__building"] == {"老楼", "新楼"}
    choice_queries = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "residents_building"')]
    assert choice_queries and not any("residents_resident" in sql for sql in choice_queries)
    # A saved link to a building, without its area: shown, so that it can be cleared.
    linked = client.get(changelist("resident"), {"household__building__id__exact": elsewhere.pk})
    assert {
        label for spec in linked.context["cl"].filter_specs for _pk, label in getattr(spec, "lookup_choices", ())
    } >= {"别处的楼"}
    assert "别处的楼" in linked.content.decode().split('id="changelist-filter"')[1]
    for junk in ("abc", "1;drop", "９", "-1", ""):
        response = client.get(changelist("resident"), {"household__building__area__id__exact": junk})
        assert response.status_code in (200, 302), junk


def test_staff_can_only_pick_their_own_community_when_adding(client, hall_staff, community, other_community):
    building = BuildingFactory(community=community)
    client.force_login(hall_staff)
    form = client.get(reverse("admin:residents_household_add")).context["adminform"].form
    assert list(form.fields["community"].queryset) == [community]
    assert form.initial["community"] == community.pk

    response = client.post(
        reverse("admin:residents_household_add"),
        {
            "community": other_community.pk,
            "number": "A-1",
            "building": building.pk,
            "members-TOTAL_FORMS": 0,
            "members-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "community" in response.context["adminform"].form.errors
    assert not models.Household.objects.filter(number="A-1").exists()


def test_household_inline_members_join_the_households_community(client, hall_staff, community):
    building = BuildingFactory(community=community)
    client.force_login(hall_staff)
    response = client.post(
        reverse("admin:residents_household_add"),
        {
            "community": community.pk,
            "number": "B-7",
            "building": building.pk,
            "unit": "2",
            "room": "301",
            "members-TOTAL_FORMS": 1,
            "members-INITIAL_FORMS": 0,
            "members-0-name": "李桂兰",
            "members-0-relation": "head",
            "members-0-sex": "F",
            "members-0-birth_date": "1948-03-02",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    member = models.Resident.objects.get(name="李桂兰")
    assert member.community == community
    assert member.household.number == "B-7"


def test_households_are_found_by_a_members_name_once_with_their_member_count(client, hall_staff, community):
    household = HouseholdFactory(community=community)
    ResidentFactory.create_batch(2, community=community, household=household, name="孙立平")
    ResidentFactory(community=community, household=household, name="孙小梅")
    client.force_login(hall_staff)
    cl = client.get(changelist("household"), {"q": "孙"}).context["cl"]
    assert [(h.pk, h.member_count) for h in cl.result_list] == [(household.pk, 3)]


# --- sensitive personal data ----------------------------------------------------------------------------------
def test_health_staff_see_neither_sensitive_fields_nor_their_values(client, health_staff, resident):
    client.force_login(health_staff)
    response = client.get(change(resident))
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["adminform"].form
    for field in models.Resident.SENSITIVE_FIELDS:
        assert field not in form.fields
        assert field not in html
    assert resident.id_number not in html
    assert resident.masked_id_number not in html
    assert resident.name in html


def test_hall_staff_see_and_edit_sensitive_fields(client, hall_staff, resident):
    client.force_login(hall_staff)
    response = client.get(change(resident))
    form = response.context["adminform"].form
    for field in models.Resident.SENSITIVE_FIELDS:
        assert field in form.fields
    assert resident.id_number in response.content.decode()


def test_lists_show_the_id_number_masked_and_only_to_sensitive_roles(client, hall_staff, health_staff, resident):
    client.force_login(hall_staff)
    html = client.get(changelist("resident")).content.decode()
    assert resident.masked_id_number in html
    assert resident.id_number not in html

    client.force_login(health_staff)
    response = client.get(changelist("resident"))
    html = response.content.decode()
    assert "masked_id_number" not in response.context["cl"].list_display
    assert resident.masked_id_number not in html
    assert "is_disabled" not in html and "is_low_income" not in html


def test_sensitive_fields_cannot_be_searched_or_filtered_without_permission(client, hall_staff, health_staff, resident):
    client.force_login(health_staff)
    assert client.get(changelist("resident"), {"q": resident.id_number}).context["cl"].result_count == 0
    for probe in ({"id_number__startswith": "13"}, {"is_disabled__exact": "1"}, {"is_low_income": "1"}):
        assert client.get(changelist("resident"), probe).status_code == 400

    client.force_login(hall_staff)
    assert client.get(changelist("resident"), {"q": resident.id_number}).context["cl"].result_count == 1
    assert client.get(changelist("resident"), {"is_disabled__exact": "1"}).context["cl"].result_count == 1


def test_a_role_without_sensitive_permission_cannot_overwrite_the_id_number(client, district_admin, resident):
    original = resident.id_number
    client.force_login(district_admin)
    data = _resident_form_data(resident) | {"id_number": "11010519491231002X", "is_disabled": "", "name": "新名字"}
    response = client.post(change(resident), data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.name == "新名字"
    assert resident.id_number == original
    assert resident.is_disabled is True


def test_opening_the_change_form_writes_one_access_log_entry(client, hall_staff, resident):
    client.force_login(hall_staff)
    client.get(change(resident))
    entry = SensitiveAccessLog.objects.get()
    assert (entry.actor, entry.subject, entry.field, entry.denied) == (
        hall_staff,
        resident,
        "allowance, disability, id_number",
        False,
    )
    assert entry.purpose
    assert resident.id_number not in f"{entry.field} {entry.purpose}"

    client.get(change(resident))
    assert SensitiveAccessLog.objects.count() == 2


def test_saving_or_listing_writes_no_extra_access_log_entry(client, hall_staff, resident):
    client.force_login(hall_staff)
    client.get(changelist("resident"))
    response = client.post(change(resident), _resident_form_data(resident) | {"phone": "13912345678"})
    assert response.status_code == 302
    assert SensitiveAccessLog.objects.count() == 0


def test_roles_without_the_permission_leave_no_access_log_entry(client, health_staff, resident):
    client.force_login(health_staff)
    assert client.get(change(resident)).status_code == 200
    assert SensitiveAccessLog.objects.count() == 0


def test_another_communitys_resident_is_404_and_not_logged(client, other_hall_staff, resident):
    client.force_login(other_hall_staff)
    assert client.get(change(resident)).status_code == 404
    assert SensitiveAccessLog.objects.count() == 0


def _resident_form_data(resident):
    data = {
        "community": resident.community_id,
        "household": resident.household_id,
        "relation": resident.relation,
        "name": resident.name,
        "sex": resident.sex,
        "birth_date": resident.birth_date.isoformat(),
        "phone": resident.phone,
        "user": resident.user_id or "",
        "id_number": resident.id_number,
        "moved_in_on": "",
        "moved_out_on": "",
    }
    for flag in ("lives_alone", "is_veteran", "is_floating", "is_retiree", "is_disabled", "is_low_income"):
        if getattr(resident, flag):
            data[flag] = "on"
    return data


# --- query counts ---------------------------------------------------------------------------------------------
def _build(model_name, n, community):
    if model_name == "generalbranch":  # one per community
        return [GeneralBranchFactory(community=CommunityFactory()) for _ in range(n)]
    if model_name == "community":
        return CommunityFactory.create_batch(n)
    return FACTORIES[model_name].create_batch(n, community=community)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.context["cl"].result_count


# Staff see one community, and a community has one general branch: those two grow only for the district.
QUERY_COUNT_CASES = [("district_admin", m) for m in [*COMMUNITY_BOUND, "community"]] + [
    ("hall_staff", m) for m in COMMUNITY_BOUND if m != "generalbranch"
]


@pytest.mark.parametrize(("who", "model_name"), QUERY_COUNT_CASES)
def test_changelist_queries_do_not_grow_with_rows(
    client, request, community, model_name, who, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    _build(model_name, 5, community)
    client.force_login(user)
    url = changelist(model_name)
    client.get(url)  # warm caches that are filled once per process (content types)
    cache.clear()  # both sizes measured with the shared cache empty (filter choices, permissions)
    small, small_count = _queries(client, url)
    _build(model_name, 55, community)
    cache.clear()
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.context["cl"].result_count >= small_count + 55


def test_household_search_finds_what_djangos_search_finds(client, hall_staff, community, other_community):
    from django.contrib import admin as django_admin

    found_by_django = []
    households = [
        ResidentFactory(community=community, name="王秀英", household__building__name="幸福里7号楼").household,
        ResidentFactory(community=community, name="李建国", household__phone="010-66001234").household,
        HouseholdFactory(community=community, number="A-0099"),  # nobody lives there yet
    ]
    ResidentFactory(community=other_community, name="王秀英")
    client.force_login(hall_staff)
    model_admin = django_admin.site._registry[models.Household]
    for q in ("秀英", "王 7号", "66001", "a-009", "幸福里", "建国", "无此人"):
        response = client.get(changelist("household"), {"q": q})
        ours = {h.pk for h in response.context["cl"].result_list}
        request = response.wsgi_request
        theirs, _dupes = django_admin.ModelAdmin.get_search_results(
            model_admin, request, model_admin.get_queryset(request), q
        )
        assert ours == {h.pk for h in theirs}, q
        found_by_django.append(bool(ours))
    assert found_by_django == [True, True, True, True, True, True, False]
    assert households[2].pk in {
        h.pk for h in client.get(changelist("household"), {"q": "A-0099"}).context["cl"].result_list
    }
