"""Every periodic task the code declares exists after `migrate` on an empty database, names a task Celery knows,
and runs when declared. The seed creates none: production never runs it.

The empty database is made here, on the suite's own server, and migrated by `manage.py migrate` in a process of
its own: the suite's test database cannot serve, as any transactional test empties its tables on the way out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from portal.celery import app as celery_app
from portal.core.plugins import app_modules
from portal.core.schedules import all_schedules

ROOT = Path(__file__).resolve().parents[2]
DUMP = """
import json
from django_celery_beat.models import PeriodicTask
rows = {}
for p in PeriodicTask.objects.select_related("crontab", "interval"):
    c, i = p.crontab, p.interval
    rows[p.name] = {
        "task": p.task, "enabled": p.enabled,
        "crontab": c and {"minute": c.minute, "hour": c.hour, "day_of_week": c.day_of_week,
                          "day_of_month": c.day_of_month, "month_of_year": c.month_of_year, "timezone": str(c.timezone)},
        "interval": i and {"every": i.every, "period": i.period},
    }
print(json.dumps(rows))
"""


@pytest.fixture(scope="module")
def migrated_tasks(tmp_path_factory) -> dict[str, dict]:
    """{name: periodic task} of a database created empty and migrated from scratch."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PORTAL_ENV"] = "test"
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    name = f"schedules_{uuid.uuid4().hex[:10]}"
    if db["ENGINE"].endswith("postgresql"):
        admin = psycopg2.connect(
            dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"]
        )
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        env["DATABASE_URL"] = f"postgres://{auth}{db['HOST']}:{db['PORT'] or 5432}/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('schedules') / 'empty.sqlite3'}"
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True)
        out = subprocess.run([*manage, "shell", "-c", DUMP], env=env, cwd=ROOT, check=True, capture_output=True)
        return json.loads(out.stdout.decode().strip().splitlines()[-1])
    finally:
        if db["ENGINE"].endswith("postgresql"):
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def registered_tasks() -> set[str]:
    celery_app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    return set(celery_app.tasks)


def test_every_app_with_periodic_work_declares_its_schedules():
    declaring = {app.label for app, module in app_modules("schedules") if module.SCHEDULES}
    assert declaring >= {"portal", "services", "councils", "volunteers"}


def test_each_declared_schedule_exists_after_migrate(migrated_tasks):
    known = registered_tasks()
    for name, (task, fields) in all_schedules().items():
        periodic = migrated_tasks.get(name)
        assert periodic is not None, f"no migration creates {name!r}"
        assert periodic["task"] == task and periodic["enabled"], name
        assert task in known, f"{task} is not a Celery task"
        if "every" in fields:
            assert periodic["interval"] == {"every": fields["every"], "period": fields["period"]}, name
        else:
            assert periodic["crontab"]["timezone"] == "Asia/Shanghai", name
            assert {k: periodic["crontab"][k] for k in fields} == fields, name


def test_every_migrated_task_is_declared_and_exists(migrated_tasks):
    """Nothing left over from an older layout: a periodic task naming a moved task fails silently at run time."""
    known = registered_tasks()
    assert {name: p["task"] for name, p in migrated_tasks.items() if p["task"] not in known} == {}
    assert set(migrated_tasks) == set(all_schedules())
