"""The councils in Django admin: scoped to the community, approved minutes and resolutions read-only."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

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


def _meeting_form(council, starts_at, title="临时议事会"):
    local = timezone.localtime(starts_at)
    return {
        "council": council.pk,
        "kind": "ad_hoc",
        "title": title,
        "starts_at_0": f"{local:%Y-%m-%d}",
        "starts_at_1": f"{local:%H:%M:%S}",
        "place": "议事厅",
        "created_at_0": f"{timezone.localtime():%Y-%m-%d}",
        "created_at_1": f"{timezone.localtime():%H:%M:%S}",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }


def test_the_admin_calls_no_meeting_whose_start_has_passed(client, council, secretary):
    """The staff page's check (councils.actions.meeting_time_check), next to the field; what was typed is kept."""
    from councils.models import Meeting

    client.force_login(secretary)
    url = reverse("admin:councils_meeting_add")
    refused = client.post(url, _meeting_form(council, timezone.now() - dt.timedelta(days=1)))
    assert refused.status_code == 200
    assert "开始时间已过" in " ".join(refused.context["adminform"].form.errors["starts_at"])
    assert 'value="临时议事会"' in refused.content.decode()
    assert not Meeting.objects.filter(title="临时议事会").exists()
    assert client.post(url, _meeting_form(council, timezone.now() + dt.timedelta(days=9))).status_code == 302
    assert Meeting.objects.get(title="临时议事会").status == Meeting.Status.DRAFT


def test_the_admin_moves_neither_a_called_meeting_into_the_past_nor_a_held_one_into_the_future(
    client, council, secretary, held_meeting
):
    from councils.tests.factories import MeetingFactory

    client.force_login(secretary)
    coming = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=5))
    for meeting, when in (
        (coming, timezone.now() - dt.timedelta(hours=3)),
        (held_meeting, timezone.now() + dt.timedelta(days=7)),
    ):
        before = meeting.starts_at
        url = reverse("admin:councils_meeting_change", args=[meeting.pk])
        refused = client.post(url, _meeting_form(council, when, meeting.title))
        assert refused.status_code == 200 and "starts_at" in refused.context["adminform"].form.errors
        meeting.refresh_from_db()
        assert meeting.starts_at == before


def test_the_admin_adds_no_minutes_for_a_meeting_not_yet_held_or_cancelled(client, council, secretary, meeting):
    from councils.models import Meeting, Minutes
    from councils.tests.factories import MeetingFactory

    client.force_login(secretary)
    url = reverse("admin:councils_minutes_add")
    form = {"summary": "纪要", "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"}
    next_week = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=7))
    called_off = MeetingFactory(
        council=council, starts_at=timezone.now() - dt.timedelta(days=2), status=Meeting.Status.CANCELLED
    )
    for refused_meeting, text in ((next_week, "尚未开始"), (called_off, "已取消")):
        refused = client.post(url, {**form, "meeting": refused_meeting.pk})
        assert refused.status_code == 200, refused.status_code
        assert text in " ".join(refused.context["adminform"].form.errors["meeting"])
        assert "纪要" in refused.content.decode()
    assert not Minutes.objects.exists()
    assert client.post(url, {**form, "meeting": meeting.pk}).status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.items.count() == meeting.agenda.count() == 2  # as the secretary's page starts them


def test_the_page_calls_no_meeting_whose_start_has_passed(client, council, secretary):
    """The staff page: the action's message next to the start (it was accepted up to 60 days back, and its notice
    went out at once)."""
    from councils.models import Meeting

    client.force_login(secretary)
    starts = (timezone.localtime() - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("councils:meeting_create", args=[council.pk]),
        {"kind": "ad_hoc", "title": "补开的会", "starts_at": starts, "place": "议事厅"},
    )
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors
    assert not Meeting.objects.filter(title="补开的会").exists()


def test_the_minutes_page_of_a_meeting_still_to_come_says_why_instead_of_failing(client, council, secretary):
    from councils.tests.factories import MeetingFactory

    coming = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=3))
    client.force_login(secretary)
    response = client.get(reverse("councils:minutes_edit", args=[coming.pk]), follow=True)
    assert response.status_code == 200 and "尚未开始" in response.content.decode()
    assert not hasattr(coming, "minutes")
