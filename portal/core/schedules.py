"""Periodic tasks (django-celery-beat), declared by every app in its `schedules.py` as

    SCHEDULES = {"<app>: <what it does>": ("<dotted task name>", {crontab fields in Asia/Shanghai} or
                                                                 {"every": n, "period": "minutes"})}

and created by a migration of that app with `apply_schedules` over a frozen copy of the dict: never by the seed,
which does not run in production. portal/tests/test_schedules.py migrates an empty database and checks that every
declared schedule exists, names a registered task and runs when declared. Staff may edit them in the admin later.
"""

from __future__ import annotations

import json

from portal.core.plugins import app_modules

SCHEDULES = {
    "portal: rebuild the search index": ("portal.core.tasks.rebuild_search_index", {"minute": "30", "hour": "3"}),
    "portal: send deliveries left pending": (
        "portal.core.tasks.retry_pending_deliveries",
        {"every": 1, "period": "minutes"},
    ),
    "portal: purge spent SMS codes": ("portal.core.tasks.purge_phone_codes", {"minute": "10", "hour": "4"}),
    "portal: purge old idempotency keys": ("portal.core.tasks.purge_idempotency_keys", {"minute": "20", "hour": "4"}),
}

CRONTAB_DEFAULTS = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}


def apply_schedules(apps, schedules: dict) -> None:
    """Create or update each periodic task of `schedules` (for a migration's RunPython: `apps` is its registry)."""
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, fields) in schedules.items():
        if "every" in fields:
            interval, _ = interval_model.objects.get_or_create(every=fields["every"], period=fields["period"])
            when = {"interval": interval, "crontab": None}
        else:
            crontab, _ = crontab_model.objects.get_or_create(**{**CRONTAB_DEFAULTS, **fields}, timezone="Asia/Shanghai")
            when = {"crontab": crontab, "interval": None}
        task_model.objects.update_or_create(
            name=name, defaults={"task": task, "kwargs": json.dumps({}), "enabled": True, **when}
        )


def all_schedules() -> dict[str, tuple[str, dict]]:
    """Every app's declared periodic tasks."""
    found: dict[str, tuple[str, dict]] = {}
    for _app, module in app_modules("schedules"):
        found.update(getattr(module, "SCHEDULES", {}))
    return found
