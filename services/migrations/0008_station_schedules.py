"""Every periodic task of the stations, created (or brought up to date) here and never by the seed: the hall's,
the health station's nightly retention run (until now made by the demo seed only, so never in production), and the
events' minutely thumbnail sweep.

Frozen copies of SCHEDULES in services/{hall,health,events}/schedules.py (a migration does not import code that can
change; services/tests/test_schedules.py checks that they agree). A task switched off in the admin stays off."""

import json

from django.db import migrations
from django.utils import timezone

# name → (task, crontab fields in Asia/Shanghai, the others "*"; or interval fields)
SCHEDULES = {
    "hall: generate slots": ("services.hall.tasks.generate_slots", {"minute": "10", "hour": "0"}),
    "hall: booking reminders": ("services.hall.tasks.send_booking_reminders", {"minute": "0", "hour": "9-20"}),
    "hall: escalate overdue cases": ("services.hall.tasks.escalate_overdue_cases", {"minute": "30", "hour": "8"}),
    "health files: anonymise past retention": (
        "services.health.tasks.health_retention_run",
        {"minute": "30", "hour": "3"},
    ),
    "stations: make thumbnails left waiting": (
        "services.events.tasks.make_pending_thumbnails",
        {"every": 1, "period": "minutes"},
    ),
}
# Created here for the first time (the others come from 0002 and 0004): removed again on reverse.
NEW = ["health files: anonymise past retention"]
CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


def create_schedules(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, fields) in SCHEDULES.items():
        schedule = {"crontab": None, "interval": None, "solar": None, "clocked": None}
        if "every" in fields:
            schedule["interval"], _ = interval_model.objects.get_or_create(**fields)
        else:
            schedule["crontab"], _ = crontab_model.objects.get_or_create(
                **{field: fields.get(field, "*") for field in CRONTAB_FIELDS}, timezone="Asia/Shanghai"
            )
        task_model.objects.update_or_create(
            name=name,
            defaults={"task": task, **schedule},
            create_defaults={"task": task, **schedule, "kwargs": json.dumps({}), "enabled": True},
        )
    # A running beat re-reads its schedule when this row moves.
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def remove_new_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=NEW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0007_task_names_follow_modules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_new_schedules)]
