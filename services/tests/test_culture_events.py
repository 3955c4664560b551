"""Events: registration with capacity and waiting list; photo uploads checked and thumbnailed by a task;
classes with an enrolment limit and attendance; the public calendar and its iCal feed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar
from PIL import Image

from portal.core import roles
from portal.core.capacity import Outcome
from portal.core.models import AuditLog
from residents.tests.factories import ResidentFactory
from services.culture.actions import class_enrol, class_session_add, session_attendance_record
from services.events import images
from services.events.actions import event_register, event_registration_cancel
from services.models import EventPhoto, EventRegistration
from services.tests.factories_stations import CultureClassFactory, StationEventFactory, at


def png_bytes(size=(800, 600), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def test_a_full_event_offers_the_waiting_list_and_a_cancellation_moves_it_up(community):
    event = StationEventFactory(community=community, capacity=1)
    first, second = ResidentFactory.create_batch(2, community=community)
    assert event_register(event=event, resident=first).outcome is Outcome.TAKEN
    waiting = event_register(event=event, resident=second)
    assert waiting.outcome is Outcome.WAITING
    assert event_register(event=event, resident=second).outcome is Outcome.ALREADY
    event_registration_cancel(registration=EventRegistration.objects.get(resident=first))
    waiting.seat.refresh_from_db()
    assert waiting.seat.status == "active"


def test_another_communitys_event_is_not_open(community, other_community):
    event = StationEventFactory(community=other_community)
    with pytest.raises(ValidationError):
        event_register(event=event, resident=ResidentFactory(community=community))


def test_a_resident_registers_through_the_page(client, community, resident_user):
    event = StationEventFactory(community=community, capacity=5)
    client.force_login(resident_user)
    response = client.post(reverse("services:stations:event_register", args=[event.pk]), follow=True)
    assert response.status_code == 200
    assert EventRegistration.objects.filter(event=event, resident=resident_user.resident, status="active").exists()
    assert "my-registration" in response.content.decode()


def test_class_enrolment_has_a_limit_and_attendance_is_per_session(community):
    klass = CultureClassFactory(room__community=community, community=community, capacity=2, has_waiting_list=False)
    people = ResidentFactory.create_batch(3, community=community)
    outcomes = [class_enrol(klass=klass, resident=p).outcome for p in people]
    assert outcomes == [Outcome.TAKEN, Outcome.TAKEN, Outcome.FULL]
    session = class_session_add(klass=klass, starts_at=at(5, 14), ends_at=at(5, 16), by=None)
    enrolment = klass.enrolments.first()
    assert session_attendance_record(session=session, present_enrolment_ids={enrolment.pk}, by=None) == 1
    assert session.attendance.count() == 2 and session.attendance.filter(present=True).count() == 1


# --- uploads -----------------------------------------------------------------------------------------


def upload(client, event, content, name="p.png"):
    return client.post(
        reverse("services:stations:event", args=[event.pk]),
        {"image": SimpleUploadedFile(name, content), "caption": "拔河"},
    )


@pytest.fixture
def staff_client(client, make_user, community):
    client.force_login(make_user(roles.CULTURE_STAFF, community))
    return client


def test_a_real_photo_is_stored_and_a_task_makes_its_thumbnail(
    staff_client, community, django_capture_on_commit_callbacks
):
    event = StationEventFactory(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, event, png_bytes((1600, 1200)), name="张三的照片.png")
    assert response.status_code == 302
    photo = EventPhoto.objects.get()
    assert "张三" not in photo.image.name and photo.image.name.endswith(".png")
    assert photo.thumbnail
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 400 and thumb.format == "JPEG"
    line = AuditLog.objects.get()  # a staff write
    assert (line.action, line.object_id, line.community_id) == ("event_photo_add", str(photo.pk), community.pk)


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 not a picture", b"GIF89a" + b"\x00" * 100, png_bytes()[:60]],
    ids=["pdf", "gif-header-only", "truncated-png"],
)
def test_a_file_that_is_not_a_real_image_is_refused(staff_client, community, content):
    event = StationEventFactory(community=community)
    response = upload(staff_client, event, content)
    form = response.context["form"]
    assert response.status_code == 200 and form.has_error("image", code="invalid")
    assert "无法识别该图片" in str(form.errors["image"])  # the message the uploader reads
    assert not EventPhoto.objects.exists()


def test_a_gif_is_refused_as_a_format(staff_client, community):
    response = upload(staff_client, StationEventFactory(community=community), png_bytes(fmt="GIF"), name="a.gif")
    assert response.context["form"].has_error("image", code="format")


def test_a_too_large_file_is_refused(staff_client, community, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    response = upload(staff_client, StationEventFactory(community=community), png_bytes())
    assert response.context["form"].has_error("image", code="size")


def test_a_decompression_bomb_is_refused(staff_client, community, monkeypatch):
    # A small file that claims a huge picture: Pillow's bomb check refuses it before decoding.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    response = upload(staff_client, StationEventFactory(community=community), png_bytes((200, 200)))
    assert response.context["form"].has_error("image", code="pixels")
    assert not EventPhoto.objects.exists()


def test_too_many_pixels_are_refused_even_below_pillows_limit(staff_client, community, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000)
    response = upload(staff_client, StationEventFactory(community=community), png_bytes((200, 200)))
    assert response.context["form"].has_error("image", code="pixels")


def test_residents_and_other_staff_cannot_upload(client, community, resident_user, make_user):
    """Roles without the permission get a 403; station staff outside the event's community a 404."""
    event = StationEventFactory(community=community)
    refused = [
        (resident_user, 403),
        (make_user(roles.HALL_STAFF, community), 403),
        (make_user(roles.CULTURE_STAFF, None), 404),
    ]
    for user, status in refused:
        client.force_login(user)
        assert upload(client, event, png_bytes()).status_code == status
    assert not EventPhoto.objects.exists()


# --- calendar ------------------------------------------------------------------------------------


def test_the_calendar_shows_both_stations_and_class_sessions(client, community):
    StationEventFactory(
        community=community, station="health", kind="clinic", title="义诊活动", starts_at=at(1, 9), ends_at=at(1, 11)
    )
    StationEventFactory(community=community, title="趣味运动会", starts_at=at(1, 14), ends_at=at(1, 16))
    klass = CultureClassFactory(room__community=community, community=community, name="传统乐器演奏培训班")
    class_session_add(klass=klass, starts_at=at(1, 18), ends_at=at(1, 20), by=None)
    month = at(1, 9).strftime("%Y-%m")
    page = client.get(reverse("services:stations:calendar_community", args=[community.slug]) + f"?month={month}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "义诊活动" in html and "趣味运动会" in html and "传统乐器演奏培训班" in html


def test_the_ical_feed_lists_the_same_things(client, community, other_community):
    StationEventFactory(community=community, title="健康讲座")
    StationEventFactory(community=other_community, title="别处的活动")
    response = client.get(reverse("services:stations:ical", args=[community.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    titles = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert titles == ["健康讲座"]


def test_calendar_and_event_pages_query_counts_do_not_grow(
    client, community, resident_user, django_assert_max_num_queries
):
    client.force_login(resident_user)
    klass = CultureClassFactory(room__community=community, community=community)
    StationEventFactory.create_batch(2, community=community, starts_at=at(1, 9), ends_at=at(1, 10))
    class_session_add(klass=klass, starts_at=at(1, 18), ends_at=at(1, 19), by=None)
    month = at(1, 9).strftime("%Y-%m")
    urls = [
        reverse("services:stations:calendar_community", args=[community.slug]) + f"?month={month}",
        reverse("services:stations:events"),
        reverse("services:stations:ical", args=[community.slug]),
        reverse("services:culture:classes"),
        reverse("services:culture:teams"),
        reverse("services:culture:my"),
    ]
    for url in urls:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url
    for i in range(20):
        event = StationEventFactory(community=community, starts_at=at(1, 9), ends_at=at(1, 10))
        event_register(event=event, resident=resident_user.resident)
        class_session_add(klass=klass, starts_at=at(2 + i, 18), ends_at=at(2 + i, 19), by=None)
        CultureClassFactory(room__community=community, community=community)
    for url in urls:
        with django_assert_max_num_queries(10):
            client.get(url)


def test_a_photo_left_without_a_thumbnail_gets_one_from_the_minutely_sweep(
    staff_client, community, django_capture_on_commit_callbacks
):
    from services.events.tasks import make_pending_thumbnails

    event = StationEventFactory(community=community)
    with django_capture_on_commit_callbacks(execute=False):  # the broker was away: nothing queued
        upload(staff_client, event, png_bytes((800, 600)))
    photo = EventPhoto.objects.get()
    assert not photo.thumbnail
    assert make_pending_thumbnails(older_than_seconds=0) == 1
    photo.refresh_from_db()
    assert photo.thumbnail
    assert make_pending_thumbnails(older_than_seconds=0) == 0


def test_each_station_runs_only_its_own_events_in_the_admin(staff_client, make_user, community):
    """Culture-station staff (staff_client) neither see nor edit the health station's events, and may only create
    culture events; health-station staff the other way round."""
    from services.models import Station

    culture = StationEventFactory(community=community, station=Station.CULTURE)
    health = StationEventFactory(community=community, station=Station.HEALTH)

    def row(event):
        return reverse("admin:services_stationevent_change", args=[event.pk])

    listing = staff_client.get(reverse("admin:services_stationevent_changelist")).content.decode()
    assert row(culture) in listing and row(health) not in listing
    assert staff_client.get(row(health)).status_code == 404
    add = staff_client.get(reverse("admin:services_stationevent_add"))
    assert [value for value, _label in add.context["adminform"].form.fields["station"].choices] == [Station.CULTURE]
    staff_client.force_login(make_user(roles.HEALTH_STAFF, community))
    listing = staff_client.get(reverse("admin:services_stationevent_changelist")).content.decode()
    assert row(health) in listing and row(culture) not in listing
