"""Resolution numbers stay gap-free and unique when two convenors approve at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from councils import actions
from councils.models import Council, Resolution
from councils.tests.conftest import fill_minutes
from councils.tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_get_consecutive_numbers(community, make_user, secretary, convenor, director):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    councils = {c.kind: c for c in actions.councils_ensure(community=community)}
    submitted = []
    for kind, approver in ((Council.Kind.DELIBERATION, convenor), (Council.Kind.COORDINATION, director)):
        council = councils[kind]
        MemberFactory.create_batch(7, council=council)
        meeting = MeetingFactory(council=council, starts_at=timezone.now())
        AgendaItemFactory(meeting=meeting)
        actions.attendance_record(
            meeting=meeting, present_member_ids=list(council.members.values_list("pk", flat=True)), by=secretary
        )
        minutes = actions.minutes_start(meeting=meeting, by=secretary)
        fill_minutes(minutes, secretary)
        actions.minutes_submit(minutes=minutes, by=secretary)
        submitted.append((minutes, approver))

    barrier = threading.Barrier(2)
    errors = []

    def approve(minutes, approver):
        try:
            barrier.wait()
            actions.minutes_approve(minutes=minutes, by=approver)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in submitted]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(Resolution.objects.values_list("seq", flat=True)) == [1, 2]
