from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports across contracts: 附件3 consumption, spend, vendor performance, finance's
    outlook."""

    name = "reports"
    verbose_name = _("Reports")
