"""The closed loop: suggestion → agenda item → decision in the minutes → resolution → progress → closed,
each step telling the proposer (and the proposers of merged duplicates)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from councils import actions
from councils.models import Resolution, Suggestion
from councils.tests.factories import MeetingFactory, SuggestionFactory


def _titles(user):
    return list(user.notifications.order_by("created_at", "id").values_list("title", flat=True))


def test_a_suggestion_goes_round_the_loop_and_the_proposer_hears_every_step(
    client, community, council, resident_user, make_user, secretary, convenor, director
):
    # 1. A resident writes a suggestion in the browser and gets a tracking number.
    client.force_login(resident_user)
    response = client.post(
        reverse("councils:suggestion_new"),
        {
            "category": "parking",
            "title": "东门停车位不够",
            "text": "晚上车辆乱停，建议在东门空地划线。",
            "location": "华苑小区东门",
        },
    )
    suggestion = Suggestion.objects.get(proposer=resident_user)
    assert response.status_code == 302 and suggestion.tracking_number in response["Location"]
    assert suggestion.status == Suggestion.Status.SUBMITTED
    # A neighbour raised the same matter: staff merge it.
    neighbour = make_user(community=community)
    duplicate = SuggestionFactory(community=community, proposer=neighbour, status="submitted", title="停车难")

    # 2. Staff reply, merge the duplicate and put the suggestion on the council's next agenda.
    actions.suggestion_reply(suggestion=suggestion, reply="已收到，将提交党居议事会。", by=secretary)
    actions.suggestion_merge(suggestion=duplicate, into=suggestion, by=secretary)
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=5))
    client.force_login(secretary)
    client.post(reverse("councils:suggestion_agenda", args=[suggestion.tracking_number]), {"meeting": meeting.pk})
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ON_AGENDA
    item = meeting.agenda.get()
    assert item.suggestion == suggestion

    # 3. The meeting is held with quorum; the secretary records the decision; the convenor approves.
    meeting.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.save()
    members = list(council.members.values_list("pk", flat=True))
    actions.attendance_record(meeting=meeting, present_member_ids=members[:7], by=secretary)
    minutes = actions.minutes_start(meeting=meeting, by=secretary)
    minutes_item = minutes.items.get()
    actions.minutes_save_draft(
        minutes=minutes,
        by=secretary,
        summary="",
        items={
            minutes_item.pk: {
                "discussion": "物业、居民代表发言。",
                "decision": "在东门空地划设 20 个车位，居委会负责。",
                "votes_for": 7,
                "votes_against": 0,
                "votes_abstain": 0,
                "adopt_resolution": True,
                "executor": "committee",
                "deadline": timezone.localdate() + dt.timedelta(days=30),
            }
        },
    )
    actions.minutes_submit(minutes=minutes, by=secretary)
    [resolution] = actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DECIDED and suggestion.resolution == resolution

    # 4. The residents' committee reports progress, then completion with evidence.
    actions.resolution_progress_add(resolution=resolution, text="已完成测量。", by=director)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.IN_PROGRESS
    actions.resolution_progress_add(resolution=resolution, text="20 个车位已划线启用。", completes=True, by=director)
    resolution.refresh_from_db()
    suggestion.refresh_from_db()
    assert resolution.status == Resolution.Status.DONE and suggestion.status == Suggestion.Status.DONE

    # 5. Staff close it; the proposer rates the outcome.
    actions.suggestion_close(suggestion=suggestion, by=secretary)
    client.force_login(resident_user)
    client.post(
        reverse("councils:suggestion_rate", args=[suggestion.tracking_number]), {"rating": 5, "comment": "满意"}
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.CLOSED and suggestion.rating == 5

    n = suggestion.tracking_number
    titles = _titles(resident_user)
    steps = ["received", "Reply", "agenda", "Decision", "Progress", "carried out", "closed"]
    assert len(titles) == len(steps), titles
    for title in titles:
        assert n in title
    # The merged neighbour followed along from the merge on.
    neighbour_titles = _titles(neighbour)
    assert len(neighbour_titles) == 6, neighbour_titles  # merged, agenda, decision, progress, done, closed

    # The proposer's inbox on /my/ shows the steps; the public page shows the way.
    page = client.get(reverse("portal:my")).content.decode()
    assert n in page
    page = client.get(reverse("councils:suggestion", args=[n])).content.decode()
    assert resolution.number in page and "20 个车位已划线启用" in page


def test_a_suggestion_not_carried_is_declined_with_the_decision(
    held_meeting, secretary, convenor, resident_user, community
):
    from councils.tests.factories import AgendaItemFactory

    suggestion = SuggestionFactory(community=community, proposer=resident_user, status="on_agenda")
    AgendaItemFactory(meeting=held_meeting, suggestion=suggestion, title=suggestion.title)
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    items = {
        i.pk: {"decision": "暂不实施。", "votes_for": 1, "votes_against": 5, "adopt_resolution": False}
        for i in minutes.items.all()
    }
    actions.minutes_save_draft(minutes=minutes, by=secretary, summary="", items=items)
    actions.minutes_submit(minutes=minutes, by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DECLINED and suggestion.reply == "暂不实施。"
    assert resident_user.notifications.filter(title__contains=suggestion.tracking_number).exists()
