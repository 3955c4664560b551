"""Every list page runs the same number of queries for a few rows as for many (DESIGN.md rule 8)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from residents.models import PartyMember
from volunteers.models import DutyPost, SignUp, VisitPlan
from volunteers.tests.factories import ActivityFactory, PersonServedFactory, TeamFactory, VolunteerFactory
from volunteers.tests.test_party import make_network

# The most queries each page may run (session, user, groups/permissions, unread count, and the page's own).
BUDGET = {
    "index": 12,
    "activity_list": 8,
    "dashboard": 9,
    "roster": 8,
    "volunteer_list": 7,
    "applications": 8,
    "served_list": 8,
    "stats": 7,
    "party_network": 9,
    "duty_posts": 6,
}


def grow(page, community, n, user):
    """Add n rows of what `page` lists."""
    team = TeamFactory(community=community)
    volunteer = user.resident.volunteer if hasattr(user, "resident") and hasattr(user.resident, "volunteer") else None
    if page in ("index", "activity_list", "dashboard"):
        for _ in range(n):
            activity = ActivityFactory(community=community, team=team)
            if volunteer:
                SignUp.objects.create(activity=activity, volunteer=volunteer)
            ActivityFactory(community=community, team=team, date=timezone.localdate() - dt.timedelta(days=3))
        TeamFactory.create_batch(n, community=community)
    elif page == "roster":
        activity = ActivityFactory(community=community, capacity=100)
        for _ in range(n):
            SignUp.objects.create(
                activity=activity,
                volunteer=VolunteerFactory(community=community, team=team),
                hours=3,
                checked_in_at=timezone.now(),
                checked_out_at=timezone.now(),
            )
        return {"pk": activity.pk}
    elif page in ("volunteer_list", "stats"):
        for _ in range(n):
            v = VolunteerFactory(community=community, team=team)
            a = ActivityFactory(community=community, date=dt.date(2026, 3, 3))
            SignUp.objects.create(activity=a, volunteer=v, hours=3, hours_confirmed_at=timezone.now())
    elif page == "applications":
        VolunteerFactory.create_batch(n, community=community, status="applied", number="", approved_on=None)
    elif page == "served_list":
        for _ in range(n):
            VisitPlan.objects.create(person=PersonServedFactory(community=community), team=team)
    elif page == "party_network":
        make_network(community, members_per_group=n)
    elif page == "duty_posts":
        if not PartyMember.objects.filter(community=community).exists():
            make_network(community, members_per_group=1)
        for i in range(n):
            post = DutyPost.objects.create(community=community, kind="area", title=f"责任区{i}")
            post.holders.set(PartyMember.objects.all()[:3])
    return {}


def count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_list_page_query_count_does_not_grow_with_rows(
    client, page, director, volunteer_user, community, django_assert_max_num_queries
):
    coordinator_page = page in ("dashboard", "roster", "volunteer_list", "applications", "served_list", "stats")
    user = director if coordinator_page else volunteer_user
    client.force_login(user)
    params = {"month": "2026-03"} if page == "stats" else {}
    kwargs = grow(page, community, 2, user)
    url = reverse(f"volunteers:{page}", kwargs=kwargs)
    client.get(url, params)  # warm: what the cache keeps (the unread badge) is read once, not per page view
    small = count(client, url, params)
    if page == "roster":
        # Same activity, more sign-ups.
        activity_pk = kwargs["pk"]
        for _ in range(20):
            SignUp.objects.create(activity_id=activity_pk, volunteer=VolunteerFactory(community=community), hours=3)
    elif page == "party_network":
        make_network(community.__class__.objects.create(district=community.district, name="x", slug="x"), 1)
        PartyMember.objects.bulk_create(
            PartyMember(
                community=community, name=f"新党员{i}", category="retired", management="self", group=g, branch=g.branch
            )
            for i, g in enumerate(list(community.party_groups.all()) * 5)
        )
    else:
        grow(page, community, 20, user)
    client.get(url, params)
    with django_assert_max_num_queries(BUDGET[page]):
        large = count(client, url, params)
    print(f"{page}: {small} queries with a few rows, {large} with many")
    assert large == small
