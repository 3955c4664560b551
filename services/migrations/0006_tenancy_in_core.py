"""State only: the models now point at portal.Community (same table, residents_community); nothing
changes in the database. See portal/core/migrations/0016_tenancy_in_core.py."""

import django.db.models.deletion


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0016_tenancy_in_core'),
        ('services', '0005_booking_newest_first'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='booking',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookings', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cases', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='checkupcampaign',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='closedday',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='closed_days', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='counter',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counters', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='cultureclass',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='followupplan',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='healthconsent',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='healthfile',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='room',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='serviceitem',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_items', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='slot',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='stationevent',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='team',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
    ]
