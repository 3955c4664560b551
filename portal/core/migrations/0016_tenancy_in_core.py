"""District and Community move from the register app into the core (tables kept: residents_district,
residents_community); the site's records leave for the site app (tables kept: portal_notice, ...). State only: no
table is created, altered or dropped, no row is copied. The content types follow the models, so every permission,
every role's grant and every audit row keeps pointing at the same records."""

import django.db.models.deletion


from django.db import migrations, models


MOVES = [
    # (old app label, new app label, model names)
    ("residents", "portal", ["district", "community"]),
    ("portal", "site", ["notice", "contactperson", "facility", "appraisal", "nomination", "vote", "rubric",
                        "criterion", "manualscore", "assessmentsnapshot"]),
]


def relabel(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLog = apps.get_model("portal", "AuditLog")
    for old, new, models in moves:
        ContentType.objects.filter(app_label=old, model__in=models).update(app_label=new)
        for model in models:
            AuditLog.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")


def relabel_content_types(apps, schema_editor):
    relabel(apps, MOVES)


def relabel_content_types_back(apps, schema_editor):
    relabel(apps, [(new, old, models) for old, new, models in MOVES])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('portal', '0015_delivery_sweep_schedule'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Community',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, verbose_name='name')),
                        ('slug', models.SlugField(unique=True, verbose_name='short name')),
                        ('area_km2', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='area (km²)')),
                        ('boundary_east', models.CharField(blank=True, max_length=50, verbose_name='east boundary')),
                        ('boundary_west', models.CharField(blank=True, max_length=50, verbose_name='west boundary')),
                        ('boundary_south', models.CharField(blank=True, max_length=50, verbose_name='south boundary')),
                        ('boundary_north', models.CharField(blank=True, max_length=50, verbose_name='north boundary')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='office address')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='office phone')),
                        ('introduction', models.TextField(blank=True, verbose_name='introduction')),
                    ],
                    options={
                        'verbose_name': 'community',
                        'verbose_name_plural': 'communities',
                        'db_table': 'residents_community',
                        'ordering': ['district_id', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='District',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, unique=True, verbose_name='name')),
                    ],
                    options={
                        'verbose_name': 'district',
                        'verbose_name_plural': 'districts',
                        'db_table': 'residents_district',
                    },
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='appraisal',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='appraisal',
                ),
                migrations.RemoveField(
                    model_name='assessmentsnapshot',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='assessmentsnapshot',
                    name='rubric',
                ),
                migrations.RemoveField(
                    model_name='assessmentsnapshot',
                    name='taken_by',
                ),
                migrations.RemoveField(
                    model_name='contactperson',
                    name='buildings',
                ),
                migrations.RemoveField(
                    model_name='contactperson',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='criterion',
                    name='rubric',
                ),
                migrations.RemoveField(
                    model_name='manualscore',
                    name='criterion',
                ),
                migrations.RemoveField(
                    model_name='facility',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='facility',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='manualscore',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='manualscore',
                    name='scored_by',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='building',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='household',
                ),
                migrations.RemoveField(
                    model_name='nomination',
                    name='nominated_by',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='nomination',
                ),
                migrations.RemoveField(
                    model_name='notice',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='notice',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='household',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='voter',
                ),
                migrations.AlterField(
                    model_name='auditlog',
                    name='community',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='searchentry',
                    name='community',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='community',
                    field=models.ForeignKey(blank=True, help_text='Staff work in this community; residents live in it. Empty for district administrators.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='portal.community', verbose_name='community'),
                ),
                migrations.AddField(
                    model_name='community',
                    name='district',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='communities', to='portal.district', verbose_name='district'),
                ),
                migrations.DeleteModel(
                    name='Appraisal',
                ),
                migrations.DeleteModel(
                    name='AssessmentSnapshot',
                ),
                migrations.DeleteModel(
                    name='ContactPerson',
                ),
                migrations.DeleteModel(
                    name='Rubric',
                ),
                migrations.DeleteModel(
                    name='Criterion',
                ),
                migrations.DeleteModel(
                    name='Facility',
                ),
                migrations.DeleteModel(
                    name='ManualScore',
                ),
                migrations.DeleteModel(
                    name='Nomination',
                ),
                migrations.DeleteModel(
                    name='Notice',
                ),
                migrations.DeleteModel(
                    name='Vote',
                ),
                migrations.AddConstraint(
                    model_name='community',
                    constraint=models.UniqueConstraint(fields=('district', 'name'), name='community_name_unique_in_district'),
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, relabel_content_types_back),
    ]
