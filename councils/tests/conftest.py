"""Fixtures for the councils: the three councils of `community` with their secretary and convenors, members,
and a meeting that has been held with quorum."""

import datetime as dt

import pytest
from django.utils import timezone

from councils import actions
from councils.models import Council
from councils.tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory
from portal.core import roles


@pytest.fixture
def secretary(make_user, community):
    return make_user(roles.COUNCIL_SECRETARY, community, name="秘书小王")


@pytest.fixture
def convenor(make_user, community):
    return make_user(roles.BRANCH_SECRETARY, community, name="书记老李")


@pytest.fixture
def director(make_user, community):
    return make_user(roles.COMMITTEE_DIRECTOR, community, name="主任老张")


@pytest.fixture
def councils(community, secretary, convenor, director):
    return {c.kind: c for c in actions.councils_ensure(community=community)}


@pytest.fixture
def council(councils):
    """The deliberation council (党居议事会) with nine members."""
    council = councils[Council.Kind.DELIBERATION]
    MemberFactory.create_batch(9, council=council)
    return council


@pytest.fixture
def meeting(council):
    """A meeting an hour ago, with two agenda items, not yet recorded."""
    meeting = MeetingFactory(council=council, starts_at=timezone.now() - dt.timedelta(hours=1))
    AgendaItemFactory(meeting=meeting, title="供暖费收缴办法")
    AgendaItemFactory(meeting=meeting, title="停车位划线")
    return meeting


@pytest.fixture
def held_meeting(meeting, secretary):
    """The meeting, held with six of nine members present (quorum: five)."""
    members = list(meeting.council.members.values_list("pk", flat=True))
    actions.attendance_record(meeting=meeting, present_member_ids=members[:6], by=secretary)
    return meeting


def fill_minutes(minutes, secretary, *, adopt=True, unit=None):
    """Record a decision on every item; the first becomes a resolution for the residents' committee."""
    items = {}
    for index, item in enumerate(minutes.items.order_by("agenda_item__order")):
        items[item.pk] = {
            "discussion": "大家充分讨论。",
            "decision": f"决定：{item.agenda_item.title}，由居委会落实。",
            "votes_for": 5,
            "votes_against": 1,
            "votes_abstain": 0,
            "adopt_resolution": adopt and index == 0,
            "executor": "committee",
            "deadline": timezone.localdate() + dt.timedelta(days=30),
        }
    return actions.minutes_save_draft(minutes=minutes, by=secretary, summary="会议由书记主持。", items=items)
