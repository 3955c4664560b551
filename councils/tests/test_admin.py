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


def test_another_communitys_history_pages_and_revert_form_are_404(
    client, held_meeting, secretary, convenor, make_user, other_community
):
    """django-simple-history's history and revert views go through the same scope as the change page."""
    from portal.core import roles

    minutes, resolution = _approved(held_meeting, secretary, convenor)
    stranger = make_user(roles.COUNCIL_SECRETARY, other_community)
    client.force_login(stranger)
    for model, obj in (("minutes", minutes), ("resolution", resolution)):
        version = obj.history.latest("history_date").history_id
        assert client.get(reverse(f"admin:councils_{model}_history", args=[obj.pk])).status_code == 404
        form_url = reverse(f"admin:councils_{model}_simple_history", args=[obj.pk, version])
        assert client.get(form_url).status_code == 404
        assert client.post(form_url, {"summary": "改写"}).status_code == 404
    minutes.refresh_from_db()
    assert minutes.summary == "会议由书记主持。"
    client.force_login(secretary)  # their own community's history still opens
    assert client.get(reverse("admin:councils_minutes_history", args=[minutes.pk])).status_code == 200


def test_a_meeting_of_another_community_is_not_offered_in_the_admin(
    client, held_meeting, secretary, make_user, other_community
):
    from councils.tests.factories import CouncilFactory, MeetingFactory
    from portal.core import roles

    theirs = MeetingFactory(council=CouncilFactory(community=other_community))
    client.force_login(make_user(roles.COUNCIL_SECRETARY, held_meeting.council.community))
    form = client.get(reverse("admin:councils_minutes_add")).context["adminform"].form
    offered = set(form.fields["meeting"].queryset.values_list("pk", flat=True))
    assert held_meeting.pk in offered and theirs.pk not in offered


def test_a_meeting_and_its_agenda_are_read_only_once_its_minutes_are_approved(
    client, held_meeting, secretary, convenor
):
    """The agenda titles are printed inside the approved minutes: the admin cannot change them behind the record."""
    _approved(held_meeting, secretary, convenor)
    client.force_login(convenor)
    url = reverse("admin:councils_meeting_change", args=[held_meeting.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in body
    assert 'name="agenda-0-title"' not in body  # the agenda is shown, not offered for editing
    title = held_meeting.title
    assert client.post(url, {"title": "改写后的会议", "agenda-TOTAL_FORMS": "0"}).status_code == 403
    held_meeting.refresh_from_db()
    assert held_meeting.title == title
