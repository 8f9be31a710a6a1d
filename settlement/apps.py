from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self):
        from core.calendar import RECHECKS
        from settlement import kinds  # noqa: F401 (registers each kind's strategy)
        from settlement.services import calendar_recheck

        RECHECKS.append(calendar_recheck)
