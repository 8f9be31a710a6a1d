from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """What the buyer does when a vendor falls short: rectifications (2.10) and the penalty and
    refund register (ch. 7). It sits above the month's records (orders, staff, assessments) and
    beneath settlement, whose sheets offset what it decides."""

    name = "governance"
    verbose_name = _("Governance")
