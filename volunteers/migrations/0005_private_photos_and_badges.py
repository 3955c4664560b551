"""Volunteers' photos and badge images leave the public media folder: they are files of people, served only through
the badge view (the photo is only drawn onto the badge). Files already stored are moved under PRIVATE_MEDIA_ROOT
(and back on reverse); their names in the database stay the same."""

import portal.core.uploads
import volunteers.models.badges
import volunteers.models.volunteers
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

FIELDS = [("Badge", "image"), ("Volunteer", "photo")]


def _roots():
    public = Path(settings.MEDIA_ROOT)
    private = Path(getattr(settings, "PRIVATE_MEDIA_ROOT", None) or public.parent / "private-media")
    return public, private


def _move(apps, source: Path, target: Path) -> None:
    for model_name, field in FIELDS:
        model = apps.get_model("volunteers", model_name)
        for name in model.objects.exclude(**{field: ""}).values_list(field, flat=True).iterator():
            old, new = source / name, target / name
            if old.is_file() and not new.exists():
                new.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(old, new)


def to_private(apps, schema_editor):
    public, private = _roots()
    _move(apps, public, private)


def to_public(apps, schema_editor):
    public, private = _roots()
    _move(apps, private, public)


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0004_tenancy_in_core'),
    ]

    operations = [
        migrations.RunPython(to_private, to_public),
        migrations.AlterField(
            model_name='badge',
            name='image',
            field=models.FileField(blank=True, storage=portal.core.uploads.private_storage, upload_to=volunteers.models.badges.badge_path, verbose_name='image'),
        ),
        migrations.AlterField(
            model_name='volunteer',
            name='photo',
            field=models.ImageField(blank=True, storage=portal.core.uploads.private_storage, upload_to=volunteers.models.volunteers.photo_path, verbose_name='photo'),
        ),
    ]
