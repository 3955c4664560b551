"""The health station's celery beat schedule, kept in the database by django-celery-beat (editable in admin).

Created by a migration (services 0008), which holds a frozen copy of these values: a change here needs a new
migration (services/tests/test_schedules.py checks that the two agree)."""

# name → (task, crontab fields in Asia/Shanghai; the fields not given are "*")
SCHEDULES = {
    "health files: anonymise past retention": (
        "services.health.tasks.health_retention_run",
        {"minute": "30", "hour": "3"},
    ),
}
