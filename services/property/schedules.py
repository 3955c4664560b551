"""Property management's celery beat schedule, created by its migration (services 0018, a frozen copy: a change
here needs a new migration)."""

# name → (task, crontab fields in Asia/Shanghai; the fields not given are "*")
SCHEDULES = {
    "property: flag repairs past their promise": (
        "services.property.tasks.flag_overdue_repairs",
        {"minute": "*/15"},
    ),
}
