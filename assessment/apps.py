from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessments")

    def ready(self):
        from assessment import reminders  # noqa: F401 (its deadlines in the daily reminders)

        # The contract services settle a contract's template by this app's rule, which they
        # cannot import (contracts sits beneath assessment): the rule is handed down to them.
        from assessment.services import contract_template_settle
        from contracts.services import contract_template_rule_set

        contract_template_rule_set(rule=contract_template_settle)

        from archive.bundle import add_part
        from assessment.documents import contract_assessment_pdfs

        add_part(contract_assessment_pdfs)
