from django.db import migrations


class Migration(migrations.Migration):
    """Installed the shipped templates (附件2, 004's scorecard) while they were this app's.
    They moved to the assessment app, which installs them since (assessment
    0005_builtin_templates, which leaves them be where this step installed them), and this app
    may not import it: on a new database this step does nothing."""

    dependencies = [("contracts", "0003_assessment_templates")]

    operations = []
