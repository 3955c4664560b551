"""The staff search of the register finds what a substring scan of name, phone, household number and building
finds — for one-, two- and longer queries — through the residents' search index, which follows every change."""

import datetime as dt
import random

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from residents import models, search
from residents.tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory

URL = reverse("admin:residents_resident_changelist")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰玉梅建国志强丽娟明华红霞金凤文"


def found(client, query):
    response = client.get(URL, {"q": query}, HTTP_CACHE_CONTROL="no-cache")  # drawn: its context is read
    assert response.status_code == 200
    cl = response.context["cl"]
    # show_full_result_count is off and the page holds 50: read the whole result from the queryset.
    return set(cl.queryset.values_list("pk", flat=True))


def substring_scan(residents, query):
    """What Django admin's icontains search finds: every word in one of the four fields."""
    words = search.search_words(query)

    def fields(r):
        return [r.name, r.phone, r.household.number, r.household.building.name]

    return {r.pk for r in residents if all(any(w.upper() in f.upper() for f in fields(r)) for w in words)}


@pytest.fixture
def register(community):
    rng = random.Random(11)
    buildings = [BuildingFactory(community=community, name=name) for name in ("1号楼", "11号楼", "幸福里A座", "12号楼")]
    households = [
        HouseholdFactory(community=community, building=rng.choice(buildings), number=f"NH-{i:03d}") for i in range(12)
    ]
    residents = []
    for _ in range(60):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        residents.append(
            ResidentFactory(
                community=community, household=rng.choice(households), name=name, phone=f"139{rng.randrange(10**8):08d}"
            )
        )
    return [models.Resident.objects.select_related("household__building").get(pk=r.pk) for r in residents]


QUERIES = [
    "王", "秀", "金凤", "李秀", "王秀英",  # names: one, two, three characters
    "139", "8", "12", "0012",  # phones (and building 12号楼)
    "NH-00", "nh-011", "-01",  # household numbers, case-insensitive
    "号楼", "1号", "11号楼", "A座", "a座", "幸福里",  # buildings
    "王 1号楼", "李 NH-001", '"幸福里A座"',  # two words (AND), a quoted phrase
    "没有", "王王", "楼号",  # nothing
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_a_substring_scan_finds(client, hall_staff, register, query):
    client.force_login(hall_staff)
    assert found(client, query) == substring_scan(register, query)


def test_every_field_is_searched(client, hall_staff, register):
    resident = register[0]
    client.force_login(hall_staff)
    for query in (resident.name, resident.phone[-6:], resident.household.number, resident.household.building.name):
        assert resident.pk in found(client, query)


def test_the_search_stays_in_the_community(client, hall_staff, community, other_community):
    mine = ResidentFactory(community=community, name="洪金凤")
    ResidentFactory(community=other_community, name="洪金花")
    client.force_login(hall_staff)
    assert found(client, "洪金") == {mine.pk}


def test_district_admin_searches_every_community(client, district_admin, community, other_community):
    here, there = (
        ResidentFactory(community=community, name="洪金凤"),
        ResidentFactory(community=other_community, name="洪金花"),
    )
    client.force_login(district_admin)
    assert found(client, "洪金") == {here.pk, there.pk}


def test_the_index_follows_changes_to_residents_households_and_buildings(client, hall_staff, community):
    building = BuildingFactory(community=community, name="7号楼")
    household = HouseholdFactory(community=community, building=building, number="A-100")
    resident = ResidentFactory(community=community, household=household, name="郑光明", phone="13911112222")
    client.force_login(hall_staff)
    assert found(client, "7号") == {resident.pk}

    building.name = "八号院"
    building.save()
    assert found(client, "7号") == set()
    assert found(client, "八号") == {resident.pk}

    household.number = "B-200"
    household.save()
    assert found(client, "A-1") == set()
    assert found(client, "b-2") == {resident.pk}

    moved_to = HouseholdFactory(community=community, number="C-300")
    models.Resident.objects.filter(pk=resident.pk).update(household=moved_to, name="郑光辉", phone="13833334444")
    assert found(client, "B-2") == set() and found(client, "八号") == set() and found(client, "光明") == set()
    assert found(client, "C-3") == found(client, "光辉") == found(client, "3333") == {resident.pk}


def test_residents_written_before_their_household_are_indexed_in_full(client, hall_staff, community):
    # The foreign keys are checked at commit: an import may write members before their household.
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    building = BuildingFactory(community=community, name="后来楼")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('residents_household', 'id'))")
        household_id = cursor.fetchone()[0]
    (resident,) = models.Resident.objects.bulk_create(
        [
            models.Resident(
                community=community, household_id=household_id, name="先到者", sex="F", birth_date=dt.date(1960, 5, 1)
            )
        ]
    )
    models.Household.objects.bulk_create(
        [models.Household(id=household_id, community=community, building=building, number="LATE-1")]
    )
    client.force_login(hall_staff)
    assert found(client, "LATE") == found(client, "后来") == found(client, "先到") == {resident.pk}


def test_id_numbers_are_searched_whole_and_only_by_roles_that_may_read_them(
    client, hall_staff, make_user, community, register
):
    from portal.core import roles

    resident = register[3]
    client.force_login(hall_staff)
    assert found(client, resident.id_number) == {resident.pk}
    assert found(client, resident.id_number.lower()) == {resident.pk}
    assert found(client, resident.id_number[:10]) == set()
    client.force_login(make_user(roles.HEALTH_STAFF, community))
    assert found(client, resident.id_number) == set()


def test_the_admin_searches_exactly_the_document_fields():
    model_admin = admin.site._registry[models.Resident]
    assert tuple(model_admin.search_fields) == search.DOCUMENT_FIELDS


def test_the_search_uses_the_index_and_no_join(client, district_admin, register):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    # The district sees no phone in full, so its search leaves the phone out (and with it the index): give it
    # the phone, as a district that adjusted the disclosure table would. No community condition either, so the
    # planner has nothing else to prefer on a small table.
    district_admin.user_permissions.add(Permission.objects.get(codename="see_phone", content_type__app_label="portal"))
    district_admin = type(district_admin).objects.get(pk=district_admin.pk)  # no stale permission cache
    client.force_login(district_admin)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, {"q": "金凤"})
    (count_sql,) = [
        q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "residents_resident" in q["sql"]
    ]
    assert "JOIN" not in count_sql
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + count_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "residents_resident_search_gin" in plan


@pytest.mark.parametrize("who", ["hall_staff", "district_admin"])
def test_a_search_runs_as_many_queries_for_many_residents_as_for_few(
    client, request, community, who, django_assert_max_num_queries
):
    building = BuildingFactory(community=community, name="3号楼")
    ResidentFactory.create_batch(3, community=community, household__building=building, name="韩梅")
    client.force_login(request.getfixturevalue(who))
    client.get(URL, {"q": "韩"})  # warm the per-process caches
    cache.clear()  # both sizes measured with the shared cache empty (filter choices, permissions)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"q": "韩"})
    for _ in range(3):
        BuildingFactory(community=community)  # more filter choices too
    ResidentFactory.create_batch(60, community=community, household__building=building, name="韩雪")
    cache.clear()
    with django_assert_max_num_queries(len(small)):
        response = client.get(URL, {"q": "韩"})
    assert response.context["cl"].result_count == 63


def test_the_condition_holds_inside_a_subquery(community):
    # e.g. an admin action on "all N selected" deletes WHERE id IN (the search as a subquery, tables renamed)
    mine = ResidentFactory(community=community, name="洪金凤")
    ResidentFactory(community=community, name="王秀英")
    inner = models.Resident.objects.filter(search.document_contains("金凤")).values("pk")
    assert list(models.Resident.objects.filter(pk__in=inner).values_list("pk", flat=True)) == [mine.pk]
    assert models.Household.objects.filter(members__in=inner).get() == mine.household
