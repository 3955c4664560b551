"""Badges: a valid PNG drawn with a CJK-capable font in a Celery task; a signed QR token; revocation."""

import io

import pytest
from django.core import signing
from django.urls import reverse
from PIL import Image, ImageFont

from portal.core.models import AuditLog
from volunteers import actions, badges
from volunteers.models import Badge
from volunteers.tests.factories import TeamFactory, VolunteerFactory


@pytest.fixture
def badge(volunteer_user, django_capture_on_commit_callbacks):
    volunteer = volunteer_user.resident.volunteer
    volunteer.team = TeamFactory(community=volunteer.community, name="环境卫生服务队")
    volunteer.save()
    with django_capture_on_commit_callbacks(execute=True):
        issued = actions.badge_request(volunteer=volunteer, base_url="http://testserver/")
    issued.refresh_from_db()
    return issued


def test_the_chosen_font_draws_chinese_glyphs_not_boxes():
    choice = badges.cjk_font()
    font = choice.at(48)
    she = bytes(font.getmask("社"))
    assert she != bytes(font.getmask(badges.MISSING))  # not the .notdef box
    assert she != bytes(font.getmask("区"))  # distinct glyphs, so real ones
    assert font.getmask("社").getbbox() is not None


def test_a_latin_only_font_is_recognised_as_unable_to_draw_chinese():
    latin = ImageFont.load_default(40)
    assert badges.covers(latin, "abc")
    assert not badges.covers(latin, "社区")


def test_a_missing_font_file_is_skipped(settings, tmp_path):
    settings.VOLUNTEER_BADGE_FONT = str(tmp_path / "nope.ttf")
    badges.cjk_fonts.cache_clear()
    try:
        assert badges.cjk_font().path != settings.VOLUNTEER_BADGE_FONT
    finally:
        badges.cjk_fonts.cache_clear()


def test_no_cjk_font_at_all_fails_the_badge_instead_of_drawing_boxes(monkeypatch, volunteer_user):
    monkeypatch.setattr(badges, "font_candidates", lambda: [("/nowhere/font.ttf", 0)])
    badges.cjk_fonts.cache_clear()
    try:
        badge = Badge.objects.create(volunteer=volunteer_user.resident.volunteer)
        assert badges.badge_render(badge_id=badge.pk).status == Badge.Status.FAILED
    finally:
        badges.cjk_fonts.cache_clear()


def test_the_task_draws_a_valid_png_with_a_cjk_font(badge):
    assert badge.status == Badge.Status.READY
    with badge.image.open("rb") as f:
        data = f.read()
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == badges.BADGE_SIZE
    assert badge.font_name == badges.cjk_font().name
    chosen = ImageFont.truetype(badges.cjk_font().path, 40, index=badges.cjk_font().index)
    assert badges.covers(chosen, badge.volunteer.resident.name + "环境卫生服务队")
    # The name band is not blank: dark pixels where the name is drawn.
    name_band = image.convert("L").crop((40, 495, 598, 570))
    assert name_band.getextrema()[0] < 80


def test_the_qr_token_holds_no_personal_data_and_verifies(client, badge):
    token = badge.verify_url.rstrip("/").split("/")[-1]
    payload = signing.loads(token, salt=badges.BADGE_SIGNING_SALT)
    assert payload == badge.code.hex
    volunteer = badge.volunteer
    for personal in (volunteer.resident.name, volunteer.resident.phone, volunteer.resident.id_number):
        assert personal not in badge.verify_url
    page = client.get(reverse("volunteers:badge_verify", args=[token]))
    assert page.status_code == 200 and b'id="verdict"' in page.content
    assert page.context["valid"] is True
    assert volunteer.resident.name not in page.content.decode()


def test_a_forged_token_is_unknown(client, badge):
    forged = signing.dumps(badge.code.hex, salt="something-else")
    assert client.get(reverse("volunteers:badge_verify", args=[forged])).status_code == 404
    assert client.get(reverse("volunteers:badge_verify", args=["garbage"])).status_code == 404


def test_a_revoked_volunteers_badge_stops_verifying(client, badge, director):
    token = badges.badge_token(badge)
    assert client.get(reverse("volunteers:badge_verify", args=[token])).context["valid"] is True
    actions.volunteer_revoke(volunteer=badge.volunteer, by=director, reason="搬离社区")
    page = client.get(reverse("volunteers:badge_verify", args=[token]))
    assert page.status_code == 200 and page.context["valid"] is False
    assert "Not valid" in page.content.decode() or "无效" in page.content.decode()


def test_a_new_badge_replaces_the_old_one(client, badge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.badge_request(volunteer=badge.volunteer, base_url="http://testserver/")
    page = client.get(reverse("volunteers:badge_verify", args=[badges.badge_token(badge)]))
    assert page.context["valid"] is False


def test_badge_page_shows_pending_then_the_image(client, volunteer_user, django_capture_on_commit_callbacks):
    client.force_login(volunteer_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("volunteers:my_badge"))
    pending = client.get(reverse("volunteers:my_badge_status")).content.decode()
    assert 'hx-trigger="every 2s"' in pending
    for callback in callbacks:
        callback()
    ready = client.get(reverse("volunteers:my_badge_status")).content.decode()
    badge = Badge.objects.get()
    assert reverse("volunteers:badge_image", args=[badge.pk]) in ready and "hx-trigger" not in ready
    image = client.get(reverse("volunteers:badge_image", args=[badge.pk]))
    assert image["Content-Type"] == "image/png"


def test_badge_image_is_not_public(client, badge, make_user, community):
    url = reverse("volunteers:badge_image", args=[badge.pk])
    assert client.get(url).status_code == 302  # anonymous: log in
    client.force_login(make_user(community=community))
    assert client.get(url).status_code == 404


def test_coordinator_prints_an_a4_sheet_of_badges(client, badge, director):
    client.force_login(director)
    response = client.get(reverse("volunteers:badge_sheet"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_badge_asked_for_in_the_browser_is_audited(client, volunteer_user, django_capture_on_commit_callbacks):
    client.force_login(volunteer_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteers:my_badge"))
    badge = Badge.objects.get()
    audit = AuditLog.objects.get(action="badge_issue")
    assert (audit.actor, audit.object_id) == (volunteer_user, str(badge.pk))
    assert audit.community_id == volunteer_user.resident.volunteer.community_id


def test_only_approved_volunteers_get_a_badge(community):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.badge_request(volunteer=VolunteerFactory(community=community, status="applied"), base_url="http://x/")


def test_the_vendored_subset_font_draws_chinese_when_no_system_font_is_installed(monkeypatch):
    monkeypatch.setattr(
        badges, "font_candidates", lambda: [("/usr/share/fonts/none.ttc", 0), (str(badges.VENDORED_FONT), 0)]
    )
    badges.cjk_fonts.cache_clear()
    try:
        choice = badges.font_for("王秀英 南环东路社区 环境卫生服务队")
        assert choice.path == str(badges.VENDORED_FONT)
        font = choice.at(48)
        assert bytes(font.getmask("社")) != bytes(font.getmask(badges.MISSING))
    finally:
        badges.cjk_fonts.cache_clear()


def test_a_name_with_a_character_outside_the_subset_needs_the_full_font(monkeypatch):
    rare = "\U0002003e"  # CJK extension B: not in GB 2312
    monkeypatch.setattr(badges, "font_candidates", lambda: [(str(badges.VENDORED_FONT), 0)])
    badges.cjk_fonts.cache_clear()
    try:
        with pytest.raises(badges.NoCJKFont):
            badges.font_for("王" + rare)
    finally:
        badges.cjk_fonts.cache_clear()


def test_a_badge_left_waiting_is_drawn_by_the_minutely_sweep(volunteer_user):
    """Asked for while the broker was away: nothing was queued; the sweep queues it again (eager here)."""
    from volunteers.tasks import render_pending_badges

    badge = Badge.objects.create(volunteer=volunteer_user.resident.volunteer)  # pending, never queued
    assert render_pending_badges(older_than_seconds=60) == 0  # too fresh: its own task may still be on its way
    assert render_pending_badges(older_than_seconds=0) == 1
    badge.refresh_from_db()
    assert badge.status == Badge.Status.READY
    assert render_pending_badges(older_than_seconds=0) == 0


def test_a_damaged_stored_badge_is_drawn_afresh_on_the_sheet_instead_of_failing(badge):
    from django.core.files.base import ContentFile

    badge.image.save("broken.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), save=True)  # truncated PNG
    pdf = badges.badge_sheet_pdf([badge])
    assert pdf.startswith(b"%PDF")


def test_badge_images_and_photos_are_never_public_media(client, badge, settings):
    """A badge (and the photo drawn on it) is a file of a person: stored outside MEDIA_ROOT, no URL reaches it; the
    badge view is the only way to it."""
    from pathlib import Path

    from django.core.files.base import ContentFile

    volunteer = badge.volunteer
    volunteer.photo.save("face.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"), save=True)
    for field in (badge.image, volunteer.photo):
        assert Path(field.path).is_file()
        assert Path(settings.PRIVATE_MEDIA_ROOT) in Path(field.path).parents
        assert not (Path(settings.MEDIA_ROOT) / field.name).exists()
        with pytest.raises(ValueError):
            field.url  # noqa: B018 - no public URL at all
        assert client.get(f"/media/{field.name}").status_code == 404  # anonymous, by the path it would have had
