from django.db import migrations


def create_schedules(apps, schema_editor):
    from services.schedules import setup_schedules

    setup_schedules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_hall"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
