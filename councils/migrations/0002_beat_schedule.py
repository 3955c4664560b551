"""Celery beat schedule of the councils (django-celery-beat: editable in the admin afterwards)."""

from django.db import migrations

TASKS = [
    # (name, task, minute, hour)
    ("councils: plan regular meetings", "councils.tasks.plan_regular_meetings", "10", "6"),
    ("councils: send due meeting notices", "councils.tasks.send_due_notices", "5", "*"),
    ("councils: remind overdue resolutions", "councils.tasks.remind_overdue_resolutions", "30", "8"),
    ("councils: remind triage of suggestions", "councils.tasks.remind_triage", "0", "9"),
]


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        crontab, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
