"""The daily purge of spent SMS codes (portal/core/schedules.py); a frozen copy of its entry."""

from django.db import migrations

from portal.core.schedules import apply_schedules

SCHEDULES = {
    "portal: purge spent SMS codes": ("portal.core.tasks.purge_phone_codes", {"minute": "10", "hour": "4"}),
}


def forwards(apps, schema_editor):
    apply_schedules(apps, SCHEDULES)


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0024_sms_codes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
