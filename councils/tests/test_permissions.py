"""Who may see and do what: one table of (who, page, expected status), plus the rules that need a closer look."""

import pytest
from django.urls import reverse

from councils import actions
from councils.models import Council, Minutes
from councils.tests.conftest import fill_minutes
from portal.core import roles


@pytest.fixture
def world(community, councils, council, held_meeting, secretary, convenor, make_user, other_community):
    """A draft of minutes, an other-council secretary, staff of another community, a resident, hall staff."""
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    joint = councils[Council.Kind.JOINT]
    joint.secretary = make_user(roles.COUNCIL_SECRETARY, community, name="联席会秘书")
    joint.save()
    return {
        "minutes": minutes,
        "meeting": held_meeting,
        "users": {
            "anonymous": None,
            "resident": make_user(roles.RESIDENT, community),
            "hall_staff": make_user(roles.HALL_STAFF, community),
            "secretary": secretary,
            "other_council_secretary": joint.secretary,
            "convenor": convenor,
            "other_community_secretary": make_user(roles.COUNCIL_SECRETARY, other_community),
            "district_admin": make_user(roles.DISTRICT_ADMIN, None),
        },
    }


PAGES = {
    "ledger": ("get", lambda w: reverse("councils:ledger")),
    "draft_minutes": ("get", lambda w: reverse("councils:minutes", args=[w["minutes"].pk])),
    "edit_minutes": ("get", lambda w: reverse("councils:minutes_edit", args=[w["meeting"].pk])),
    "autosave": ("post", lambda w: reverse("councils:minutes_autosave", args=[w["minutes"].pk])),
    "submit": ("post", lambda w: reverse("councils:minutes_submit", args=[w["minutes"].pk])),
    "meeting": ("get", lambda w: reverse("councils:meeting", args=[w["meeting"].pk])),
    "export": ("get", lambda w: reverse("councils:meeting_export", args=[w["meeting"].pk])),
    "work": ("get", lambda w: reverse("councils:work")),
    "triage": ("get", lambda w: reverse("councils:triage")),
    "nominate": ("get", lambda w: reverse("councils:nomination_create", args=[w["meeting"].council_id])),
    "election": ("get", lambda w: reverse("councils:election", args=[w["meeting"].pk])),
}

# who → page → expected status (302 to the login page for anonymous visitors of staff pages;
# 404 for another community's records; 403 for a role without the permission).
MATRIX = {
    "anonymous": {"ledger": 200, "draft_minutes": 404, "edit_minutes": 302, "autosave": 200, "submit": 302,
                  "meeting": 302, "export": 302, "work": 302, "triage": 302, "nominate": 302, "election": 302},
    "resident": {"ledger": 200, "draft_minutes": 404, "edit_minutes": 403, "autosave": 403, "submit": 403,
                 "meeting": 403, "export": 403, "work": 403, "triage": 403, "nominate": 403, "election": 403},
    "hall_staff": {"ledger": 200, "draft_minutes": 404, "edit_minutes": 403, "autosave": 403, "submit": 403,
                   "meeting": 403, "export": 403, "work": 200, "triage": 403, "nominate": 403, "election": 403},
    "secretary": {"ledger": 200, "draft_minutes": 200, "edit_minutes": 200, "autosave": 200, "submit": 302,
                  "meeting": 200, "export": 200, "work": 200, "triage": 200, "nominate": 200, "election": 200},
    "other_council_secretary": {"ledger": 200, "draft_minutes": 200, "edit_minutes": 302, "autosave": 403,
                                "submit": 403, "meeting": 200, "export": 200, "work": 200, "triage": 200, "nominate": 403, "election": 403},
    "convenor": {"ledger": 200, "draft_minutes": 200, "edit_minutes": 302, "autosave": 403, "submit": 403,
                 "meeting": 200, "export": 200, "work": 200, "triage": 200, "nominate": 200, "election": 200},
    "other_community_secretary": {"ledger": 200, "draft_minutes": 404, "edit_minutes": 404, "autosave": 404,
                                  "submit": 404, "meeting": 404, "export": 404, "work": 200, "triage": 200, "nominate": 404, "election": 404},
    "district_admin": {"ledger": 200, "draft_minutes": 200, "edit_minutes": 302, "autosave": 403, "submit": 403,
                       "meeting": 200, "export": 200, "work": 200, "triage": 403, "nominate": 403, "election": 403},
}  # fmt: skip


@pytest.mark.parametrize("who, page", [(who, page) for who in MATRIX for page in PAGES])
def test_permission_matrix(client, world, who, page):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    method, url = PAGES[page]
    response = getattr(client, method)(url(world))
    assert response.status_code == MATRIX[who][page], (who, page, response.status_code)


def test_a_secretary_of_another_council_cannot_change_these_minutes(client, world):
    minutes = world["minutes"]
    client.force_login(world["users"]["other_council_secretary"])
    client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), {"summary": "篡改"})
    client.post(reverse("councils:minutes_edit", args=[world["meeting"].pk]), {"summary": "篡改"})
    minutes.refresh_from_db()
    assert minutes.summary == "会议由书记主持。" and minutes.status == Minutes.Status.DRAFT


def test_anonymous_autosave_answers_that_the_session_ended_without_saving(client, world):
    response = client.post(reverse("councils:minutes_autosave", args=[world["minutes"].pk]), {"summary": "x"})
    assert 'class="text-danger"' in response.content.decode()
    world["minutes"].refresh_from_db()
    assert world["minutes"].summary == "会议由书记主持。"


def test_residents_see_only_published_records(client, world, secretary, convenor):
    minutes = world["minutes"]
    resident = world["users"]["resident"]
    client.force_login(resident)
    ledger = client.get(reverse("councils:ledger")).content.decode()
    assert world["meeting"].title not in ledger
    actions.minutes_submit(minutes=minutes, by=secretary)
    [resolution] = actions.minutes_approve(minutes=minutes, by=convenor)
    assert client.get(reverse("councils:resolution", args=[resolution.pk])).status_code == 404  # approved only
    actions.minutes_publish(minutes=minutes, by=convenor)
    ledger = client.get(reverse("councils:ledger")).content.decode()
    assert world["meeting"].title in ledger
    assert client.get(reverse("councils:minutes", args=[minutes.pk])).status_code == 200
    assert client.get(reverse("councils:resolution", args=[resolution.pk])).status_code == 200


def test_another_communitys_ledger_is_public_but_its_drafts_are_not(client, world, other_community):
    response = client.get(reverse("councils:ledger_community", args=[other_community.slug]))
    assert response.status_code == 200 and world["meeting"].title not in response.content.decode()


def test_the_ledger_announces_coming_meetings_but_not_drafts(client, council):
    import datetime as dt

    from django.utils import timezone

    from councils.tests.factories import AgendaItemFactory, MeetingFactory

    scheduled = MeetingFactory(council=council, title="下周党居议事会", starts_at=timezone.now() + dt.timedelta(days=6))
    AgendaItemFactory(meeting=scheduled, title="楼道照明")
    MeetingFactory(council=council, title="草稿会议", status="draft", starts_at=timezone.now() + dt.timedelta(days=9))
    html = client.get(reverse("councils:ledger")).content.decode()
    assert "下周党居议事会" in html and "楼道照明" in html and "草稿会议" not in html
