from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """What the buyer does when a vendor falls short: rectifications (2.10) and the penalty and
    refund register (ch. 7). It sits above the month's records (orders, staff, assessments) and
    beneath settlement, whose sheets offset what it decides."""

    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from archive.models import Document
        from archive.targets import register
        from core.models import User
        from governance import reminders  # noqa: F401 (its deadlines in the daily reminders)
        from governance.models import Rectification

        # The papers behind a rectification: procurement's evidence, the vendor's proof of
        # what it did.
        register(
            "rectification",
            Rectification,
            kinds=(Document.Kind.OTHER,),
            writers=(User.Role.PROCUREMENT, User.Role.VENDOR_PM),
        )
