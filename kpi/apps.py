from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    """Fixed-price contracts scored on KPIs (seed 004): baselines, the vendor's monthly
    reports, and the half-year and year roll-ups their milestone payments rest on."""

    name = "kpi"
    verbose_name = _("KPI reports")

    def ready(self):
        from kpi import (
            evidence,  # noqa: F401  (a period's live sessions in its score's PDF)
            reminders,  # noqa: F401  (registers 004's reminders)
        )
