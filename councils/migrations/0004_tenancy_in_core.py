"""State only: the models now point at portal.Community (same table, residents_community); nothing
changes in the database. See portal/core/migrations/0016_tenancy_in_core.py."""

import django.db.models.deletion


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0003_quorum_label'),
        ('portal', '0016_tenancy_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='council',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='councils', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='historicalresolution',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='resolution',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resolutions', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestions', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
    ]
