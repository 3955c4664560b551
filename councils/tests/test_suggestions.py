"""献计献策: submitting with a photo, tracking numbers, support once, what residents see, rating."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from councils import actions
from councils.models import Suggestion, SuggestionSupport
from councils.tests.factories import SuggestionFactory


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("place.png", buffer.getvalue(), content_type="image/png")


FORM = {"category": "environment", "title": "垃圾分类箱", "text": "建议在3号楼增设垃圾分类箱。", "location": "3号楼"}


def test_a_resident_submits_a_suggestion_with_a_photo_and_gets_a_tracking_number(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("councils:suggestion_new"), {**FORM, "photo": _png()})
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert suggestion.tracking_number.startswith("JY") and suggestion.photo.name.endswith(".png")
    assert resident_user.notifications.filter(title__contains=suggestion.tracking_number).exists()
    page = client.get(response["Location"]).content.decode()
    assert suggestion.tracking_number in page


def test_a_file_that_is_not_an_image_is_refused_and_the_text_is_kept(client, resident_user):
    client.force_login(resident_user)
    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    response = client.post(reverse("councils:suggestion_new"), {**FORM, "photo": fake})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert "建议在3号楼增设垃圾分类箱。" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_an_empty_suggestion_gets_messages_next_to_the_fields(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("councils:suggestion_new"), {"category": "", "title": "", "text": ""})
    assert set(response.context["form"].errors) >= {"category", "title", "text"}


def test_anonymous_visitors_are_sent_to_log_in_to_suggest(client):
    response = client.get(reverse("councils:suggestion_new"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_resident_supports_a_suggestion_once(client, community, resident_user):
    suggestion = SuggestionFactory(community=community)
    client.force_login(resident_user)
    url = reverse("councils:suggestion_support", args=[suggestion.tracking_number])
    client.post(url)
    client.post(url)
    suggestion.refresh_from_db()
    assert suggestion.supporters_count == 1 and suggestion.supports.count() == 1
    with pytest.raises(ValidationError):
        actions.suggestion_support(suggestion=suggestion, user=resident_user)


def test_the_database_refuses_a_second_support(community, resident_user):
    suggestion = SuggestionFactory(community=community)
    SuggestionSupport.objects.create(suggestion=suggestion, user=resident_user)
    with pytest.raises(IntegrityError):
        SuggestionSupport.objects.create(suggestion=suggestion, user=resident_user)


def test_a_proposer_cannot_support_their_own_suggestion(community, resident_user):
    suggestion = SuggestionFactory(community=community, proposer=resident_user)
    with pytest.raises(ValidationError):
        actions.suggestion_support(suggestion=suggestion, user=resident_user)


def test_new_suggestions_are_visible_only_to_their_proposer_and_staff(
    client, community, resident_user, make_user, secretary
):
    suggestion = SuggestionFactory(community=community, status="submitted")
    url = reverse("councils:suggestion", args=[suggestion.tracking_number])
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(resident_user)
    assert client.get(url).status_code == 404  # another resident
    client.force_login(suggestion.proposer)
    assert client.get(url).status_code == 200
    client.force_login(secretary)
    assert 'id="put-on-agenda"' in client.get(url).content.decode()
    # Once accepted it is on the open ledger.
    actions.suggestion_reply(suggestion=suggestion, reply="已受理", by=secretary)
    client.logout()
    assert client.get(url).status_code == 200


def test_the_proposer_rates_only_a_finished_suggestion_and_only_once(community, resident_user, secretary):
    suggestion = SuggestionFactory(community=community, proposer=resident_user)
    with pytest.raises(ValidationError):
        actions.suggestion_rate(suggestion=suggestion, user=resident_user, rating=4)
    actions.suggestion_close(suggestion=suggestion, by=secretary)
    actions.suggestion_rate(suggestion=suggestion, user=resident_user, rating=4, comment="还行")
    with pytest.raises(ValidationError):
        actions.suggestion_rate(suggestion=suggestion, user=resident_user, rating=5)


def test_merging_moves_the_supporters(community, make_user, secretary):
    target = SuggestionFactory(community=community)
    duplicate = SuggestionFactory(community=community, status="submitted")
    fan = make_user(community=community)
    SuggestionSupport.objects.create(suggestion=duplicate, user=fan)
    actions.suggestion_merge(suggestion=duplicate, into=target, by=secretary)
    target.refresh_from_db()
    assert target.supporters_count == 2  # the fan and the duplicate's proposer
    with pytest.raises(ValidationError):
        actions.suggestion_merge(suggestion=target, into=target, by=secretary)


def test_staff_of_another_community_cannot_triage(community, make_user, other_community):
    from portal.core import roles

    stranger = make_user(roles.COUNCIL_SECRETARY, other_community)
    suggestion = SuggestionFactory(community=community, status="submitted")
    from django.http import Http404

    with pytest.raises(Http404):
        actions.suggestion_reply(suggestion=suggestion, reply="x", by=stranger)


def test_secretaries_hear_of_suggestions_waiting_for_a_reply(community, council, secretary):
    import datetime as dt

    from django.utils import timezone

    from councils import tasks

    SuggestionFactory(community=community, status="submitted", created_at=timezone.now() - dt.timedelta(days=3))
    SuggestionFactory(community=community, status="submitted")  # fresh: not yet
    assert tasks.remind_triage() == 1
    assert secretary.notifications.filter(title__contains="1 条建议").exists()


def test_the_convenors_approval_tells_the_secretary(held_meeting, secretary, convenor):
    from councils.tests.conftest import fill_minutes

    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)
    assert secretary.notifications.filter(title__contains=held_meeting.title).exists()


def test_the_reply_reaches_the_proposer_in_their_language_not_the_staffs(community, make_user, secretary):
    english = make_user(community=community, language="en")
    suggestion = SuggestionFactory(community=community, proposer=english, status="submitted")
    with translation.override("zh-hans"):  # the secretary works in Chinese
        actions.suggestion_reply(suggestion=suggestion, reply="已受理，下周答复。", by=secretary)
    note = english.notifications.get()
    assert note.title == f"Reply to your suggestion {suggestion.tracking_number}"
    assert note.body == "已受理，下周答复。"  # what the secretary wrote, as written
    chinese = make_user(community=community, language="zh-hans")
    other = SuggestionFactory(community=community, proposer=chinese, status="submitted")
    with translation.override("en"):
        actions.suggestion_decline(suggestion=other, reply="不在社区职责范围内。", by=secretary)
    assert chinese.notifications.get().title == f"您的建议 {other.tracking_number} 已有答复"
