"""The community dashboard: staff see their own community's figures, as charts and tables, in constant queries."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from portal.core import roles


def test_dashboard_is_for_staff(client, resident_user, hall_staff, community):
    client.force_login(resident_user)
    assert client.get(reverse("portal:dashboard")).status_code == 403
    client.force_login(hall_staff)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert community.name in html and "<svg" in html and "<table" in html


def test_dashboard_counts_bookings_and_cases(client, make_user, community):
    from services.models import Case, ServiceItem
    from services.seed import seed_catalogue

    seed_catalogue(community)
    resident = make_user(roles.RESIDENT, community).resident
    item = ServiceItem.objects.filter(community=community).first()
    Case.objects.create(
        community=community,
        resident=resident,
        item=item,
        title="漏水",
        description="x",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    staff = make_user(roles.COMMITTEE_DIRECTOR, community)
    client.force_login(staff)
    response = client.get(reverse("portal:dashboard"))
    panels = {p.title: p for p in response.context["panels"]}
    cases = next(p for title, p in panels.items() if "办件" in title or "Cases" in title)
    assert sum(row[1] for row in cases.rows) == 1


def test_dashboard_queries_do_not_grow_with_data(client, make_user, community, django_assert_max_num_queries):
    import random

    from services.seed import seed_hall

    staff = make_user(roles.COMMITTEE_DIRECTOR, community)
    client.force_login(staff)
    with django_assert_max_num_queries(30) as empty:
        client.get(reverse("portal:dashboard"))
    seed_hall(community, rng=random.Random(1), scale_index=0)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(reverse("portal:dashboard"))
