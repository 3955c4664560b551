"""Voting in the meeting room (actions): amendments before the motion, who may vote, the quorum, the result, the
minutes written from the vote, the lock once they are approved, and the speakers list."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils import actions
from councils.models import Ballot, Minutes, MinutesItem, Motion, Speaker
from councils.tests.conftest import fill_minutes
from portal.core import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(held_meeting):
    return held_meeting.agenda.order_by("order").first()


@pytest.fixture
def present(held_meeting):
    return list(actions.present_members(held_meeting).order_by("pk"))


def vote_all(motion, members, choices, secretary):
    for member, choice in zip(members, choices, strict=False):
        actions.ballot_cast(motion=motion, member=member, choice=choice, by=secretary)


def test_amendment_is_voted_before_the_motion_and_rewrites_it(item, present, secretary):
    motion = actions.motion_propose(item=item, text="供暖费按面积收取。", by=secretary)
    amendment = actions.motion_propose(item=item, text="供暖费按面积收取，困难户减半。", amends=motion, by=secretary)
    with pytest.raises(ValidationError) as exc:
        actions.motion_open(motion=motion, by=secretary)
    assert exc.value.code == "amendments_first"
    actions.motion_open(motion=amendment, by=secretary)
    with pytest.raises(ValidationError):  # one open vote at a time
        actions.motion_open(motion=motion, by=secretary)
    vote_all(amendment, present, ["yes", "yes", "yes", "yes", "no", "abstain"], secretary)
    amendment = actions.motion_close(motion=amendment, by=secretary)
    assert (amendment.votes_yes, amendment.votes_no, amendment.votes_abstain) == (4, 1, 1)
    assert amendment.carried and amendment.quorum_reached and amendment.present == 6
    motion.refresh_from_db()
    assert motion.text == "供暖费按面积收取，困难户减半。"
    assert motion.original_text == "供暖费按面积收取。"
    with pytest.raises(ValidationError):  # an amendment is not amended
        actions.motion_propose(item=item, text="再改", amends=amendment, by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    with pytest.raises(ValidationError):
        actions.motion_propose(item=item, text="太迟的修正", amends=motion, by=secretary)


def test_one_motion_per_item(item, secretary):
    actions.motion_propose(item=item, text="动议一", by=secretary)
    with pytest.raises(ValidationError) as exc:
        actions.motion_propose(item=item, text="动议二", by=secretary)
    assert "text" in exc.value.message_dict


def test_result_needs_more_than_half_of_the_votes_cast(item, present, secretary):
    motion = actions.motion_propose(item=item, text="划线停车位。", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    vote_all(motion, present, ["yes", "yes", "yes", "no", "no", "abstain"], secretary)
    motion = actions.motion_close(motion=motion, by=secretary)
    assert motion.votes_cast == 6 and not motion.carried  # 3 of 6 is not more than half


def test_without_quorum_nothing_carries(meeting, secretary):
    members = list(meeting.council.members.values_list("pk", flat=True))
    actions.attendance_record(meeting=meeting, present_member_ids=members[:4], by=secretary)  # 4 of 9: needs 5
    item = meeting.agenda.first()
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    vote_all(motion, list(actions.present_members(meeting)), ["yes"] * 4, secretary)
    motion = actions.motion_close(motion=motion, by=secretary)
    assert motion.votes_yes == 4 and motion.quorum_reached is False and motion.carried is False


def test_only_present_members_vote_once_each(item, present, held_meeting, secretary):
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    with pytest.raises(ValidationError):  # not open yet
        actions.ballot_cast(motion=motion, member=present[0], choice="yes", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    actions.ballot_cast(motion=motion, member=present[0], choice="yes", by=secretary)
    with pytest.raises(ValidationError) as exc:
        actions.ballot_cast(motion=motion, member=present[0], choice="no", by=secretary)
    assert exc.value.code == "voted"
    absent = held_meeting.council.members.exclude(pk__in=[m.pk for m in present]).first()
    with pytest.raises(ValidationError) as exc:
        actions.ballot_cast(motion=motion, member=absent, choice="yes", by=secretary)
    assert exc.value.code == "absent"
    with pytest.raises(ValidationError):
        actions.ballot_cast(motion=motion, member=present[1], choice="maybe", by=secretary)
    motion.refresh_from_db()
    assert motion.votes_cast == 1 and Ballot.objects.filter(motion=motion).count() == 1


def test_a_member_with_an_account_votes_on_their_own_phone(item, present, make_user, community, secretary):
    user = make_user(roles.RESIDENT, community)
    member = present[0]
    member.user = user
    member.save()
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    with pytest.raises(ValidationError) as exc:  # the secretary does not vote for them
        actions.ballot_cast(motion=motion, member=member, choice="yes", by=secretary)
    assert "member" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # nor does the member vote for another
        actions.ballot_cast(motion=motion, member=present[1], choice="yes", by=user)
    ballot = actions.ballot_cast(motion=motion, member=member, choice="no", by=user)
    assert ballot.choice == "no" and ballot.entered_by == user


def test_a_secret_vote_keeps_who_voted_but_not_how(item, present, secretary):
    motion = actions.motion_propose(item=item, text="动议", secret=True, by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    vote_all(motion, present[:3], ["yes", "no", "yes"], secretary)
    motion = actions.motion_close(motion=motion, by=secretary)
    assert (motion.votes_yes, motion.votes_no) == (2, 1)
    assert set(Ballot.objects.filter(motion=motion).values_list("choice", flat=True)) == {""}
    assert Ballot.objects.filter(motion=motion).count() == 3


def test_the_result_goes_into_the_minutes_and_locks_with_them(item, present, held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)  # typed: 5 / 1 / 0
    motion = actions.motion_propose(item=item, text="供暖费按面积收取。", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    vote_all(motion, present, ["yes", "yes", "yes", "yes", "no", "abstain"], secretary)
    actions.motion_close(motion=motion, by=secretary)
    row = MinutesItem.objects.get(minutes=minutes, agenda_item=item)
    assert (row.votes_for, row.votes_against, row.votes_abstain) == (4, 1, 1)
    # Typing over the vote's totals does nothing.
    actions.minutes_save_draft(
        minutes=minutes, by=secretary, summary="s", items={row.pk: {"votes_for": 9, "discussion": "改"}}
    )
    row.refresh_from_db()
    assert row.votes_for == 4 and row.discussion == "改"
    actions.minutes_submit(minutes=minutes, by=secretary)
    with pytest.raises(ValidationError):  # the meeting room is closed once the minutes are submitted
        actions.motion_propose(item=held_meeting.agenda.last(), text="迟到的动议", by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)
    motion.refresh_from_db()
    assert motion.is_locked and Ballot.objects.filter(motion=motion).first().is_locked
    with pytest.raises(ValidationError) as exc:
        actions.ballot_cast(motion=motion, member=present[0], choice="yes", by=secretary)
    assert exc.value.code == "locked"


def test_minutes_started_after_the_vote_take_its_totals(item, present, held_meeting, secretary):
    motion = actions.motion_propose(item=item, text="动议文本", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    vote_all(motion, present, ["yes", "no"], secretary)
    actions.motion_close(motion=motion, by=secretary)
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    row = minutes.items.get(agenda_item=item)
    assert (row.votes_for, row.votes_against, row.decision) == (1, 1, "动议文本")
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


def test_only_the_meeting_staff_run_votes(item, make_user, community):
    outsider = make_user(roles.HALL_STAFF, community)
    with pytest.raises(PermissionDenied):
        actions.motion_propose(item=item, text="动议", by=outsider)


def test_votes_wait_for_the_attendance(meeting, secretary):
    with pytest.raises(ValidationError) as exc:
        actions.motion_propose(item=meeting.agenda.first(), text="动议", by=secretary)
    assert exc.value.code == "not_held"


def test_speakers_list(item, present, secretary):
    a, b, c = (actions.speaker_request(item=item, member=m, by=secretary) for m in present[:3])
    with pytest.raises(ValidationError):
        actions.speaker_request(item=item, member=present[0], by=secretary)
    actions.speaker_step(speaker=c, step="up", by=secretary)
    assert list(item.speakers.order_by("position").values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    actions.speaker_step(speaker=a, step="start", by=secretary)
    actions.speaker_step(speaker=c, step="start", by=secretary)  # a is done
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.status == Speaker.Status.DONE and c.status == Speaker.Status.SPEAKING
    actions.speaker_step(speaker=c, step="stop", by=secretary)
    actions.speaker_step(speaker=b, step="withdraw", by=secretary)
    b.refresh_from_db()
    assert b.status == Speaker.Status.WITHDRAWN
    actions.speaker_request(item=item, member=present[1], by=secretary)  # may ask again
    with pytest.raises(ValidationError):
        actions.speaker_step(speaker=a, step="stop", by=secretary)
    assert Motion.objects.count() == 0
