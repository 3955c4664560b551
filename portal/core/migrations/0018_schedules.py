"""The core's periodic tasks under the names of their new module (portal.tasks → portal.core.tasks), as declared in
portal/core/schedules.py; a frozen copy, as a migration must not change when the code does."""

from django.db import migrations

from portal.core.schedules import apply_schedules

SCHEDULES = {
    "portal: rebuild the search index": ("portal.core.tasks.rebuild_search_index", {"minute": "30", "hour": "3"}),
    "portal: send deliveries left pending": (
        "portal.core.tasks.retry_pending_deliveries",
        {"every": 1, "period": "minutes"},
    ),
}
BEFORE = {
    "portal: rebuild the search index": ("portal.tasks.rebuild_search_index", {"minute": "30", "hour": "3"}),
    "portal: send deliveries left pending": ("portal.tasks.retry_pending_deliveries", {"every": 1, "period": "minutes"}),
}


def forwards(apps, schema_editor):
    apply_schedules(apps, SCHEDULES)


def backwards(apps, schema_editor):
    apply_schedules(apps, BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0017_user_language"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
