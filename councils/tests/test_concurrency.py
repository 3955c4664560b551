"""Resolution numbers stay gap-free and unique when two convenors approve at the same moment (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
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


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_never_double_count(community, make_user, secretary, convenor, director):
    """Eight members vote at the same moment, and one of them twice: every vote counts once (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from councils.models import Ballot, Motion
    from portal.core import roles

    council = {c.kind: c for c in actions.councils_ensure(community=community)}[Council.Kind.DELIBERATION]
    members = MemberFactory.create_batch(8, council=council)
    for member in members:
        member.user = make_user(roles.RESIDENT, community, name=member.name)
        member.save()
    meeting = MeetingFactory(council=council, starts_at=timezone.now())
    item = AgendaItemFactory(meeting=meeting)
    actions.attendance_record(meeting=meeting, present_member_ids=[m.pk for m in members], by=secretary)
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    actions.motion_open(motion=motion, by=secretary)

    voters = [(m, "yes" if i % 3 else "no") for i, m in enumerate(members)] + [(members[0], "yes")]
    barrier = threading.Barrier(len(voters))
    refused = []
    errors = []

    def vote(member, choice):
        try:
            barrier.wait()
            actions.ballot_cast(motion=motion, member=member, choice=choice, by=member.user)
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=pair) for pair in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(refused) == 1  # members[0]'s second vote
    motion = Motion.objects.get(pk=motion.pk)
    assert Ballot.objects.filter(motion=motion).count() == 8
    assert motion.votes_cast == 8
    # members[0] voted no and yes at once: whichever came first counts, once.
    assert motion.votes_no == Ballot.objects.filter(motion=motion, choice="no").count() in (2, 3)
    assert motion.votes_yes == Ballot.objects.filter(motion=motion, choice="yes").count() == 8 - motion.votes_no


@pytest.mark.django_db(transaction=True)
def test_comments_sent_at_once_never_pass_the_rate_limit(community, make_user, monkeypatch):
    """Four comments of one person at the same moment against a limit of two a minute: two are published."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from councils.actions import comments as comment_actions
    from councils.models import Comment
    from councils.tests.factories import SuggestionFactory
    from portal.core import roles
    from portal.core.ratelimit import Limit

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    limit = Limit(2, dt.timedelta(minutes=1), comment_actions.COMMENT_LIMITS[0].message)
    monkeypatch.setattr(comment_actions, "COMMENT_LIMITS", (limit,))
    suggestion = SuggestionFactory(community=community)
    author = make_user(roles.RESIDENT, community)
    barrier = threading.Barrier(4)
    refused, errors = [], []

    def send(n):
        try:
            barrier.wait()
            comment_actions.comment_post(subject=suggestion, author=author, text=f"第{n}条")
        except ValidationError:
            refused.append(n)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Comment.objects.count() == 2 and len(refused) == 2
