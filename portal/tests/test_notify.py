"""One notify function: an inbox entry plus deliveries sent once, after commit."""

import pytest
from django.core import mail

from portal.models import Delivery, Notification
from portal.notify import notification_mark_read, notify
from portal.sms import MemoryBackend
from portal.tasks import send_delivery


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()


def test_notify_creates_an_inbox_entry_and_sends_each_channel_once(
    make_user, community, django_capture_on_commit_callbacks
):
    user = make_user(community=community, email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=user, title="预约已确认", body="明天 9:00 请到便民服务站")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "预约已确认"
    assert len(MemoryBackend.outbox) == 1 and MemoryBackend.outbox[0]["phone"] == user.phone
    assert set(note.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_a_retried_delivery_sends_nothing_twice(make_user, community, django_capture_on_commit_callbacks):
    user = make_user(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=user, title="提醒")
    delivery = note.deliveries.get(channel="sms")
    assert send_delivery(delivery.pk) == "skipped"
    assert len(MemoryBackend.outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(make_user, community, django_capture_on_commit_callbacks):
    user = make_user(community=community)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=user, title="x")
    assert MemoryBackend.outbox == []  # queued for after commit, not sent inline
    for callback in callbacks:
        callback()
    assert len(MemoryBackend.outbox) == 1  # sent once the transaction commits


def test_no_email_delivery_without_an_address(make_user, community):
    user = make_user(community=community, email="")
    note = notify(recipient=user, title="x")
    assert list(note.deliveries.values_list("channel", flat=True)) == ["sms"]


def test_mark_all_read_touches_only_my_notifications(make_user, community):
    me, other = make_user(community=community), make_user(community=community)
    notify(recipient=me, title="a")
    notify(recipient=me, title="b")
    notify(recipient=other, title="c")
    assert notification_mark_read(user=me) == 2
    assert other.notifications.filter(read_at__isnull=True).count() == 1
