"""The meeting room's pages: who may open them, hostile and invalid input, the projector's signed link, the
members' phones."""

import pytest
from django.core import signing
from django.urls import reverse

from councils import actions
from councils.models import Ballot, Motion, Speaker
from councils.views.screen import PROJECTOR_SALT, projector_token
from portal.core import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(held_meeting):
    return held_meeting.agenda.order_by("order").first()


@pytest.fixture
def present(held_meeting):
    return list(actions.present_members(held_meeting).order_by("pk"))


@pytest.fixture
def phone_member(present, make_user, community):
    """A present member with a portal account."""
    member = present[0]
    member.user = make_user(roles.RESIDENT, community, name=member.name)
    member.save()
    return member


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_secretary_runs_the_room(client, held_meeting, item, present, secretary):
    as_user(client, secretary)
    assert client.get(reverse("councils:meeting_room", args=[held_meeting.pk])).status_code == 200
    response = client.post(
        reverse("councils:motion_add", args=[held_meeting.pk]), {"item": item.pk, "text": "供暖费按面积收取。"}
    )
    assert response.status_code == 302
    motion = Motion.objects.get(agenda_item=item)
    client.post(reverse("councils:motion_open", args=[motion.pk]))
    response = client.post(
        reverse("councils:ballot_enter", args=[motion.pk]), {"member": present[1].pk, "choice": "yes"}
    )
    assert response.status_code == 302
    page = client.get(reverse("councils:meeting_room", args=[held_meeting.pk]))
    assert "1 of 6" in page.content.decode() or "6 名" in page.content.decode() or page.status_code == 200
    client.post(reverse("councils:motion_close", args=[motion.pk]))
    motion.refresh_from_db()
    assert motion.status == "closed" and motion.votes_yes == 1


@pytest.mark.parametrize(
    "data",
    [
        {"item": "", "text": ""},
        {"item": "abc", "text": "x"},
        {"item": "999999", "text": "动议"},
        {"item": "1", "text": "x" * 5000},
        {"text": "动议", "amends": "-3"},
        {"text": "<script>alert(1)</script>", "proposed_by": "' OR 1=1"},
    ],
)
def test_hostile_motion_input_never_500(client, held_meeting, item, secretary, data):
    as_user(client, secretary)
    data = {**data, "item": data.get("item", item.pk)}
    response = client.post(reverse("councils:motion_add", args=[held_meeting.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b"invalid-feedback" in response.content or b"alert-danger" in response.content


def test_an_empty_motion_keeps_the_form_with_the_error(client, held_meeting, item, secretary):
    as_user(client, secretary)
    response = client.post(
        reverse("councils:motion_add", args=[held_meeting.pk]), {"item": item.pk, "text": "", "secret": "on"}
    )
    assert response.status_code == 200
    assert 'id="id_text_error"' in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert Motion.objects.count() == 0


def test_a_refused_ballot_says_why_next_to_the_member(client, held_meeting, item, phone_member, secretary):
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    as_user(client, secretary)
    for data in ({"member": phone_member.pk, "choice": "yes"}, {"member": "x", "choice": "maybe"}):
        response = client.post(reverse("councils:ballot_enter", args=[motion.pk]), data)
        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_other_staff_and_other_communities_are_refused(
    client, held_meeting, item, make_user, community, other_community
):
    motion = Motion.objects.create(agenda_item=item, text="动议")
    hall = make_user(roles.HALL_STAFF, community)
    as_user(client, hall)
    assert client.get(reverse("councils:meeting_room", args=[held_meeting.pk])).status_code == 403
    assert client.post(reverse("councils:motion_open", args=[motion.pk])).status_code == 403
    foreign = make_user(roles.COUNCIL_SECRETARY, other_community)
    as_user(client, foreign)
    assert client.get(reverse("councils:meeting_room", args=[held_meeting.pk])).status_code == 404
    assert client.post(reverse("councils:motion_open", args=[motion.pk])).status_code == 404
    assert client.get(reverse("councils:projector", args=[held_meeting.pk])).status_code == 404
    motion.refresh_from_db()
    assert motion.status == "proposed"


def test_projector_for_staff_or_a_signed_link(client, held_meeting, item, secretary, make_user, community):
    motion = actions.motion_propose(item=item, text="供暖费按面积收取。", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    resident = make_user(roles.RESIDENT, community)
    as_user(client, resident)
    assert client.get(reverse("councils:projector", args=[held_meeting.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("councils:projector_signed", args=[projector_token(held_meeting)]))
    assert response.status_code == 200 and "供暖费按面积收取。" in response.content.decode()
    live = client.get(
        reverse("councils:projector_signed", args=[projector_token(held_meeting)]), headers={"HX-Request": "true"}
    )
    body = live.content.decode()
    assert 'hx-trigger="every 2s"' in body and "<html" not in body and "<script" not in body
    forged = signing.dumps(held_meeting.pk, salt="another")
    assert client.get(reverse("councils:projector_signed", args=[forged])).status_code == 404
    assert client.get(reverse("councils:projector_signed", args=["garbage"])).status_code == 404
    assert signing.loads(projector_token(held_meeting), salt=PROJECTOR_SALT) == held_meeting.pk


def test_a_member_votes_and_asks_to_speak_from_the_phone(client, held_meeting, item, phone_member, secretary):
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    as_user(client, phone_member.user)
    page = client.get(reverse("councils:member_room", args=[held_meeting.pk]))
    assert page.status_code == 200 and 'id="vote-yes"' in page.content.decode()
    assert client.post(reverse("councils:member_vote", args=[motion.pk]), {"choice": "maybe"}).status_code == 302
    assert Ballot.objects.count() == 0
    client.post(reverse("councils:member_vote", args=[motion.pk]), {"choice": "no"})
    client.post(reverse("councils:member_vote", args=[motion.pk]), {"choice": "yes"})  # the second is refused
    motion.refresh_from_db()
    assert (motion.votes_yes, motion.votes_no) == (0, 1)
    client.post(reverse("councils:member_speak", args=[held_meeting.pk]))
    assert Speaker.objects.filter(member=phone_member, status="waiting").exists()
    client.post(reverse("councils:member_speak", args=[held_meeting.pk]), {"withdraw": "1"})
    assert not Speaker.objects.filter(member=phone_member, status="waiting").exists()


def test_only_present_members_open_the_phone_page(client, held_meeting, item, secretary, make_user, community):
    motion = actions.motion_propose(item=item, text="动议", by=secretary)
    actions.motion_open(motion=motion, by=secretary)
    absent = held_meeting.council.members.exclude(attendance__present=True).first()
    absent.user = make_user(roles.RESIDENT, community)
    absent.save()
    as_user(client, absent.user)
    assert client.get(reverse("councils:member_room", args=[held_meeting.pk])).status_code == 404
    assert client.post(reverse("councils:member_vote", args=[motion.pk]), {"choice": "yes"}).status_code == 404
    as_user(client, secretary)  # staff, but not a member
    assert client.get(reverse("councils:member_room", args=[held_meeting.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("councils:member_room", args=[held_meeting.pk])).status_code == 302
    assert Ballot.objects.count() == 0


def test_speaker_steps_by_the_secretary(client, held_meeting, item, present, secretary):
    a = actions.speaker_request(item=item, member=present[1], by=secretary)
    as_user(client, secretary)
    client.post(reverse("councils:speaker_start", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "speaking"
    page = client.get(reverse("councils:projector", args=[held_meeting.pk]))
    assert present[1].name in page.content.decode()
    client.post(reverse("councils:speaker_stop", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "done"
    response = client.post(reverse("councils:speaker_stop", args=[a.pk]))  # refused: a message, not a 500
    assert response.status_code == 302
    response = client.post(reverse("councils:speaker_add", args=[held_meeting.pk]), {"item": item.pk, "member": "x"})
    assert response.status_code == 200


def test_the_minutes_show_the_votes_held(client, held_meeting, item, present, secretary):
    motion = actions.motion_propose(item=item, text="供暖费按面积收取。", by=secretary)
    amendment = actions.motion_propose(item=item, text="困难户减半。", amends=motion, by=secretary)
    for m in (amendment, motion):
        actions.motion_open(motion=m, by=secretary)
        for member in present[:4]:
            actions.ballot_cast(motion=m, member=member, choice="yes", by=secretary)
        actions.motion_close(motion=m, by=secretary)
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    as_user(client, secretary)
    page = client.get(reverse("councils:minutes", args=[minutes.pk])).content.decode()
    assert page.count("困难户减半。") >= 2  # the amendment, and the motion it rewrote
    edit = client.get(reverse("councils:minutes_edit", args=[held_meeting.pk])).content.decode()
    row = minutes.items.get(agenda_item=item)
    assert f'name="item{row.pk}-votes_for"' in edit and "disabled" in edit
