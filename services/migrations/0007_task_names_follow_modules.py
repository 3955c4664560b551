"""The services tasks moved into one module per station, and a Celery task is named after its module: the periodic
tasks stored by django-celery-beat (and any added in the admin) are renamed with them, and back on reverse."""

from django.db import migrations
from django.utils import timezone

RENAMED = {
    "services.tasks.generate_slots": "services.hall.tasks.generate_slots",
    "services.tasks.send_booking_reminders": "services.hall.tasks.send_booking_reminders",
    "services.tasks.escalate_overdue_cases": "services.hall.tasks.escalate_overdue_cases",
    "services.tasks_stations.health_retention_run": "services.health.tasks.health_retention_run",
    "services.tasks_stations.event_photo_thumbnail": "services.events.tasks.event_photo_thumbnail",
    "services.tasks_stations.make_pending_thumbnails": "services.events.tasks.make_pending_thumbnails",
}


def _rename(apps, names):
    periodic_tasks = apps.get_model("django_celery_beat", "PeriodicTask")
    changed = sum(periodic_tasks.objects.filter(task=old).update(task=new) for old, new in names.items())
    if changed:
        # A running beat re-reads its schedule when this row moves (update() sends no signal that would say so).
        apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0006_tenancy_in_core"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
