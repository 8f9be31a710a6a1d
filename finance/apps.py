from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from core.calendar import RECHECKS
        from finance import reminders  # noqa: F401 (its deadlines in the daily reminders)
        from finance.services import calendar_recheck

        RECHECKS.append(calendar_recheck)

        # An invoice's image and a payment's voucher, in the archive (issue 21): an invoice is
        # filed by the vendor that issued it or by finance as received, a payment by finance.
        from archive.models import Document
        from archive.targets import register
        from core.models import User
        from finance.models import Invoice, Payment

        register(
            "invoice",
            Invoice,
            kinds=(Document.Kind.INVOICE_IMAGE, Document.Kind.OTHER),
            writers=(User.Role.VENDOR_PM, User.Role.FINANCE),
        )
        register(
            "payment",
            Payment,
            kinds=(Document.Kind.PAYMENT_VOUCHER, Document.Kind.OTHER),
            writers=(User.Role.FINANCE,),
            contract="sheet__contract",
        )

        from archive.bundle import add_part
        from finance.documents import contract_finance_records

        add_part(contract_finance_records)
