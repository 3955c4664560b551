"""The site's celery beat schedule (portal.core.schedules), created by migration site 0003 from a frozen copy."""

SCHEDULES = {
    # Hourly through the day: a booking made this morning for tomorrow is reminded this afternoon.
    "portal: day-before reminders": (
        "portal.site.tasks.send_day_before_reminders",
        {"minute": "0", "hour": "9-20"},
    ),
}
