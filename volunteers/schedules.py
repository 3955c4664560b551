"""The volunteers' periodic tasks (created by volunteers/migrations/0002_pending_work_schedule.py; see
portal.core.schedules)."""

SCHEDULES = {
    "volunteers: draw badges left waiting": (
        "volunteers.tasks.render_pending_badges",
        {"every": 1, "period": "minutes"},
    ),
    # 31 December, evening: each stationed unit's yearly summary of its reporting members, for the office to send.
    "volunteers: prepare the units' yearly summaries": (
        "volunteers.tasks.prepare_unit_summaries",
        {"minute": "0", "hour": "18", "day_of_month": "31", "month_of_year": "12"},
    ),
}
