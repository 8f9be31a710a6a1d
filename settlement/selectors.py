from django.db.models import Sum
from django.utils import timezone

from core.history import history_entries
from core.money import ZERO
from settlement.models import SettlementSheet


def sheet_list(*, user):
    return (
        SettlementSheet.objects.visible_to(user)
        .select_related(
            "contract",
            "contract__buyer",
            "contract__vendor",
            "order",
            "adjusts",
        )
        .prefetch_related("lines")
    )


def sheet_totals(sheets) -> dict:
    totals = sheets.aggregate(
        payable=Sum("payable_incl_tax"),
        excl=Sum("payable_excl_tax"),
        tax=Sum("tax_amount"),
        uncapped=Sum("uncapped_incl_tax"),
    )
    return {name: value or ZERO for name, value in totals.items()}


def overdue(sheet: SettlementSheet) -> str:
    """What is late on a sheet: its invoice (3.3.1) or its payment (4.6)."""
    today = timezone.localdate()
    if (
        sheet.status == SettlementSheet.Status.SIGNED
        and sheet.invoice_due_by
        and today > sheet.invoice_due_by
    ):
        return "invoice"
    if (
        sheet.status == SettlementSheet.Status.INVOICED
        and sheet.payment_due_by
        and today > sheet.payment_due_by
    ):
        return "payment"
    return ""


def sheet_history(sheet: SettlementSheet):
    return history_entries(sheet)
