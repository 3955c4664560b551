"""The admin case list and the resident pages at 50,000 cases: the query count does not grow.

Slow (bulk-creates 50,000 cases): runs only with HALL_SCALE=1.
"""

import datetime as dt
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from residents.tests.factories import ResidentFactory
from services.models import Case

pytestmark = pytest.mark.skipif(
    not os.environ.get("HALL_SCALE"), reason="set HALL_SCALE=1 to run the 50,000-case check"
)


def _measure(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, params or {})
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return len(queries), elapsed


def test_admin_case_list_at_50000_cases(client, community, hall_staff, resident_user, catalogue):
    residents = [ResidentFactory(community=community) for _ in range(50)] + [resident_user.resident]
    today = timezone.localdate()
    small = {}
    client.force_login(hall_staff)
    url = reverse("admin:services_case_changelist")
    Case.objects.bulk_create(
        Case(community=community, resident=residents[i % len(residents)], title=f"报修{i}", description="x",
             kind="repair", counter=catalogue[4], assignee=hall_staff, deadline=today + dt.timedelta(days=i % 9 - 4))
        for i in range(50)
    )  # fmt: skip
    for name, params in [("all", {}), ("overdue", {"overdue": "yes"}), ("status", {"status__exact": "submitted"})]:
        small[name] = _measure(client, url, params)
    Case.objects.bulk_create(
        (
            Case(community=community, resident=residents[i % len(residents)], title=f"报修{i}", description="x",
                 kind="repair", counter=catalogue[4], assignee=hall_staff, deadline=today + dt.timedelta(days=i % 9 - 4))
            for i in range(50_000)
        ),
        batch_size=5000,
    )  # fmt: skip
    connection.cursor().execute("ANALYZE services_case")
    large = {name: _measure(client, url, params) for name, params in [("all", {}), ("overdue", {"overdue": "yes"}),
                                                                        ("status", {"status__exact": "submitted"})]}  # fmt: skip
    print("\nadmin case list (queries, seconds) at 50 cases:", small, "\nat 50,050 cases:", large)
    assert {k: v[0] for k, v in small.items()} == {k: v[0] for k, v in large.items()}
