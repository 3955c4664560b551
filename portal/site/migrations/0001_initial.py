"""The site's records, moved from the core app with their tables (portal_notice, ...): state only. See
portal/core/migrations/0016_tenancy_in_core.py."""

import django.db.models.deletion
import django.utils.timezone
import portal.core.uploads
import portal.site.models.civility
import portal.site.models.notices
from django.conf import settings


from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0016_tenancy_in_core'),
        ('residents', '0004_tenancy_in_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Criterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='criterion')),
                        ('points', models.PositiveSmallIntegerField(verbose_name='points')),
                        ('kind', models.CharField(choices=[('computed', "computed from the portal's data"), ('manual', 'scored by hand')], default='manual', max_length=10, verbose_name='kind')),
                        ('metric', models.CharField(blank=True, help_text='For computed criteria.', max_length=50, verbose_name='metric')),
                        ('target', models.FloatField(blank=True, help_text='The value that earns full points.', null=True, verbose_name='target')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                    ],
                    options={
                        'verbose_name': 'criterion',
                        'verbose_name_plural': 'criteria',
                        'db_table': 'portal_criterion',
                        'ordering': ['rubric', 'order', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Appraisal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('family', 'civilised family (文明家庭)'), ('courtyard', 'civilised courtyard (文明楼院)')], max_length=10, verbose_name='kind')),
                        ('title', models.CharField(max_length=100, verbose_name='title')),
                        ('criteria', models.TextField(verbose_name='criteria')),
                        ('nominate_until', models.DateTimeField(verbose_name='nominations close')),
                        ('vote_until', models.DateTimeField(verbose_name='voting closes')),
                        ('winners', models.PositiveSmallIntegerField(default=5, verbose_name='number of winners')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('open', 'open'), ('published', 'results published')], default='draft', max_length=10, verbose_name='status')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appraisals', to='portal.community', verbose_name='community')),
                    ],
                    options={
                        'verbose_name': 'civility appraisal',
                        'verbose_name_plural': 'civility appraisals',
                        'db_table': 'portal_appraisal',
                        'ordering': ['-vote_until'],
                    },
                ),
                migrations.CreateModel(
                    name='ContactPerson',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('worker', 'community worker in charge'), ('group_leader', 'courtyard party-group leader'), ('police', 'community police officer'), ('deputy', "people's congress deputy")], max_length=12, verbose_name='role on the board')),
                        ('name', models.CharField(max_length=50, verbose_name='full name')),
                        ('phone', models.CharField(max_length=30, verbose_name='public phone')),
                        ('photo', models.ImageField(blank=True, upload_to=portal.site.models.notices.contact_photo_path, validators=[portal.core.uploads.validate_image], verbose_name='photo')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('buildings', models.ManyToManyField(blank=True, related_name='contacts', to='residents.building', verbose_name='buildings / courtyards')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='portal.community', verbose_name='community')),
                    ],
                    options={
                        'verbose_name': 'contact-board person',
                        'verbose_name_plural': 'contact-board people',
                        'db_table': 'portal_contactperson',
                        'ordering': ['order', 'kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Facility',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('kindergarten', 'kindergarten'), ('school', 'school'), ('supermarket', 'supermarket / market'), ('clinic', 'clinic'), ('hospital', 'hospital'), ('pharmacy', 'pharmacy'), ('bank', 'bank'), ('unit_room', 'room opened by a stationed unit')], max_length=14, verbose_name='kind')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                        ('walk_minutes', models.PositiveSmallIntegerField(default=10, verbose_name='minutes on foot')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('opening_hours', models.CharField(blank=True, max_length=100, verbose_name='opening hours')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='facilities', to='portal.community', verbose_name='community')),
                        ('unit', models.ForeignKey(blank=True, help_text='For rooms a stationed unit opens to residents (图书室, 阅览室, 活动场地).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='shared_rooms', to='residents.stationedunit', verbose_name='stationed unit')),
                    ],
                    options={
                        'verbose_name': 'nearby facility',
                        'verbose_name_plural': 'nearby facilities',
                        'db_table': 'portal_facility',
                        'ordering': ['kind', 'walk_minutes', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ManualScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('points', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='points')),
                        ('reason', models.CharField(max_length=300, verbose_name='reason')),
                        ('scored_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.community')),
                        ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='manual_scores', to='site.criterion')),
                        ('scored_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'manual score',
                        'verbose_name_plural': 'manual scores',
                        'db_table': 'portal_manualscore',
                    },
                ),
                migrations.CreateModel(
                    name='Nomination',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(help_text='As shown on the ballot, e.g. 3号楼 张家.', max_length=100, verbose_name='nominee')),
                        ('reasons', models.TextField(verbose_name='reasons')),
                        ('photo', models.ImageField(blank=True, upload_to=portal.site.models.civility.nomination_photo_path, validators=[portal.core.uploads.validate_image], verbose_name='photo')),
                        ('status', models.CharField(choices=[('pending', 'awaiting review'), ('accepted', 'on the ballot'), ('rejected', 'not accepted')], default='pending', max_length=10, verbose_name='status')),
                        ('story', models.TextField(blank=True, verbose_name="winner's story")),
                        ('is_winner', models.BooleanField(default=False, verbose_name='winner')),
                        ('votes', models.PositiveIntegerField(default=0, editable=False, verbose_name='votes')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('appraisal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nominations', to='site.appraisal', verbose_name='appraisal')),
                        ('building', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='nominations', to='residents.building', verbose_name='building / courtyard')),
                        ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='nominations', to='residents.household', verbose_name='household')),
                        ('nominated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='nominated by')),
                    ],
                    options={
                        'verbose_name': 'nomination',
                        'verbose_name_plural': 'nominations',
                        'db_table': 'portal_nomination',
                        'ordering': ['-votes', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Notice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('general', 'general'), ('safety', 'safety'), ('environment', 'environment'), ('civility', 'civility'), ('services', 'services'), ('health', 'health'), ('culture', 'culture'), ('councils', 'councils')], default='general', max_length=12, verbose_name='category')),
                        ('title', models.CharField(max_length=120, verbose_name='title')),
                        ('body', models.TextField(verbose_name='text')),
                        ('attachment', models.FileField(blank=True, help_text='PDF or image, at most 5 MB.', upload_to=portal.site.models.notices.notice_attachment_path, validators=[portal.core.uploads.validate_document], verbose_name='attachment')),
                        ('pinned', models.BooleanField(default=False, verbose_name='pinned')),
                        ('publish_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='publish at')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expires at')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('community', models.ForeignKey(blank=True, help_text='Empty: a notice for the whole district.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='portal.community', verbose_name='community')),
                    ],
                    options={
                        'verbose_name': 'notice',
                        'verbose_name_plural': 'notices',
                        'db_table': 'portal_notice',
                        'ordering': ['-pinned', '-publish_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Rubric',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='year')),
                        ('title', models.CharField(max_length=100, verbose_name='title')),
                        ('star1', models.PositiveSmallIntegerField(default=600, verbose_name='points for one star')),
                        ('star2', models.PositiveSmallIntegerField(default=700, verbose_name='points for two stars')),
                        ('star3', models.PositiveSmallIntegerField(default=800, verbose_name='points for three stars')),
                        ('star4', models.PositiveSmallIntegerField(default=880, verbose_name='points for four stars')),
                        ('star5', models.PositiveSmallIntegerField(default=950, verbose_name='points for five stars')),
                    ],
                    options={
                        'verbose_name': 'assessment rubric',
                        'verbose_name_plural': 'assessment rubrics',
                        'db_table': 'portal_rubric',
                        'ordering': ['-year'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('star1__lte', models.F('star2')), ('star2__lte', models.F('star3')), ('star3__lte', models.F('star4')), ('star4__lte', models.F('star5')), ('star5__lte', 1000)), name='rubric_star_thresholds_ascend', violation_error_message='Star thresholds must rise from one to five stars and stay within 1,000.')],
                    },
                ),
                migrations.AddField(
                    model_name='criterion',
                    name='rubric',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='site.rubric', verbose_name='rubric'),
                ),
                migrations.CreateModel(
                    name='AssessmentSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('total', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='total points')),
                        ('stars', models.PositiveSmallIntegerField(verbose_name='stars')),
                        ('detail', models.JSONField(verbose_name='scores by criterion')),
                        ('taken_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='portal.community')),
                        ('taken_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rubric', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='site.rubric')),
                    ],
                    options={
                        'verbose_name': 'assessment snapshot',
                        'verbose_name_plural': 'assessment snapshots',
                        'db_table': 'portal_assessmentsnapshot',
                        'ordering': ['-total'],
                    },
                ),
                migrations.CreateModel(
                    name='Vote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('appraisal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='site.appraisal')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='residents.household')),
                        ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='site.nomination')),
                        ('voter', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'vote',
                        'verbose_name_plural': 'votes',
                        'db_table': 'portal_vote',
                    },
                ),
                migrations.AddConstraint(
                    model_name='appraisal',
                    constraint=models.CheckConstraint(condition=models.Q(('vote_until__gte', models.F('nominate_until'))), name='appraisal_vote_after_nomination', violation_error_message='Voting must close after nominations close.'),
                ),
                migrations.AddConstraint(
                    model_name='manualscore',
                    constraint=models.UniqueConstraint(fields=('criterion', 'community'), name='one_manual_score'),
                ),
                migrations.AddConstraint(
                    model_name='nomination',
                    constraint=models.CheckConstraint(condition=models.Q(('household__isnull', False), ('building__isnull', False), _connector='OR'), name='nomination_has_a_nominee'),
                ),
                migrations.AddIndex(
                    model_name='notice',
                    index=models.Index(fields=['community', '-publish_at'], name='portal_noti_communi_701d7a_idx'),
                ),
                migrations.AddConstraint(
                    model_name='notice',
                    constraint=models.CheckConstraint(condition=models.Q(('expires_at__isnull', True), ('expires_at__gt', models.F('publish_at')), _connector='OR'), name='notice_expires_after_publish', violation_error_message='The expiry must be after the publish time.'),
                ),
                migrations.AddConstraint(
                    model_name='criterion',
                    constraint=models.CheckConstraint(condition=models.Q(('kind', 'manual'), models.Q(models.Q(('metric', ''), _negated=True), ('target__gt', 0)), _connector='OR'), name='computed_criterion_has_metric_and_target', violation_error_message='A computed criterion needs a metric and a positive target.'),
                ),
                migrations.AddConstraint(
                    model_name='assessmentsnapshot',
                    constraint=models.UniqueConstraint(fields=('rubric', 'community'), name='one_snapshot_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='vote',
                    constraint=models.UniqueConstraint(fields=('appraisal', 'household'), name='one_vote_per_household'),
                ),
            ],
        ),
    ]
