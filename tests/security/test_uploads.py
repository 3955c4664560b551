"""Uploads from residents: over-size files, fake extensions, decompression bombs and path-like names are refused
with a message next to the field, or stored under a generated name with the extension of what the file really
is; a refused file leaves nothing behind, nothing lands in STATIC_ROOT, and the answer is never a server error.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.site.models import Appraisal
from residents.tests.factories import BuildingFactory
from tests.security import test_forms_fuzz
from tests.security.test_forms_fuzz import assert_answered

held_meeting = test_forms_fuzz.held_meeting  # the same fixture: a held meeting and its secretary

SAFE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf"}


def image_bytes(fmt: str = "JPEG", size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side: int) -> bytes:
    """A valid 1-bit PNG of side × side pixels, all black: a few KB on disk, side² pixels once decoded."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


PHP = b"<?php system($_GET['c']); ?>\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"

# (case id, file name, content type, bytes, may it be accepted?)
BAD_FILES = [
    ("over-size", "big.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * (6 * 1024 * 1024), False),
    ("php-named-jpg", "shell.jpg", "image/jpeg", PHP, False),
    ("html-named-jpg", "page.jpg", "image/jpeg", HTML, False),
    ("html-named-png", "page.png", "image/png", HTML, False),
    ("svg-script", "icon.svg", "image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', False),
    ("empty", "empty.jpg", "image/jpeg", b"", False),
    ("bomb-warning-band", "bomb.png", "image/png", png_bomb(12_000), False),  # 144 megapixels
    ("bomb-error-band", "bomb2.png", "image/png", png_bomb(30_000), False),  # 900 megapixels
    ("png-named-pdf", "report.pdf", "application/pdf", image_bytes("PNG"), True),
    ("path-up", "../../etc/passwd.jpg", "image/jpeg", image_bytes(), True),
    ("path-windows", "..\\..\\x.png", "image/png", image_bytes("PNG"), True),
    ("nul-in-name", "a\x00b.jpg", "image/jpeg", image_bytes(), True),
    ("very-long-name", "照" * 300 + ".jpg", "image/jpeg", image_bytes(), True),
    ("html-extension", "photo.html", "text/html", image_bytes(), True),
]
IDS = [case[0] for case in BAD_FILES]
# Django's ImageField opens the bomb before the portal's own check refuses it; Pillow warns on the way.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def stores(settings, tmp_path, monkeypatch):
    """Public and private media in fresh folders (so parallel workers do not see each other's files); a
    snapshot of every place a file could land."""
    from django.apps import apps

    from portal.core.uploads import PrivateFileStorage, file_fields, is_private

    settings.MEDIA_ROOT = tmp_path / "media"
    private = PrivateFileStorage(location=tmp_path / "private-media")
    for _model, field in file_fields(apps.get_models()):
        if is_private(field):
            monkeypatch.setattr(field, "storage", private)
    roots = {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(private.location),
        "static": Path(django_settings.STATIC_ROOT),
    }
    before = {name: _files_under(root) for name, root in roots.items()}

    def new_files() -> dict[str, set[Path]]:
        return {name: _files_under(root) - before[name] for name, root in roots.items()}

    return new_files


def upload(name: str, content_type: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def assert_refused_or_renamed(response, field: str, new_files: dict, *, accepted_ok: bool, private: bool):
    """Refused with a message next to the field and nothing stored, or stored under a generated, safe name."""
    assert response.status_code < 500
    assert not new_files["static"], "an upload landed in STATIC_ROOT"
    if response.status_code == 200:
        assert_answered(response)
        assert field in response.context["form"].errors, response.context["form"].errors
        assert not new_files["media"] and not new_files["private"], "a refused file was kept"
        return
    assert accepted_ok, "this file should have been refused"
    stored = new_files["private"] if private else new_files["media"]
    assert len(stored) == 1, new_files
    if private:
        assert not new_files["media"], "a private file was written to public media"
    path = next(iter(stored))
    assert path.suffix.lower() in SAFE_SUFFIXES, path
    for taken_from_uploader in ("passwd", "照照", "a\x00b", "report", "photo.html", ".."):
        assert taken_from_uploader not in path.name, f"the stored name comes from the uploader: {path.name}"
    content = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        assert content.startswith(b"%PDF-"), "a file that is not a PDF is stored as .pdf"
    else:
        with Image.open(path) as image:
            assert image.format.lower().replace("jpeg", "jpg") in path.suffix.lower().replace("jpeg", "jpg")


# --- a case's attachment (private) -----------------------------------------------------------------


@pytest.fixture
def hall_item(community):
    from services.models import ServiceItem
    from services.seed import seed_catalogue

    seed_catalogue(community)
    return ServiceItem.objects.get(community=community, name="户籍证明开具")


@pytest.mark.parametrize(("case", "name", "content_type", "data", "accepted_ok"), BAD_FILES, ids=IDS)
def test_case_attachment_is_refused_or_stored_privately_under_a_generated_name(
    client, resident_user, hall_item, stores, case, name, content_type, data, accepted_ok
):
    client.force_login(resident_user)
    form = {"kind": "application", "title": "开证明", "description": "需要户籍证明", "attachment": None}
    form["attachment"] = upload(name, content_type, data)
    response = client.post(reverse("services:case_new"), form)
    assert_refused_or_renamed(response, "attachment", stores(), accepted_ok=accepted_ok, private=True)


# --- photos of residents' suggestions and nominations (private until their record is public) --------


@pytest.mark.parametrize(("case", "name", "content_type", "data", "accepted_ok"), BAD_FILES, ids=IDS)
def test_suggestion_photo_is_refused_or_stored_under_a_generated_name(
    client, resident_user, stores, case, name, content_type, data, accepted_ok
):
    client.force_login(resident_user)
    form = {"category": "environment", "title": "楼道灯坏了", "text": "3号楼楼道灯不亮", "location": "3号楼"}
    form["photo"] = upload(name, content_type, data)
    response = client.post(reverse("councils:suggestion_new"), form)
    assert_refused_or_renamed(response, "photo", stores(), accepted_ok=accepted_ok, private=True)


@pytest.fixture
def appraisal(community):
    now = timezone.now()
    return Appraisal.objects.create(
        community=community,
        kind=Appraisal.Kind.FAMILY,
        title="2026年文明家庭评选",
        criteria="爱国守法",
        nominate_until=now + dt.timedelta(days=3),
        vote_until=now + dt.timedelta(days=10),
        status=Appraisal.Status.OPEN,
        winners=1,
    )


@pytest.mark.parametrize(("case", "name", "content_type", "data", "accepted_ok"), BAD_FILES, ids=IDS)
def test_nomination_photo_is_refused_or_stored_under_a_generated_name(
    client, resident_user, appraisal, stores, case, name, content_type, data, accepted_ok
):
    building = BuildingFactory(community=appraisal.community)
    client.force_login(resident_user)
    form = {"building": building.pk, "title": "3号楼 张家", "reasons": "热心公益", "photo": None}
    form["photo"] = upload(name, content_type, data)
    response = client.post(reverse("portal:nominate", args=[appraisal.pk]), form)
    assert_refused_or_renamed(response, "photo", stores(), accepted_ok=accepted_ok, private=True)


@pytest.mark.parametrize(("case", "name", "content_type", "data", "accepted_ok"), BAD_FILES, ids=IDS)
def test_volunteer_photo_is_refused_or_stored_under_a_generated_name(
    client, resident_user, stores, case, name, content_type, data, accepted_ok
):
    client.force_login(resident_user)
    form = {"skills": ["haircut"], "availability": ["weekend"], "agree": "on", "photo": None}
    form["photo"] = upload(name, content_type, data)
    response = client.post(reverse("volunteers:apply"), form)
    # A face is a file of a person: private storage, never public media.
    assert_refused_or_renamed(response, "photo", stores(), accepted_ok=accepted_ok, private=True)


def test_a_case_file_is_served_only_through_the_checked_view(client, resident_user, hall_item, stores, make_user):
    """The stored case file has no public URL; its owner gets it through the view, another resident a 404."""
    from services.models import CaseAttachment

    client.force_login(resident_user)
    form = {"kind": "application", "title": "开证明", "description": "需要户籍证明"}
    form["attachment"] = upload("../../etc/passwd.jpg", "image/jpeg", image_bytes())
    assert client.post(reverse("services:case_new"), form).status_code == 302
    attachment = CaseAttachment.objects.get(case__resident=resident_user.resident)
    public = Path(django_settings.MEDIA_ROOT).resolve()
    assert public not in Path(attachment.file.path).resolve().parents, "a case file is under public media"
    url = reverse("services:attachment", args=[attachment.case_id, attachment.pk])
    assert client.get(url).status_code == 200
    client.force_login(make_user(community=resident_user.community))
    assert client.get(url).status_code == 404


# --- the secretary's attachments to minutes (private: served with the minutes once published) ------


@pytest.mark.parametrize(("case", "name", "content_type", "data", "accepted_ok"), BAD_FILES, ids=IDS)
def test_minutes_attachment_is_refused_or_kept_under_a_clean_name(
    client, held_meeting, stores, case, name, content_type, data, accepted_ok
):
    from councils.models import Minutes, MinutesAttachment

    client.force_login(held_meeting.secretary_user)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    response = client.post(
        reverse("councils:minutes_attach", args=[minutes.pk]),
        {"file": upload(name, content_type, data), "caption": ""},
        follow=True,
    )
    assert response.status_code == 200
    new_files = stores()
    assert not new_files["static"] and not new_files["media"], "a minutes attachment was written to public media"
    levels = [m.level_tag for m in response.context["messages"]]
    if not MinutesAttachment.objects.filter(minutes=minutes).exists():
        assert "error" in levels, "a refused file must say why"
        assert not new_files["private"], "a refused file was kept"
        return
    assert accepted_ok, "this file should have been refused"
    (path,) = new_files["private"]
    assert "councils/minutes" in path.as_posix()
    assert ".." not in path.name and "\\" not in path.name and "\x00" not in path.name
    assert path.suffix.lower() in SAFE_SUFFIXES
    with Image.open(path) as image:
        assert image.format.lower().replace("jpeg", "jpg") in path.suffix.lower().replace("jpeg", "jpg")


def test_a_real_pdf_and_office_file_are_still_accepted_as_minutes_attachments(client, held_meeting, stores):
    from councils.models import Minutes, MinutesAttachment

    client.force_login(held_meeting.secretary_user)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    url = reverse("councils:minutes_attach", args=[minutes.pk])
    client.post(url, {"file": upload("签到表.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")})
    client.post(url, {"file": upload("预算.xlsx", "application/vnd.ms-excel", b"PK\x03\x04" + b"\0" * 40)})
    assert MinutesAttachment.objects.filter(minutes=minutes).count() == 2
