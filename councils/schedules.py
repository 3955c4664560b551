"""The councils' periodic tasks (created by councils/migrations/0002_beat_schedule.py; see portal.core.schedules)."""

SCHEDULES = {
    "councils: plan regular meetings": ("councils.tasks.plan_regular_meetings", {"minute": "10", "hour": "6"}),
    "councils: send due meeting notices": ("councils.tasks.send_due_notices", {"minute": "5", "hour": "*"}),
    "councils: remind overdue resolutions": (
        "councils.tasks.remind_overdue_resolutions",
        {"minute": "30", "hour": "8"},
    ),
    "councils: remind triage of suggestions": ("councils.tasks.remind_triage", {"minute": "0", "hour": "9"}),
}
