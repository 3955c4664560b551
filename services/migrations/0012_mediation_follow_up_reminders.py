"""A mediation's follow-up visit (回访) reminds the assigned staff when it is due: the date the reminder went out
(once per due date), and the hall's daily reminder run (a frozen copy of its entry in services/hall/schedules.py;
services/tests/test_schedules.py checks that they agree)."""

import json

from django.db import migrations, models

SCHEDULES = {
    "hall: mediation follow-up reminders": (
        "services.hall.tasks.remind_mediation_follow_ups",
        {"minute": "0", "hour": "9"},
    ),
}


def create_schedules(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, fields) in SCHEDULES.items():
        crontab, _ = crontab_model.objects.get_or_create(
            minute=fields["minute"], hour=fields["hour"], day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )  # fmt: skip
        task_model.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab},
            create_defaults={"task": task, "crontab": crontab, "kwargs": json.dumps({}), "enabled": True},
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0011_booking_keeps_code_when_moved"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediation",
            name="follow_up_reminded_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="follow-up reminder sent"),
        ),
        migrations.RunPython(create_schedules, remove_schedules),
    ]
