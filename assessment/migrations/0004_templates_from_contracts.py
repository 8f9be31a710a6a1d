"""The assessment templates move here from the contracts app, their rows untouched.

The models are taken over in the state alone, on the tables they had (contracts 0009 lets
go of them then), and the tables are renamed to this app's names; the scores' links to them
stay the same rows. The history of each template moves with it.
"""
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0003_reopened_reason'),
        ('contracts', '0008_assessment_template_owners'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Indicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('code', models.CharField(max_length=30, verbose_name='code')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('kind', models.CharField(choices=[('manual', 'Manual score'), ('deduction', 'Deduction per incident'), ('shortfall', 'Deduction per unit short of the target'), ('ratio', 'Share of the target reached'), ('share', 'Share of qualifying events'), ('bonus', 'Bonus')], max_length=10, verbose_name='kind')),
                        ('max', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='maximum')),
                        ('per_unit', models.DecimalField(blank=True, decimal_places=4, max_digits=8, null=True, verbose_name='points per unit')),
                        ('target', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='target')),
                        ('rule', models.CharField(blank=True, max_length=300, verbose_name='scoring rule')),
                    ],
                    options={
                        'db_table': 'contracts_indicator',
                        'verbose_name': 'indicator',
                        'verbose_name_plural': 'indicators',
                        'ordering': ['category', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='AssessmentTemplate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='total')),
                        ('period_months', models.PositiveSmallIntegerField(default=1, help_text="The period the indicators' targets are set for (1: a month, 12: a year).", verbose_name='period in months')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('buyer', models.ForeignKey(blank=True, help_text='Empty: a shared starter, read-only but for the administrator.', limit_choices_to={'kind': 'buyer'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessment_templates', to='core.organization', verbose_name='buyer')),
                        ('copied_from', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='assessment.assessmenttemplate', verbose_name='copied from')),
                    ],
                    options={
                        'db_table': 'contracts_assessmenttemplate',
                        'verbose_name': 'assessment template',
                        'verbose_name_plural': 'assessment templates',
                        'ordering': ['name', '-version'],
                    },
                ),
                migrations.AlterField(
                    model_name='assessment',
                    name='template',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='assessment.assessmenttemplate', verbose_name='template'),
                ),
                migrations.AlterField(
                    model_name='historicalassessment',
                    name='template',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.assessmenttemplate', verbose_name='template'),
                ),
                migrations.CreateModel(
                    name='HistoricalAssessmentTemplate',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='total')),
                        ('period_months', models.PositiveSmallIntegerField(default=1, help_text="The period the indicators' targets are set for (1: a month, 12: a year).", verbose_name='period in months')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('buyer', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty: a shared starter, read-only but for the administrator.', limit_choices_to={'kind': 'buyer'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.organization', verbose_name='buyer')),
                        ('copied_from', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.assessmenttemplate', verbose_name='copied from')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'contracts_historicalassessmenttemplate',
                        'verbose_name': 'historical assessment template',
                        'verbose_name_plural': 'historical assessment templates',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='assessmententry',
                    name='indicator',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessment.indicator', verbose_name='indicator'),
                ),
                migrations.AlterField(
                    model_name='historicalassessmententry',
                    name='indicator',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.indicator', verbose_name='indicator'),
                ),
                migrations.AlterField(
                    model_name='historicalincident',
                    name='indicator',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.indicator', verbose_name='indicator'),
                ),
                migrations.AlterField(
                    model_name='incident',
                    name='indicator',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessment.indicator', verbose_name='indicator'),
                ),
                migrations.CreateModel(
                    name='TemplateCategory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('max', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='maximum')),
                        ('is_bonus', models.BooleanField(default=False, help_text='Bonus points are added on top and do not count towards the total.', verbose_name='bonus category')),
                        ('template', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='categories', to='assessment.assessmenttemplate', verbose_name='template')),
                    ],
                    options={
                        'db_table': 'contracts_templatecategory',
                        'verbose_name': 'category',
                        'verbose_name_plural': 'categories',
                        'ordering': ['template', 'position', 'id'],
                    },
                ),
                migrations.AddField(
                    model_name='indicator',
                    name='category',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='assessment.templatecategory', verbose_name='category'),
                ),
                migrations.AddConstraint(
                    model_name='assessmenttemplate',
                    constraint=models.UniqueConstraint(fields=('buyer', 'name', 'version'), name='template_version_once_per_buyer'),
                ),
                migrations.AddConstraint(
                    model_name='assessmenttemplate',
                    constraint=models.UniqueConstraint(condition=models.Q(('buyer__isnull', True)), fields=('name', 'version'), name='starter_version_once'),
                ),
            ],
        ),
        migrations.AlterModelTable(name='indicator', table=None),
        migrations.AlterModelTable(name='assessmenttemplate', table=None),
        migrations.AlterModelTable(name='historicalassessmenttemplate', table=None),
        migrations.AlterModelTable(name='templatecategory', table=None),
    ]
