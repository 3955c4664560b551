"""Notification preferences, honoured where notifications are delivered (portal.core.notify): per kind and per
channel (the inbox always), quiet hours that delay an SMS to their end (never drop it), and the settings page."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Delivery, Kind, Notification, NotificationPreference
from portal.core.notify import message, notify, quiet_until
from portal.core.sms import MemoryBackend
from portal.core.tasks import retry_pending_deliveries, send_delivery


@pytest.fixture
def user(make_user, community):
    return make_user(community=community, email="wang@example.com")


def _local(hour, minute=0, day=None):
    day = day or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone())


def test_quiet_hours_over_midnight():
    start, end = dt.time(21), dt.time(8)
    assert quiet_until(_local(12), start, end) is None
    assert quiet_until(_local(22), start, end) == _local(8, day=timezone.localdate() + dt.timedelta(days=1))
    assert quiet_until(_local(3), start, end) == _local(8)
    assert quiet_until(_local(13), dt.time(12), dt.time(14)) == _local(14)  # a quiet span within the day
    assert quiet_until(_local(14), dt.time(12), dt.time(14)) is None


def test_without_settings_every_channel_carries_every_kind(user, django_capture_on_commit_callbacks):
    MemoryBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, title=message("预约已确认"), kind=Kind.BOOKINGS)
    assert len(mail.outbox) == 1 and len(MemoryBackend.outbox) == 1


def test_a_channel_switched_off_for_a_kind_is_not_used_and_the_inbox_still_is(user):
    NotificationPreference.objects.create(user=user, muted=["events:sms", "events:email"], quiet_hours=False)
    MemoryBackend.outbox.clear()
    notify(recipient=user, title=message("活动提醒"), kind=Kind.EVENTS)
    assert Notification.objects.filter(recipient=user, title="活动提醒").exists()
    assert not Delivery.objects.filter(notification__recipient=user).exists()
    assert not mail.outbox and not MemoryBackend.outbox
    notify(recipient=user, title=message("办件进度"), kind=Kind.CASES)  # another kind: still on
    assert Delivery.objects.filter(notification__title="办件进度").count() == 2
    notify(recipient=user, title=message("账号"), kind=Kind.ACCOUNT)  # account notices cannot be switched off
    assert Delivery.objects.filter(notification__title="账号").count() == 2


def test_an_sms_in_quiet_hours_waits_for_their_end_and_is_then_sent(user, django_capture_on_commit_callbacks):
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    NotificationPreference.objects.create(user=user, quiet_hours=True, quiet_start=start, quiet_end=end)
    MemoryBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, title=message("议事会通知"), kind=Kind.COUNCILS)
    sms = Delivery.objects.get(notification__title="议事会通知", channel="sms")
    email = Delivery.objects.get(notification__title="议事会通知", channel="email")
    assert email.status == "sent"  # e-mail is not held back
    assert sms.status == "pending" and sms.not_before is not None and sms.not_before > timezone.now()
    assert not MemoryBackend.outbox
    assert send_delivery(sms.pk) == "deferred"
    assert retry_pending_deliveries() == 0  # not yet due
    Delivery.objects.filter(pk=sms.pk).update(not_before=timezone.now() - dt.timedelta(seconds=1))
    assert retry_pending_deliveries() == 1  # the minutely sweep sends it once quiet hours are over
    sms.refresh_from_db()
    assert sms.status == "sent" and len(MemoryBackend.outbox) == 1


def test_the_site_default_quiet_hours_apply_to_those_who_never_chose(user, settings):
    now = timezone.localtime()
    settings.SMS_QUIET_HOURS = (
        (now - dt.timedelta(hours=1)).strftime("%H:%M"),
        (now + dt.timedelta(hours=1)).strftime("%H:%M"),
    )
    notify(recipient=user, title=message("夜间消息"), kind=Kind.VOLUNTEERS)
    assert Delivery.objects.get(notification__title="夜间消息", channel="sms").not_before is not None


def test_the_settings_page_saves_kinds_channels_and_quiet_hours(client, user):
    client.force_login(user)
    url = reverse("portal:notification_settings")
    page = client.get(url)
    assert page.status_code == 200 and "预约" in page.content.decode()
    data = {
        "bookings__sms": "on",
        "bookings__email": "on",
        "quiet_hours": "on",
        "quiet_start": "22:00",
        "quiet_end": "07:30",
    }
    assert client.post(url, data).status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert (
        "bookings:sms" not in preference.muted
        and "events:sms" in preference.muted
        and "cases:email" in preference.muted
    )
    assert preference.quiet_start == dt.time(22) and preference.quiet_end == dt.time(7, 30)
    response = client.post(url, {**data, "quiet_end": "7点"})  # bad input: told next to the field, nothing lost
    assert response.status_code == 200 and response.context["form"].errors["quiet_end"]
    assert 'value="22:00"' in response.content.decode()


def test_the_settings_page_needs_a_login(client):
    assert client.get(reverse("portal:notification_settings")).status_code == 302
