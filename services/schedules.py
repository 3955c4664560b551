"""The hall's celery beat schedule, kept in the database by django-celery-beat (editable in admin)."""

from __future__ import annotations

import json

# name → (task, crontab fields in Asia/Shanghai)
SCHEDULES = {
    "hall: generate slots": ("services.tasks.generate_slots", {"minute": "10", "hour": "0"}),
    "hall: booking reminders": ("services.tasks.send_booking_reminders", {"minute": "0", "hour": "9-20"}),
    "hall: escalate overdue cases": ("services.tasks.escalate_overdue_cases", {"minute": "30", "hour": "8"}),
}


def setup_schedules(apps=None) -> None:
    """Create (or update) the django-celery-beat periodic tasks of the hall; editable afterwards in admin."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
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
