from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self):
        from core.calendar import RECHECKS
        from settlement import (
            kinds,  # noqa: F401 (registers each kind's strategy)
            list_cache,  # noqa: F401 (its version follows every write, in workers too)
            reminders,  # noqa: F401 (its deadlines in the daily reminders)
        )
        from settlement.services import calendar_recheck

        RECHECKS.append(calendar_recheck)

        # A sheet's papers, in the archive (issue 21); the contract's archive (a zip of its
        # papers) is handed the ledger of its signed sheets, which the archive cannot import.
        from archive.bundle import add_part
        from archive.models import Document
        from archive.targets import register
        from core.models import User
        from settlement.documents import contract_ledger
        from settlement.models import SettlementSheet

        register(
            "sheet",
            SettlementSheet,
            kinds=(Document.Kind.ACCEPTANCE, Document.Kind.OTHER),
            writers=(User.Role.PROCUREMENT, User.Role.FINANCE),
        )
        add_part(contract_ledger)

        from core.metrics import add_figures
        from settlement import metrics

        add_figures(metrics.figures)
