"""The assessment templates are the assessment app's now (assessment 0004 took them over
with their tables and rows): this app lets go of them in its state only, and a contract's
template is one of that app's."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0004_templates_from_contracts'),
        ('contracts', '0008_assessment_template_owners'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalframeworkcontract',
                    name='assessment_template',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'status': 'published'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.assessmenttemplate', verbose_name='assessment template'),
                ),
                migrations.RemoveField(
                    model_name='historicalassessmenttemplate',
                    name='copied_from',
                ),
                migrations.AlterField(
                    model_name='frameworkcontract',
                    name='assessment_template',
                    field=models.ForeignKey(blank=True, limit_choices_to={'status': 'published'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contracts', to='assessment.assessmenttemplate', verbose_name='assessment template'),
                ),
                migrations.RemoveField(
                    model_name='templatecategory',
                    name='template',
                ),
                migrations.RemoveField(
                    model_name='historicalassessmenttemplate',
                    name='buyer',
                ),
                migrations.RemoveField(
                    model_name='historicalassessmenttemplate',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='indicator',
                    name='category',
                ),
                migrations.DeleteModel(
                    name='AssessmentTemplate',
                ),
                migrations.DeleteModel(
                    name='HistoricalAssessmentTemplate',
                ),
                migrations.DeleteModel(
                    name='Indicator',
                ),
                migrations.DeleteModel(
                    name='TemplateCategory',
                ),
            ],
        ),
    ]
