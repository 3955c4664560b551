"""A meeting notice reaches members without an account too: by SMS to the number on their seat (or in the
register), through the configured SMS backend, under the default quiet hours."""

import datetime as dt
import json

from django.utils import timezone

from councils import actions
from councils.tests.factories import MeetingFactory, MemberFactory
from portal.core.models import Delivery
from portal.core.sms import MemoryBackend


def test_the_notice_texts_members_without_an_account(council, make_user, community, django_capture_on_commit_callbacks):
    MemoryBackend.outbox.clear()
    with_account = make_user(community=community)
    MemberFactory(council=council, user=with_account)
    MemberFactory(council=council, user=None, phone="13912345678")
    MemberFactory(council=council, user=None, phone="")  # no number: nobody to text
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=2), place="议事厅")
    with django_capture_on_commit_callbacks(execute=True):
        told = actions.meeting_send_notice(meeting=meeting)
    assert with_account.notifications.filter(title__contains=meeting.title).count() == 1
    texts = [m for m in MemoryBackend.outbox if m["phone"] == "13912345678"]
    assert len(texts) == 1 and meeting.title in texts[0]["text"] and "议事厅" in texts[0]["text"]
    assert Delivery.objects.get(address="13912345678").kind == "councils"
    assert told >= 2
    assert actions.meeting_send_notice(meeting=meeting) == 0  # once per meeting
    assert len([m for m in MemoryBackend.outbox if m["phone"] == "13912345678"]) == 1


def test_the_file_backend_records_the_text(
    council, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    outbox = tmp_path / "sms.jsonl"
    monkeypatch.setenv("SMS_FILE", str(outbox))
    settings.SMS_BACKEND = "portal.core.sms.FileBackend"
    MemberFactory(council=council, user=None, phone="13912345679")
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_send_notice(meeting=meeting)
    records = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert "139****5679" in [r["to"] for r in records if r["delivered"]]


def test_a_cancellation_texts_them_too(council, secretary, django_capture_on_commit_callbacks):
    MemoryBackend.outbox.clear()
    MemberFactory(council=council, user=None, phone="13912345670")
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_send_notice(meeting=meeting)
        meeting.refresh_from_db()
        actions.meeting_cancel(meeting=meeting, reason="暴雪", by=secretary)
    texts = [m["text"] for m in MemoryBackend.outbox if m["phone"] == "13912345670"]
    assert len(texts) == 2 and "暴雪" in texts[1]
