"""Minutes: draft → submitted → approved (convenor) → published; approved minutes never change in place."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from councils import actions
from councils.models import Minutes, MinutesItem, Resolution
from councils.tests.conftest import fill_minutes
from councils.tests.factories import AgendaItemFactory, MeetingFactory


def test_minutes_go_from_draft_to_published_and_number_a_resolution(held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    assert minutes.items.count() == 2
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    resolutions = actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.approved_by == convenor
    [resolution] = resolutions
    assert resolution.seq == 1 and resolution.number == f"〔{resolution.year}〕1号"
    assert resolution.title == "供暖费收缴办法"
    assert resolution.executor_label  # the residents' committee


def test_resolution_numbers_continue_within_the_community_and_year(held_meeting, secretary, convenor, council):
    for _ in range(2):
        meeting = MeetingFactory(council=council, starts_at=held_meeting.starts_at)
        AgendaItemFactory(meeting=meeting)
        members = list(council.members.values_list("pk", flat=True))
        actions.attendance_record(meeting=meeting, present_member_ids=members, by=secretary)
        minutes = actions.minutes_start(meeting=meeting, by=secretary)
        fill_minutes(minutes, secretary)
        actions.minutes_submit(minutes=minutes, by=secretary)
        actions.minutes_approve(minutes=minutes, by=convenor)
    assert sorted(Resolution.objects.values_list("seq", flat=True)) == [1, 2]


def test_approved_minutes_are_never_edited_in_place(held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)

    item = minutes.items.first()
    with pytest.raises(ValidationError):
        actions.minutes_save_draft(minutes=minutes, by=secretary, summary="改写", items={item.pk: {"decision": "改写"}})
    with pytest.raises(ValidationError):
        actions.attendance_record(meeting=held_meeting, present_member_ids=[], by=secretary)
    minutes.refresh_from_db()
    assert minutes.summary == "会议由书记主持。"

    addendum = actions.minutes_add_addendum(minutes=minutes, text="第二项表决票数更正为 6:0:0。", by=secretary)
    assert addendum.minutes == minutes
    # Every saved version stays in the history.
    assert minutes.history.count() >= 3
    assert MinutesItem.history.filter(id=item.pk).count() >= 2


def test_submitted_minutes_are_locked_for_the_secretary_until_returned(held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    with pytest.raises(ValidationError):
        actions.minutes_save_draft(minutes=minutes, by=secretary, summary="x", items={})
    with pytest.raises(ValidationError):
        actions.minutes_return(minutes=minutes, by=convenor, note="")
    actions.minutes_return(minutes=minutes, by=convenor, note="请补充表决情况。")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert secretary.notifications.filter(title__contains=held_meeting.title).exists()


def test_minutes_cannot_be_submitted_without_decisions(held_meeting, secretary):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    with pytest.raises(ValidationError) as exc:
        actions.minutes_submit(minutes=minutes, by=secretary)
    assert "供暖费收缴办法" in str(exc.value)


def test_only_the_convenor_approves_and_only_the_secretary_submits(held_meeting, secretary, convenor, director):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    with pytest.raises(PermissionDenied):
        actions.minutes_submit(minutes=minutes, by=convenor)
    actions.minutes_submit(minutes=minutes, by=secretary)
    with pytest.raises(PermissionDenied):
        actions.minutes_approve(minutes=minutes, by=secretary)
    with pytest.raises(PermissionDenied):
        actions.minutes_approve(minutes=minutes, by=director)  # convenes another council
    actions.minutes_approve(minutes=minutes, by=convenor)


def test_a_motion_that_did_not_carry_cannot_become_a_resolution(held_meeting, secretary):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    item = minutes.items.order_by("agenda_item__order").first()
    actions.minutes_save_draft(
        minutes=minutes, by=secretary, summary="", items={item.pk: {"votes_for": 2, "votes_against": 4}}
    )
    with pytest.raises(ValidationError) as exc:
        actions.minutes_submit(minutes=minutes, by=secretary)
    assert "did not carry" in str(exc.value) or "未通过" in str(exc.value)


def test_the_convenor_approves_and_publishes_in_the_browser(client, held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    client.force_login(convenor)
    page = client.get(reverse("councils:minutes", args=[minutes.pk])).content.decode()
    assert 'id="approve-minutes"' in page
    client.post(reverse("councils:minutes_approve", args=[minutes.pk]))
    client.post(reverse("councils:minutes_publish", args=[minutes.pk]))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED


def test_print_view_and_export_hold_the_whole_record(client, held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    page = client.get(reverse("councils:minutes_print", args=[minutes.pk])).content.decode()
    assert "供暖费收缴办法" in page and "<nav" not in page and 'lang="zh-Hans"' in page
    client.force_login(secretary)
    response = client.get(reverse("councils:meeting_export", args=[held_meeting.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    html = response.content.decode()
    assert "停车位划线" in html and "〔" in html  # agenda and the numbered resolution


def test_approved_minutes_download_as_a_pdf_made_once(client, held_meeting, secretary, convenor, monkeypatch):
    from councils import pdf

    if not pdf.pdf_available():
        pytest.skip("chromium is not installed here")
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    client.force_login(secretary)
    assert client.get(reverse("councils:minutes_pdf", args=[minutes.pk])).status_code == 302  # a draft: print page
    actions.minutes_submit(minutes=minutes, by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    client.logout()
    response = client.get(reverse("councils:minutes_pdf", args=[minutes.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert len(response.content) > 5000  # the CJK font is embedded
    # The same version again comes from storage, without Chromium.
    monkeypatch.setattr(pdf, "_render", lambda context: pytest.fail("rendered twice"))
    assert client.get(reverse("councils:minutes_pdf", args=[minutes.pk])).content == response.content


def test_the_pdf_of_approved_minutes_is_kept_out_of_public_media(
    client, held_meeting, secretary, convenor, monkeypatch
):
    """Approved minutes are not public until published: their PDF is kept in private storage, never under /media/."""
    from pathlib import Path

    from django.conf import settings

    from councils import pdf

    monkeypatch.setattr(pdf, "_render", lambda context: b"%PDF-1.4 minutes")
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    actions.minutes_approve(minutes=minutes, by=convenor)
    client.force_login(secretary)
    assert client.get(reverse("councils:minutes_pdf", args=[minutes.pk])).content == b"%PDF-1.4 minutes"
    minutes.refresh_from_db()
    name = f"councils/pdf/minutes-{minutes.pk}-{minutes.approved_at:%Y%m%d%H%M%S%f}-0.pdf"
    assert Path(settings.PRIVATE_MEDIA_ROOT, name).is_file()
    assert not Path(settings.MEDIA_ROOT, name).exists()
    client.logout()
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(reverse("councils:minutes_pdf", args=[minutes.pk])).status_code == 404  # not published
