"""Celery beat re-enqueues notification deliveries left pending while the broker was away, every minute."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="portal: send deliveries left pending",
        defaults={"task": "portal.tasks.retry_pending_deliveries", "interval": every_minute},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="portal: send deliveries left pending"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0014_search_schedule")]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
