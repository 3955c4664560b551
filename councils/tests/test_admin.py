"""The councils in Django admin: scoped to the community, approved minutes and resolutions read-only."""

from django.urls import reverse

from councils import actions
from councils.tests.conftest import fill_minutes


def _approved(held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    [resolution] = actions.minutes_approve(minutes=minutes, by=convenor)
    return minutes, resolution


def test_admin_lists_load_for_the_secretary(client, held_meeting, secretary, django_assert_max_num_queries):
    client.force_login(secretary)
    for model in ("council", "meeting", "minutes", "suggestion", "resolution", "nomination", "resourcepledge"):
        with django_assert_max_num_queries(20):
            response = client.get(reverse(f"admin:councils_{model}_changelist"))
        assert response.status_code == 200, model


def test_approved_minutes_and_resolutions_are_read_only_in_admin(client, held_meeting, secretary, convenor):
    minutes, resolution = _approved(held_meeting, secretary, convenor)
    client.force_login(convenor)
    url = reverse("admin:councils_minutes_change", args=[minutes.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(url, {"summary": "改写"})
    minutes.refresh_from_db()
    assert minutes.summary == "会议由书记主持。"
    page = client.get(reverse("admin:councils_resolution_change", args=[resolution.pk]))
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:councils_minutes_history", args=[minutes.pk])).status_code == 200


def test_another_communitys_minutes_are_404_in_admin(
    client, held_meeting, secretary, convenor, make_user, other_community
):
    from portal.core import roles

    minutes, _resolution = _approved(held_meeting, secretary, convenor)
    stranger = make_user(roles.COUNCIL_SECRETARY, other_community)
    client.force_login(stranger)
    assert client.get(reverse("admin:councils_minutes_change", args=[minutes.pk])).status_code == 404
    listing = client.get(reverse("admin:councils_minutes_changelist")).content.decode()
    assert held_meeting.title not in listing
