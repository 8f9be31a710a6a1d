from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogsConfig(AppConfig):
    name = "worklogs"
    verbose_name = _("Person-day logs")

    def ready(self):
        from core.calendar import RECHECKS
        from worklogs import reminders  # noqa: F401 (its deadlines in the daily reminders)
        from worklogs.services import calendar_recheck

        RECHECKS.append(calendar_recheck)

        from core.metrics import add_figures
        from worklogs import metrics

        add_figures(metrics.figures)
