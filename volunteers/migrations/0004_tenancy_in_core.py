"""State only: the models now point at portal.Community (same table, residents_community); nothing
changes in the database. See portal/core/migrations/0016_tenancy_in_core.py."""

import django.db.models.deletion


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0016_tenancy_in_core'),
        ('volunteers', '0003_volunteer_list_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='activity',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='volunteer_activities', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='dutypost',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='duty_posts', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='partytask',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_tasks', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='personserved',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='people_served', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='team',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='volunteer_teams', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='volunteer',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='volunteers', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
    ]
