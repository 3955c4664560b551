"""The stations' celery beat schedule: every periodic task comes from a migration (never from the seed), under the
name of the task's own module; the migration's frozen copy agrees with each station's SCHEDULES."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils.module_loading import import_string
from django_celery_beat.models import PeriodicTask

from services.events import schedules as events_schedules
from services.hall import schedules as hall_schedules
from services.health import schedules as health_schedules

SCHEDULES = import_module("services.migrations.0008_station_schedules")
RENAMES = import_module("services.migrations.0007_task_names_follow_modules")
FOLLOW_UPS = import_module("services.migrations.0012_mediation_follow_up_reminders")
ONE_SCAN = import_module("portal.site.migrations.0003_day_before_reminders")


def test_the_migration_holds_every_stations_schedule():
    """A change to a station's schedules.py needs a new migration: the frozen copy must agree."""
    stations = {**hall_schedules.SCHEDULES, **health_schedules.SCHEDULES, **events_schedules.SCHEDULES}
    frozen = {**SCHEDULES.SCHEDULES, **FOLLOW_UPS.SCHEDULES}
    for name in ONE_SCAN.REPLACED:  # moved into the site's one day-before reminder scan
        del frozen[name]
    assert frozen == stations


def test_the_follow_up_reminders_are_scheduled(db):
    FOLLOW_UPS.create_schedules(apps, None)
    FOLLOW_UPS.create_schedules(apps, None)  # idempotent
    task = PeriodicTask.objects.get(name="hall: mediation follow-up reminders")
    assert import_string(task.task).name == task.task and task.enabled


@pytest.mark.parametrize("name", list(SCHEDULES.SCHEDULES))
def test_each_scheduled_task_exists_under_its_modules_name(name):
    task, _fields = SCHEDULES.SCHEDULES[name]
    assert import_string(task).name == task


def test_the_beat_schedule_keeps_slots_reminders_and_escalation_running(db):
    # The data migration's own function (a flushed test database may have lost what it created).
    SCHEDULES.create_schedules(apps, None)
    SCHEDULES.create_schedules(apps, None)  # idempotent
    assert PeriodicTask.objects.filter(task="services.hall.tasks.generate_slots").count() == 1
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"services.hall.tasks.generate_slots", "services.hall.tasks.send_booking_reminders",
            "services.hall.tasks.escalate_overdue_cases"} <= tasks  # fmt: skip


def test_the_health_retention_run_and_the_thumbnail_sweep_are_scheduled_too(db):
    SCHEDULES.create_schedules(apps, None)
    retention = PeriodicTask.objects.select_related("crontab").get(name="health files: anonymise past retention")
    assert retention.task == "services.health.tasks.health_retention_run" and retention.enabled
    assert (retention.crontab.minute, retention.crontab.hour, str(retention.crontab.timezone)) == (
        "30",
        "3",
        "Asia/Shanghai",
    )
    sweep = PeriodicTask.objects.select_related("interval").get(name="stations: make thumbnails left waiting")
    assert sweep.task == "services.events.tasks.make_pending_thumbnails"
    assert (sweep.interval.every, sweep.interval.period, sweep.crontab) == (1, "minutes", None)


def test_a_task_switched_off_in_the_admin_stays_off(db):
    SCHEDULES.create_schedules(apps, None)
    PeriodicTask.objects.filter(name="hall: booking reminders").update(enabled=False, task="services.tasks.old")
    SCHEDULES.create_schedules(apps, None)
    reminders = PeriodicTask.objects.get(name="hall: booking reminders")
    assert reminders.task == "services.hall.tasks.send_booking_reminders" and not reminders.enabled


def test_stored_task_names_move_with_the_modules_and_back(db):
    PeriodicTask.objects.all().delete()
    every = import_module("django_celery_beat.models").IntervalSchedule.objects.create(every=5, period="minutes")
    for i, old in enumerate(RENAMES.RENAMED):
        PeriodicTask.objects.create(name=f"task {i}", task=old, interval=every)
    PeriodicTask.objects.create(name="another app's", task="portal.core.tasks.noop", interval=every)
    RENAMES.forwards(apps, None)
    assert set(PeriodicTask.objects.values_list("task", flat=True)) == {
        *RENAMES.RENAMED.values(),
        "portal.core.tasks.noop",
    }
    for new in RENAMES.RENAMED.values():
        assert import_string(new).name == new
    RENAMES.backwards(apps, None)
    assert set(PeriodicTask.objects.values_list("task", flat=True)) == {*RENAMES.RENAMED, "portal.core.tasks.noop"}
