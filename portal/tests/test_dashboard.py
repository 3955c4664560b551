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


def test_every_dashboard_chart_has_axes_labels_units_and_its_table(client, make_user, community):
    """Each chart names what its bars measure (with the unit) and what they are, has a scale, and sits beside the
    table of the same figures."""
    import re

    from services.seed import seed_catalogue

    seed_catalogue(community)
    client.force_login(make_user(roles.COMMITTEE_DIRECTOR, community))
    response = client.get(reverse("portal:dashboard"))
    html = response.content.decode()
    charted = [p for p in response.context["panels"] if p.bars]
    assert len(charted) >= 4
    svgs = re.findall(r"<svg class=\"bar-chart\".*?</svg>", html, re.S)
    assert len(svgs) == len(charted)
    for panel, svg in zip(charted, svgs, strict=True):
        assert panel.value_label and re.search(r"（.+）|\(.+\)", panel.value_label), panel.title  # a unit
        assert f">{panel.value_label}</text>" in svg and f">{panel.category_label}</text>" in svg
        assert len(re.findall(r'<text class="tick"[^>]*text-anchor="end"', svg)) == 5  # the value scale
        assert svg.count('class="axis"') == 2
        for bar in panel.bars:
            assert f"<title>{bar.label}: {bar.value_text}</title>" in svg
    # the chart in one column, its table in the next
    assert html.count('<div class="col-lg-7">') == len(charted) and html.count('<div class="col-lg-5">') == len(charted)


def test_the_value_axis_ends_on_a_round_number_and_crowded_labels_thin_out():
    from portal.core.panels import Panel, nice_ceiling

    assert [nice_ceiling(v) for v in (0, 0.7, 3, 7, 12, 26, 180, 640)] == [1, 1, 5, 10, 20, 50, 200, 1000]
    few = Panel(title="t", columns=["月份", "n"], rows=[], chart=[("1", 1), ("2", 2), ("3", 4)], value_label="次")
    assert [t.label for t in few.ticks] == ["0", "1", "2", "3", "4"] and all(b.show_label for b in few.bars)
    hours = Panel(title="t", columns=["室", "h"], rows=[], chart=[("a", 0.7), ("b", 26.5)])
    assert [t.label for t in hours.ticks] == ["0", "10", "20", "30", "40"]
    crowded = Panel(title="t", columns=["周", "n"], rows=[], chart=[("2026-11-09", i) for i in range(12)])
    shown = [b.show_label for b in crowded.bars]
    assert shown[0] and not all(shown)
