"""The seed's COPY path (portal.core.bulk, PostgreSQL) writes the same rows as the plain path (bulk_create, as on
SQLite), and the register's trigger-kept search index is right after a COPY seed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from portal.core import bulk, seeding
from portal.core.models import Community, SearchEntry
from residents import search
from residents.models import Household, Resident

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

COMMUNITIES = 2


def snapshot() -> dict[str, list[tuple[tuple, tuple]]]:
    """Every row of every table, in primary key order: (the values, the datetimes). The datetimes apart, as the
    seed derives some of them from the moment it runs."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows = []
        for row in model._base_manager.order_by("pk").values_list(*names):
            exact = tuple(v for v in row if not isinstance(v, dt.datetime))
            rows.append((exact, tuple(v for v in row if isinstance(v, dt.datetime))))
        result[model._meta.label] = rows
    with connection.cursor() as cursor:  # the register's search columns, which Django does not declare
        cursor.execute("SELECT id, search_text, search_tokens FROM residents_resident ORDER BY id")
        result["residents.Resident:search"] = [((pk, text, tuple(sorted(tokens))), ()) for pk, text, tokens in cursor]
    return result


def sequences() -> dict[str, tuple[int, bool]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return {name: (value or 1, value is not None) for name, value in cursor.fetchall()}


def restart(state: dict[str, tuple[int, bool]]) -> None:
    """Every sequence where it was (sequences do not roll back): both runs draw the same primary keys."""
    with connection.cursor() as cursor:
        for name, (value, called) in state.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value, called])


def seed(use_copy: bool, monkeypatch) -> tuple[dict, dt.datetime, dict]:
    monkeypatch.setattr(bulk, "USE_COPY", use_copy)
    started = timezone.now()
    seeding.run(communities=COMMUNITIES)
    rows = snapshot()
    checks = index_checks() if use_copy else {}  # after the snapshot: it renumbers a household
    return rows, started, checks


def index_checks() -> dict[str, object]:
    """What a COPY seed leaves in the search indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FILTER (WHERE search_tokens IS NULL),
                      count(*) FILTER (WHERE search_text IS DISTINCT FROM
                                             residents_search_document(name, phone, household_id)
                                          OR search_tokens IS DISTINCT FROM portal_bigrams(search_text)),
                      count(*)
                 FROM residents_resident"""
        )
        missing, stale, total = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM portal_searchentry WHERE search_tokens IS NULL OR search_tokens = '{}'")
        (entries_without_tokens,) = cursor.fetchone()
    resident = Resident.objects.select_related("household__building").order_by("-pk").first()
    found = {}
    for word in (resident.name, resident.phone[-5:], resident.household.number, resident.household.building.name):
        scan = Resident.objects.filter(
            models.Q.create([(f"{f}__icontains", word) for f in search.DOCUMENT_FIELDS], connector=models.Q.OR)
        )
        indexed = Resident.objects.filter(search.document_contains(word))
        found[word] = (set(indexed.values_list("pk", flat=True)), set(scan.values_list("pk", flat=True)), resident.pk)
    # A household renumbered after the seed: its members' documents follow (the triggers are in place).
    household = resident.household
    household.number = "RENUMBERED-1"
    household.save(update_fields=["number"])
    renumbered = set(Resident.objects.filter(search.document_contains("RENUMBERED-1")).values_list("pk", flat=True))
    return {
        "missing": missing,
        "stale": stale,
        "total": total,
        "entries": SearchEntry.objects.count(),
        "entries_without_tokens": entries_without_tokens,
        "found": found,
        "renumbered": (renumbered, set(Resident.objects.filter(household=household).values_list("pk", flat=True))),
    }


@pytest.fixture(scope="module")
def both(django_db_setup, django_db_blocker):
    """A two-community seed by COPY and the same seed by bulk_create from the same sequence values, each rolled
    back after its snapshot."""
    with pytest.MonkeyPatch.context() as monkeypatch, django_db_blocker.unblock():
        runs = {}
        state = sequences()
        for use_copy in (True, False):
            restart(state)
            with transaction.atomic():
                runs[use_copy] = seed(use_copy, monkeypatch)
                transaction.set_rollback(True)
        assert not Community.objects.exists()
        yield runs


def test_copy_and_plain_paths_write_the_same_rows(both):
    (copied, copy_started, _), (plain, plain_started, _) = both[True], both[False]
    assert copied.keys() == plain.keys()
    assert len(copied["residents.Resident"]) > 15_000 and len(copied["services.Reading"]) > 10_000
    shift = abs(plain_started - copy_started) + dt.timedelta(minutes=2)
    differ = []
    for label in copied:
        a, b = copied[label], plain[label]
        if len(a) != len(b) or [exact for exact, _ in a] != [exact for exact, _ in b]:
            differ.append(label)
        elif not all(
            abs(x - y) <= shift
            for (_, moments_a), (_, moments_b) in zip(a, b, strict=True)
            for x, y in zip(moments_a, moments_b, strict=True)
        ):
            differ.append(label + " (datetimes)")
    assert not differ, ", ".join(differ)


def test_search_indexes_are_right_after_a_copy_seed(both):
    checks = both[True][2]
    assert checks["total"] > 15_000
    assert checks["missing"] == 0 and checks["stale"] == 0
    assert checks["entries"] > 0 and checks["entries_without_tokens"] == 0
    for word, (indexed, scan, pk) in checks["found"].items():
        assert pk in indexed and indexed == scan, word
    renumbered, members = checks["renumbered"]
    assert renumbered == members and members


def test_bulk_insert_writes_what_it_is_given(community):
    area = community.areas.create(name="一区")
    building = area.buildings.create(community=community, name="1号楼")
    # A household given its primary key: bulk_create's business, not COPY's.
    given = Household(pk=987654, community=community, building=building, number="1-01", room="101")
    assert bulk.bulk_insert([given])[0].pk == 987654
    # Text with the characters COPY's text format escapes arrives as it was.
    tricky = Household(community=community, building=building, number="tab\there\\back", room="new\nline\r")
    (saved,) = bulk.bulk_insert([tricky])
    assert saved.pk is not None and not saved._state.adding
    assert Household.objects.values_list("number", "room").get(pk=saved.pk) == ("tab\there\\back", "new\nline\r")


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def residents_of_each_community() -> dict[str, list[tuple]]:
    """Each community's people. Of the ID number, the region and the birth date: two communities seeded side by
    side may draw the same number, and the one committing second then draws its sequence digits again."""
    rows = Resident.objects.order_by("community__slug", "id_number", "name").values_list(
        "community__slug", "name", "id_number", "birth_date", "household__number"
    )
    found: dict[str, list[tuple]] = {}
    for slug, name, id_number, born, household in rows:
        found.setdefault(slug, []).append((name, id_number[:14], born, household))
    return {slug: sorted(people) for slug, people in found.items()}


@pytest.mark.django_db(transaction=True)
def test_communities_seeded_side_by_side_are_the_ones_seeded_one_by_one(monkeypatch):
    """`seed_demo --jobs 2`: the communities after the first seeded by two processes, each community in its own
    transaction, hold what a one-by-one seed makes: as many rows in every table, the same people, every ID number
    once."""
    with transaction.atomic():
        seeding.run(communities=3, jobs=1)
        one_by_one = table_counts(), residents_of_each_community()
        transaction.set_rollback(True)
    assert not Community.objects.exists()

    lines, forked = [], []
    in_processes = seeding._in_processes
    monkeypatch.setattr(seeding, "_in_processes", lambda *args: forked.append(args[4]) or in_processes(*args))
    seeding.run(communities=3, jobs=2, log=lines.append)
    assert forked == [2]
    side_by_side = table_counts(), residents_of_each_community()
    assert [line.split(":")[0] for line in lines] == [
        "[1/3] 南环东路社区 (nanhuandonglu)", "[2/3] 建设社区 (jianshe)", "[3/3] 朝阳社区 (chaoyang)"
    ]  # fmt: skip
    assert side_by_side[0] == one_by_one[0]
    assert side_by_side[1] == one_by_one[1]
    numbers = list(Resident.objects.values_list("id_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert len(side_by_side[1]) == 3 and all(len(people) > 7000 for people in side_by_side[1].values())
