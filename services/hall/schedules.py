"""The hall's celery beat schedule, kept in the database by django-celery-beat (editable in admin).

Created by a migration (services 0008), which holds a frozen copy of these values: a change here needs a new
migration (services/tests/test_schedules.py checks that the two agree). Appointments' day-before reminders go out
with every other seat's, by the site's one scan (portal/site/schedules.py, portal.core.reminders)."""

# name → (task, crontab fields in Asia/Shanghai; the fields not given are "*")
SCHEDULES = {
    "hall: generate slots": ("services.hall.tasks.generate_slots", {"minute": "10", "hour": "0"}),
    "hall: escalate overdue cases": ("services.hall.tasks.escalate_overdue_cases", {"minute": "30", "hour": "8"}),
    "hall: mediation follow-up reminders": (
        "services.hall.tasks.remind_mediation_follow_ups",
        {"minute": "0", "hour": "9"},
    ),
}
