"""The volunteers' periodic tasks (created by volunteers/migrations/0002_pending_work_schedule.py; see
portal.core.schedules)."""

SCHEDULES = {
    "volunteers: draw badges left waiting": (
        "volunteers.tasks.render_pending_badges",
        {"every": 1, "period": "minutes"},
    ),
}
