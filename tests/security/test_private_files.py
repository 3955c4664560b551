"""Every file field of every model says whether it is public; every private one is out of the public media folder
and is served only by a view that applies its record's own check. Generated from the model registry: a new file
field without a declaration fails, and a new private field without an entry in SERVED fails.

SERVED says, per private field, how to store a file on a record of community A in a state not everyone may see
(a draft, before publication, a resident's own), who then gets the file through its serving view (200) and who
gets a 404: anonymous (or the sign-in page), another resident, the same role in community B.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.core.uploads import (
    PrivateFileStorage,
    PublicFileStorage,
    check_file_storages,
    file_fields,
    is_private,
    private_storage,
    public_storage,
)

FIELDS = [(f"{model._meta.label}.{field.name}", model, field) for model, field in file_fields(apps.get_models())]
PRIVATE = [row for row in FIELDS if is_private(row[2])]


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (30, 20), "teal").save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Served:
    make: Callable  # (world) -> the record holding the file, in a state not public to everyone
    allowed: tuple[str, ...] = ()  # who gets the file then (200)
    refused: tuple[str, ...] = ("anonymous", "resident_b")  # who gets 404 (anonymous: 404 or the sign-in page)
    public: Callable | None = None  # (record) -> make the record public: then anyone gets the file
    no_view: str = ""  # why no view serves it (the file is only used inside another)


def _minutes_attachment(w):
    from councils.models import Minutes, MinutesAttachment

    minutes = w.objects.draft_minutes
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.SUBMITTED)
    return MinutesAttachment.objects.create(minutes=minutes, caption="签到表")


def _progress(w):
    from councils.models import Minutes, ResolutionProgress

    resolution = w.objects.resolution
    Minutes.objects.filter(pk=resolution.minutes_item.minutes_id).update(status=Minutes.Status.SUBMITTED)
    return ResolutionProgress.objects.create(resolution=resolution, text="已完成一半")


def _suggestion(w):
    from councils.models import Suggestion

    Suggestion.objects.filter(pk=w.objects.suggestion.pk).update(status=Suggestion.Status.SUBMITTED)
    return Suggestion.objects.get(pk=w.objects.suggestion.pk)


def _notice(w):
    from portal.site.models import Notice

    later = timezone.now() + dt.timedelta(days=2)
    Notice.objects.filter(pk=w.objects.notice.pk).update(publish_at=later, expires_at=None)
    return Notice.objects.get(pk=w.objects.notice.pk)


def _nomination(w):
    from portal.site.models import Nomination

    Nomination.objects.filter(pk=w.objects.nomination.pk).update(
        status=Nomination.Status.PENDING, nominated_by=w.users["resident_a"]
    )
    return Nomination.objects.get(pk=w.objects.nomination.pk)


def _nomination_on_ballot(nomination):
    from portal.site.models import Appraisal, Nomination

    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.ACCEPTED)
    Appraisal.objects.filter(pk=nomination.appraisal_id).update(status=Appraisal.Status.OPEN)


def _event_photo(w):
    from services.models import EventPhoto, StationEvent

    StationEvent.objects.filter(pk=w.objects.event.pk).update(published=False)
    return EventPhoto.objects.create(event=w.objects.event, caption="合影")


def _event_published(photo):
    from services.models import StationEvent

    StationEvent.objects.filter(pk=photo.event_id).update(published=True)


def _case_attachment(w):
    return w.objects.attachment


def _indicator_entry(w):
    return w.objects.indicator_entry


def _badge(w):
    return w.objects.badge


def _volunteer(w):
    return w.objects.volunteer


def _patrol_photo(w):
    return w.objects.patrol_photo


COUNCIL = ("council_sec_a", "branch_sec_a")
SERVED: dict[str, Served] = {
    "councils.MinutesAttachment.file": Served(
        _minutes_attachment, allowed=COUNCIL, refused=("anonymous", "resident_a", "council_sec_b", "hall_a")
    ),
    "councils.ResolutionProgress.photo": Served(
        _progress, allowed=(*COUNCIL, "hall_a"), refused=("anonymous", "resident_a", "council_sec_b", "hall_b")
    ),
    "councils.Suggestion.photo": Served(
        _suggestion, allowed=("resident_a", *COUNCIL), refused=("anonymous", "resident_b", "council_sec_b")
    ),
    "site.Notice.attachment": Served(
        _notice, allowed=("hall_a", "director_a"), refused=("anonymous", "resident_a", "hall_b")
    ),
    "site.Nomination.photo": Served(
        _nomination,
        allowed=("resident_a", "hall_a", "director_a"),
        refused=("anonymous", "resident_b", "hall_b", "director_b", "council_sec_a"),
        public=_nomination_on_ballot,
    ),
    # An event's gallery is shown only while the event is published, to everyone; before that to nobody.
    "services.EventPhoto.image": Served(
        _event_photo, refused=("anonymous", "resident_a", "culture_a", "culture_b"), public=_event_published
    ),
    "services.EventPhoto.thumbnail": Served(
        _event_photo, refused=("anonymous", "resident_a", "culture_a", "culture_b"), public=_event_published
    ),
    "services.CaseAttachment.file": Served(
        _case_attachment, allowed=("resident_a", "hall_a"), refused=("anonymous", "resident_b", "hall_b")
    ),
    # An assessment's evidence (a roster, a lease): the community's assessment staff and the district only.
    "site.IndicatorEntry.attachment": Served(
        _indicator_entry,
        allowed=("director_a", "district"),
        refused=("anonymous", "resident_a", "hall_a", "director_b"),
    ),
    "volunteers.Badge.image": Served(
        _badge, allowed=("resident_a", "director_a"), refused=("anonymous", "resident_b", "director_b")
    ),
    # A grid patrol's photo: whoever may see the patrol (its grid's worker, the community's director), nobody else.
    # (A resident or hall staff lacks the grid pages' permission: 403 for every address, before any record is read.)
    "residents.PatrolPhoto.image": Served(_patrol_photo, allowed=("director_a",), refused=("anonymous", "director_b")),
    "volunteers.Volunteer.photo": Served(
        _volunteer, no_view="only drawn onto the badge, which volunteers:badge_image serves"
    ),
}


# --- (a) every file field is declared ------------------------------------------------------------------


def test_the_registry_has_file_fields():
    assert len(FIELDS) >= 10 and len(PRIVATE) >= 9, [row[0] for row in FIELDS]


@pytest.mark.parametrize(("label", "model", "field"), FIELDS, ids=[row[0] for row in FIELDS])
def test_every_file_field_declares_whether_it_is_public(label, model, field):
    assert isinstance(field.storage, (PublicFileStorage, PrivateFileStorage)), f"{label} declares neither"
    assert not [error for error in check_file_storages() if error.obj is field]


class _Models:
    """An app config holding only the given models, for the system check."""

    def __init__(self, *models_):
        self.models = models_

    def get_models(self):
        return self.models


@isolate_apps("portal")
def test_the_system_check_fails_on_an_undeclared_file_field():
    """portal.E001 on a file field left on Django's default storage (which is served publicly under MEDIA_URL)."""

    class Scan(models.Model):
        undeclared = models.ImageField(upload_to="x/")
        public = models.FileField(upload_to="y/", storage=public_storage)
        private = models.FileField(upload_to="z/", storage=private_storage)

        class Meta:
            app_label = "portal"

        def __str__(self) -> str:
            return "scan"

    errors = check_file_storages(app_configs=[_Models(Scan)])
    assert [(e.id, e.obj.name) for e in errors] == [("portal.E001", "undeclared")]


def test_every_private_field_has_a_serving_entry():
    missing = sorted(label for label, _m, _f in PRIVATE if label not in SERVED)
    assert not missing, f"private file fields without an entry in SERVED (how it is served, to whom): {missing}"
    stale = sorted(set(SERVED) - {label for label, _m, _f in PRIVATE})
    assert not stale, f"SERVED names fields that are not private file fields: {stale}"


# --- (b) a private file: not under /media/, served only to those who may read its record -------------------


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who in world.cookies:
        client.cookies["sessionid"] = world.cookies[who]
    return client


def _stored(world, label: str, field):
    """A record of community A with a fresh file saved through the field, as an upload would be."""
    record = SERVED[label].make(world)
    getattr(record, field.name).save("upload.png", ContentFile(_png()), save=False)
    for size in (getattr(field, "width_field", None), getattr(field, "height_field", None)):
        if size and not getattr(record, size):
            setattr(record, size, 20)  # Django reads no size from a ContentFile
    record.save()
    record.refresh_from_db()
    return record


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("label", "model", "field"), PRIVATE, ids=[row[0] for row in PRIVATE])
def test_a_private_file_is_not_under_the_public_media_url(world, db, label, model, field):
    record = _stored(world, label, field)
    name = getattr(record, field.name).name
    assert isinstance(getattr(record, field.name).storage, PrivateFileStorage)
    assert not (Path(settings.MEDIA_ROOT) / name).exists(), f"{label}: the file was written under MEDIA_ROOT"
    assert Path(settings.PRIVATE_MEDIA_ROOT) in Path(getattr(record, field.name).path).parents
    with pytest.raises(ValueError):
        getattr(record, field.name).url  # noqa: B018 - a private file has no URL
    anonymous = Client(raise_request_exception=False)
    for url in (f"/media/{name}", f"{settings.MEDIA_URL}{name}"):
        assert anonymous.get(url).status_code == 404, f"{label}: anonymous GET {url} is not refused"


@pytest.mark.parametrize(("label", "model", "field"), PRIVATE, ids=[row[0] for row in PRIVATE])
def test_a_private_file_is_served_only_after_its_records_check(world, db, label, model, field):
    entry = SERVED[label]
    if entry.no_view:
        assert not hasattr(model, "private_file_url"), f"{label}: SERVED says no view serves it"
        return
    record = _stored(world, label, field)
    url = record.private_file_url(field.name)  # the link the pages and the admin use
    data = _png()
    for who in entry.allowed:
        response = _client(world, who).get(url)
        assert response.status_code == 200, f"{label}: {who} may read the record but got {response.status_code}"
        assert _body(response) == data
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    for who in entry.refused:
        response = _client(world, who).get(url)
        refused = response.status_code == 404 or (
            who == "anonymous" and response.status_code == 302 and "/login/" in response["Location"]
        )
        assert refused, f"{label}: {who} may not read the record but got {response.status_code}"
    if entry.public is not None:
        entry.public(record)
        for who in ("anonymous", "resident_b", "hall_b"):
            response = _client(world, who).get(url)
            assert response.status_code == 200, f"{label}: the record is public now, {who} got {response.status_code}"


def test_a_staff_read_of_a_pending_nominations_household_photo_is_logged(world, db):
    from portal.core.models import SensitiveAccessLog
    from portal.site.models import Nomination

    field = Nomination._meta.get_field("photo")
    nomination = _stored(world, "site.Nomination.photo", field)
    if nomination.household_id is None:
        household = world.objects.resident_a.household
        Nomination.objects.filter(pk=nomination.pk).update(household=household)
    before = SensitiveAccessLog.objects.filter(field="site.nomination_photo").count()
    assert _client(world, "director_a").get(nomination.private_file_url("photo")).status_code == 200
    assert SensitiveAccessLog.objects.filter(field="site.nomination_photo").count() > before


# --- the admin shows a private file by its serving view, never by a media URL --------------------------------


def _admin_pages(model, record) -> list[str]:
    """The change pages that show `record`: its own admin's, and those of the admins with an inline of its model."""
    pages = []
    if model in admin.site._registry:
        pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]))
    for parent, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            if inline.model is model:
                (fk,) = [f for f in model._meta.fields if f.is_relation and f.related_model is parent]
                parent_pk = getattr(record, fk.attname)
                pages.append(
                    reverse(f"admin:{parent._meta.app_label}_{parent._meta.model_name}_change", args=[parent_pk])
                )
    return pages


@pytest.mark.parametrize(("label", "model", "field"), PRIVATE, ids=[row[0] for row in PRIVATE])
def test_the_admin_links_a_private_file_to_its_serving_view(world, db, label, model, field, django_user_model):
    record = _stored(world, label, field)
    name = getattr(record, field.name).name
    superuser = django_user_model.objects.create_superuser(phone="13900000999", name="超级管理员")
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    pages = _admin_pages(model, record)
    served = record.private_file_url(field.name) if hasattr(record, "private_file_url") else None
    shown = False
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, f"{label}: {page} answered {response.status_code}"
        html = response.content.decode()
        assert name not in html, f"{label}: {page} shows the stored path"
        shown = shown or (served is not None and served in html)
    if served is not None and pages:
        assert shown, f"{label}: no admin page links the file to {served}"


def test_the_badge_verifies_from_its_qr_without_exposing_the_image(world, db):
    """Anyone who scans a badge learns whether it is valid, and nothing that leads to its image or the photo on it."""
    badge = world.objects.badge
    anonymous = Client(raise_request_exception=False)
    page = anonymous.get(reverse("volunteers:badge_verify", args=[world.objects.badge_token]))
    assert page.status_code == 200 and page.context["valid"] is True
    html = page.content.decode()
    for leak in (badge.image.name, badge.code.hex, badge.private_file_url("image"), "/media/"):
        assert leak not in html, f"the verification page shows {leak}"
    assert anonymous.get(f"/media/{badge.image.name}").status_code == 404
    assert anonymous.get(badge.private_file_url("image")).status_code in (302, 404)
