"""The hall's celery beat schedule (django-celery-beat: editable in the admin afterwards).

Frozen: the task names as they were then (0007 renames them to the modules they live in now)."""

import json

from django.db import migrations

SCHEDULES = {
    "hall: generate slots": ("services.tasks.generate_slots", {"minute": "10", "hour": "0"}),
    "hall: booking reminders": ("services.tasks.send_booking_reminders", {"minute": "0", "hour": "9-20"}),
    "hall: escalate overdue cases": ("services.tasks.escalate_overdue_cases", {"minute": "30", "hour": "8"}),
}


def create_schedules(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, fields) in SCHEDULES.items():
        crontab, _ = crontab_model.objects.get_or_create(
            minute=fields["minute"],
            hour=fields["hour"],
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        task_model.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "kwargs": json.dumps({}), "enabled": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_hall"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
