"""State only: the models now point at portal.Community (same table, residents_community); nothing
changes in the database. See portal/core/migrations/0016_tenancy_in_core.py."""

import django.db.models.deletion


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0004_tenancy_in_core'),
        ('portal', '0016_tenancy_in_core'),
        ('residents', '0003_resident_search_index'),
        ('services', '0006_tenancy_in_core'),
        ('volunteers', '0004_tenancy_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='community',
                    name='district',
                ),
                migrations.AlterField(
                    model_name='partygroup',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_groups', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='resident',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='residents', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='partymember',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_members', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='building',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='buildings', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='branch',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='branches', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='area',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='stationedunit',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stationed_units', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='household',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='households', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='generalbranch',
                    name='community',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='general_branch', to='portal.community', verbose_name='community'),
                ),
                migrations.DeleteModel(
                    name='District',
                ),
                migrations.DeleteModel(
                    name='Community',
                ),
            ],
        ),
    ]
