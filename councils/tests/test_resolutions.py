"""Resolutions: progress with evidence, overdue reminders to the executor and the convenor."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from councils import actions, tasks
from councils.models import Resolution
from councils.tests.conftest import fill_minutes
from portal.core import roles


@pytest.fixture
def resolution(held_meeting, secretary, convenor):
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    [resolution] = actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    return resolution


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("evidence.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_the_executor_reports_progress_with_a_photo(client, resolution, director):
    client.force_login(director)
    url = reverse("councils:resolution_progress", args=[resolution.pk])
    client.post(url, {"text": "已召开协调会，物业同意。", "photo": _jpeg()})
    client.post(url, {"text": "全部完成。", "completes": "on"})
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.DONE
    first, last = resolution.progress.order_by("pk")
    assert first.photo.name.endswith(".jpg") and last.completes
    page = client.get(reverse("councils:resolution", args=[resolution.pk])).content.decode()
    assert "全部完成" in page and 'id="report-progress"' not in page  # done: no more reports


def test_a_resident_cannot_report_progress(client, resolution, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("councils:resolution_progress", args=[resolution.pk]), {"text": "x"})
    assert response.status_code == 403  # a role without the permission
    assert not resolution.progress.exists()


def test_staff_of_another_community_do_not_find_the_resolution(client, resolution, make_user, other_community):
    client.force_login(make_user(roles.HALL_STAFF, other_community))
    response = client.post(reverse("councils:resolution_progress", args=[resolution.pk]), {"text": "x"})
    assert response.status_code == 404  # another community's record does not exist for them
    assert not resolution.progress.exists()


def test_overdue_resolutions_remind_executor_and_convenor_once_a_week(resolution, director, convenor):
    resolution.deadline = timezone.localdate() - dt.timedelta(days=1)
    resolution.save()
    assert tasks.remind_overdue_resolutions() == 2  # the committee director carries it out; the convenor
    assert tasks.remind_overdue_resolutions() == 0
    assert director.notifications.filter(title__contains=resolution.number).count() == 1
    assert convenor.notifications.filter(title__contains=resolution.number).count() == 1
    later = timezone.localdate() + dt.timedelta(days=8)
    assert actions.resolutions_remind_overdue(today=later) == 2


def test_a_resolution_carried_out_is_not_reminded(resolution, director):
    actions.resolution_progress_add(resolution=resolution, text="完成", completes=True, by=director)
    Resolution.objects.filter(pk=resolution.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    assert tasks.remind_overdue_resolutions() == 0


def test_resolutions_keep_their_history(resolution, director):
    actions.resolution_progress_add(resolution=resolution, text="进行中", by=director)
    assert resolution.history.count() == 2
