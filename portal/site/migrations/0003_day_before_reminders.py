"""One day-before reminder scan for every seat (portal.core.reminders) replaces the hall's own: a frozen copy of
portal/site/schedules.py, and the hall's "booking reminders" task removed (the scan sends those too)."""

from django.db import migrations

from portal.core.schedules import apply_schedules

SCHEDULES = {
    "portal: day-before reminders": (
        "portal.site.tasks.send_day_before_reminders",
        {"minute": "0", "hour": "9-20"},
    ),
}
REPLACED = {
    "hall: booking reminders": ("services.hall.tasks.send_booking_reminders", {"minute": "0", "hour": "9-20"}),
}


def forwards(apps, schema_editor):
    apply_schedules(apps, SCHEDULES)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=list(REPLACED)).delete()


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=list(SCHEDULES)).delete()
    apply_schedules(apps, REPLACED)


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0002_private_files_public_contact_photos"),
        ("services", "0013_health_permission_to_core"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
