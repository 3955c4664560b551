"""One notify function: an inbox entry plus deliveries sent once, after commit."""

import contextlib
import time

import pytest
from django.core import mail

from portal.core.models import Delivery, Notification
from portal.core.notify import message, notification_mark_read, notify
from portal.core.sms import MemoryBackend
from portal.core.tasks import send_delivery


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()


def test_notify_creates_an_inbox_entry_and_sends_each_channel_once(
    make_user, community, django_capture_on_commit_callbacks
):
    user = make_user(community=community, email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=user, title=message("预约已确认"), body=message("明天 9:00 请到便民服务站"))
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "预约已确认"
    assert len(MemoryBackend.outbox) == 1 and MemoryBackend.outbox[0]["phone"] == user.phone
    assert set(note.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_a_retried_delivery_sends_nothing_twice(make_user, community, django_capture_on_commit_callbacks):
    user = make_user(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=user, title=message("提醒"))
    delivery = note.deliveries.get(channel="sms")
    assert send_delivery(delivery.pk) == "skipped"
    assert len(MemoryBackend.outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(make_user, community, django_capture_on_commit_callbacks):
    user = make_user(community=community)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=user, title=message("x"))
    assert MemoryBackend.outbox == []  # queued for after commit, not sent inline
    for callback in callbacks:
        callback()
    assert len(MemoryBackend.outbox) == 1  # sent once the transaction commits


def test_no_email_delivery_without_an_address(make_user, community):
    user = make_user(community=community, email="")
    note = notify(recipient=user, title=message("x"))
    assert list(note.deliveries.values_list("channel", flat=True)) == ["sms"]


def test_mark_all_read_touches_only_my_notifications(make_user, community):
    me, other = make_user(community=community), make_user(community=community)
    notify(recipient=me, title=message("a"))
    notify(recipient=me, title=message("b"))
    notify(recipient=other, title=message("c"))
    assert notification_mark_read(user=me) == 2
    assert other.notifications.filter(read_at__isnull=True).count() == 1


def _point_celery_at(app, broker: str, backend: str) -> None:
    app.conf.broker_url, app.conf.result_backend = broker, backend
    app._pool = None  # the connection and producer pools, and the result store, are built on first use: drop them
    app.amqp._producer_pool = None
    with contextlib.suppress(AttributeError):
        del app._local.backend


def test_a_delivery_queued_while_redis_is_away_does_not_wait_on_the_result_store(
    make_user, community, django_capture_on_commit_callbacks
):
    """With REDIS_URL the broker and the result store are one Redis. Deliveries are fire-and-forget: publishing one
    must not subscribe to its result first, or the resident's request sits in Celery's result-store reconnection
    loop (20 tries a second apart) before the broker is even tried."""
    from portal.celery import app

    user = make_user(community=community)
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_always_eager = False
    _point_celery_at(app, "redis://127.0.0.1:1/0", "redis://127.0.0.1:1/0")  # nothing listens there
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            note = notify(recipient=user, title=message("提醒"))
        took = time.monotonic() - started
    finally:
        app.conf.task_always_eager = saved[0]
        _point_celery_at(app, saved[1], saved[2])
    assert took < 3, f"queueing the delivery took {took:.1f} s"
    assert set(note.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}  # left for the sweep


def test_background_work_asked_for_while_the_broker_is_away_is_refused_quietly(db):
    """A badge to draw or a thumbnail to make must not turn the page that asked for it into a 500."""
    from portal.celery import app
    from portal.core.tasks import enqueue, retry_pending_deliveries

    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_always_eager = False
    _point_celery_at(app, "redis://127.0.0.1:1/0", "redis://127.0.0.1:1/0")
    try:
        started = time.monotonic()
        queued = enqueue(retry_pending_deliveries, 60)
        took = time.monotonic() - started
    finally:
        app.conf.task_always_eager = saved[0]
        _point_celery_at(app, saved[1], saved[2])
    assert queued is False
    assert took < 3
    assert enqueue(retry_pending_deliveries, 60) is True  # and with the broker back (eager here) it is queued


def test_text_rendered_in_the_senders_language_is_refused(make_user, community):
    """A plain string was rendered when the sender built it, in the sender's language: notify() takes lazy text."""
    user = make_user(community=community)
    with pytest.raises(TypeError):
        notify(recipient=user, title="预约已确认")
    with pytest.raises(TypeError):
        notify(recipient=user, title=message("预约已确认"), body=str(message("明天")))
    assert not Notification.objects.filter(recipient=user).exists()


def test_each_recipient_reads_the_message_in_their_own_language(make_user, community):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    chinese, english = make_user(community=community), make_user(community=community, language="en")
    title = message(gettext_lazy("Overdue case %(number)s: %(title)s"), number="BJ0000229", title="路灯不亮")
    with translation.override("en"):  # the sender works in English: it must not reach the Chinese reader
        for user in (chinese, english):
            notify(recipient=user, title=title, channels=())
    assert Notification.objects.get(recipient=english).title == "Overdue case BJ0000229: 路灯不亮"
    assert Notification.objects.get(recipient=chinese).title == "办件 BJ0000229 已超期：路灯不亮"


def test_switching_the_language_is_remembered_on_the_account(client, make_user, community):
    user = make_user(community=community)
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not a language of the site: ignored
    user.refresh_from_db()
    assert user.language == "en"
