"""A held meeting keeps the quorum rule it was held under. Meetings already held get their council's rule of today,
the best the database knows."""

from django.db import migrations, models


def freeze(apps, schema_editor):
    Meeting = apps.get_model("councils", "Meeting")
    Council = apps.get_model("councils", "Council")
    for council_id, percent in Council.objects.values_list("pk", "quorum_percent"):
        Meeting.objects.filter(council_id=council_id, members_count__isnull=False).update(quorum_percent=percent)


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0004_tenancy_in_core'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='quorum_percent',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Frozen when attendance is recorded: a later change of the council's rule does not change it.", null=True, verbose_name='quorum rule at the time'),
        ),
        migrations.RunPython(freeze, migrations.RunPython.noop),
    ]
