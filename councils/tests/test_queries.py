"""Every list page runs the same number of queries for a few rows as for many (DESIGN.md rule 8)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from councils.models import (
    Attendance,
    Council,
    Meeting,
    Minutes,
    MinutesItem,
    Project,
    Resolution,
    ResolutionProgress,
    ResourcePledge,
    SuggestionSupport,
)
from councils.tests.factories import AgendaItemFactory, MeetingFactory, SuggestionFactory
from residents.tests.factories import StationedUnitFactory


def add_records(council, n, *, proposer, start=0):
    """n held meetings with published minutes, a resolution with progress each, n suggestions, n pledges."""
    members = list(council.members.all())
    joint = Council.objects.get(community=council.community, kind=Council.Kind.JOINT)
    for i in range(start, start + n):
        meeting = MeetingFactory(
            council=council,
            status=Meeting.Status.HELD,
            starts_at=timezone.now() - dt.timedelta(days=30 + i),
            members_count=len(members),
        )
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m, present=True) for m in members)
        agenda = AgendaItemFactory(meeting=meeting)
        minutes = Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED)
        item = MinutesItem.objects.create(
            minutes=minutes,
            agenda_item=agenda,
            decision="同意",
            votes_for=5,
            adopt_resolution=True,
            executor="committee",
        )
        resolution = Resolution.objects.create(
            community=council.community,
            council=council,
            minutes_item=item,
            year=2026,
            seq=i + 1,
            title=agenda.title,
            text="同意",
            executor="committee",
            deadline=timezone.localdate() - dt.timedelta(days=i % 3),
        )
        ResolutionProgress.objects.create(resolution=resolution, text="进行中")
        suggestion = SuggestionFactory(community=council.community, proposer=proposer, resolution=resolution)
        SuggestionSupport.objects.create(suggestion=suggestion, user=council.secretary)
        unit = StationedUnitFactory(community=council.community)
        project = Project.objects.create(council=joint, title=f"项目{i}", year=2025 + i % 2)
        coming = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=5 + i))
        AgendaItemFactory(meeting=coming)
        ResourcePledge.objects.create(
            council=joint,
            unit=unit,
            project=project,
            kind="room",
            description="活动室",
            year=2025 + i % 2,
            pledged=100,
            delivered=80,
        )
    return joint


PAGES = [
    ("ledger", lambda c: reverse("councils:ledger")),
    ("ledger_minutes", lambda c: reverse("councils:ledger_minutes", args=[c.community.slug])),
    ("ledger_resolutions", lambda c: reverse("councils:ledger_resolutions", args=[c.community.slug])),
    ("ledger_suggestions", lambda c: reverse("councils:ledger_suggestions", args=[c.community.slug])),
    ("council", lambda c: reverse("councils:council", args=[c.pk])),
    (
        "joint_council",
        lambda c: reverse("councils:council", args=[Council.objects.get(community=c.community, kind="joint").pk]),
    ),
    ("work", lambda c: reverse("councils:work")),
    ("triage", lambda c: reverse("councils:triage") + "?status=all"),
    ("my_suggestions", lambda c: reverse("councils:my_suggestions")),
]
LIMIT = 16


@pytest.mark.parametrize("name, url", PAGES, ids=[p[0] for p in PAGES])
def test_list_pages_run_a_fixed_number_of_queries(
    client, council, secretary, resident_user, django_assert_max_num_queries, name, url, settings
):
    settings.DEBUG = False
    user = resident_user if name == "my_suggestions" else secretary
    client.force_login(user)
    add_records(council, 2, proposer=resident_user)
    client.get(url(council))  # warm up the per-session and per-process caches of the site core
    cache.clear()  # measure the page as rendered, not as served from the page cache
    with django_assert_max_num_queries(LIMIT) as small:
        assert client.get(url(council)).status_code == 200
    add_records(council, 25, proposer=resident_user, start=2)
    cache.clear()
    with django_assert_max_num_queries(LIMIT) as large:
        response = client.get(url(council))
    assert response.status_code == 200
    print(f"QUERIES {name}: {len(small.captured_queries)} (2 rows) / {len(large.captured_queries)} (27 rows)")
    assert len(large.captured_queries) == len(small.captured_queries), name
