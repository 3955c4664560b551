"""Quorum: more than half of the members unless the council says otherwise; without it no resolution passes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils import actions
from councils.tests.conftest import fill_minutes
from councils.tests.factories import CouncilFactory


@pytest.mark.parametrize(
    "members, percent, needed",
    [(9, 50, 5), (10, 50, 6), (16, 50, 9), (9, 66, 6), (1, 50, 1), (0, 50, 1)],
)
def test_quorum_is_more_than_the_councils_share_of_members(community, members, percent, needed):
    council = CouncilFactory.build(community=community, quorum_percent=percent)
    assert council.quorum_needed(members) == needed


def test_attendance_freezes_the_member_count_and_computes_quorum(held_meeting):
    quorum = held_meeting.quorum()
    assert (quorum.members, quorum.present, quorum.needed, quorum.reached) == (9, 6, 5, True)


def test_without_quorum_no_resolution_can_be_passed_and_the_page_says_why(client, meeting, secretary):
    members = list(meeting.council.members.values_list("pk", flat=True))
    actions.attendance_record(meeting=meeting, present_member_ids=members[:4], by=secretary)  # 4 of 9
    assert not meeting.quorum().reached
    minutes = actions.minutes_start(meeting=meeting, by=secretary)
    fill_minutes(minutes, secretary)
    with pytest.raises(ValidationError) as exc:
        actions.minutes_submit(minutes=minutes, by=secretary)
    assert "quorum" in str(exc.value) or "法定人数" in str(exc.value)

    client.force_login(secretary)
    page = client.get(reverse("councils:minutes_edit", args=[meeting.pk])).content.decode()
    assert 'id="no-quorum"' in page  # the warning that says why

    # Recording without passing a resolution is fine.
    item = minutes.items.order_by("agenda_item__order").first()
    actions.minutes_save_draft(minutes=minutes, by=secretary, summary="", items={item.pk: {"adopt_resolution": False}})
    actions.minutes_submit(minutes=minutes, by=secretary)


def test_a_meeting_with_quorum_shows_no_warning(client, held_meeting, secretary):
    client.force_login(secretary)
    page = client.get(reverse("councils:minutes_edit", args=[held_meeting.pk])).content.decode()
    assert 'id="no-quorum"' not in page


def test_votes_cannot_exceed_the_members_present(held_meeting, secretary):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    item = minutes.items.order_by("agenda_item__order").first()
    actions.minutes_save_draft(minutes=minutes, by=secretary, summary="", items={item.pk: {"votes_for": 7}})
    with pytest.raises(ValidationError):
        actions.minutes_submit(minutes=minutes, by=secretary)


def test_only_members_of_the_council_can_attend(meeting, secretary):
    with pytest.raises(ValidationError):
        actions.attendance_record(meeting=meeting, present_member_ids=[999999], by=secretary)
