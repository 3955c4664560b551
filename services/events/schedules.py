"""The stations' events' celery beat schedule, kept in the database by django-celery-beat (editable in admin).

Created by a migration (services 0008), which holds a frozen copy of these values: a change here needs a new
migration (services/tests/test_schedules.py checks that the two agree)."""

# name → (task, interval fields)
SCHEDULES = {
    "stations: make thumbnails left waiting": (
        "services.events.tasks.make_pending_thumbnails",
        {"every": 1, "period": "minutes"},
    ),
}
