"""An invoice or a payment late or near its day (3.3.1, 4.6, 4.7): a signed sheet without its
invoice 8 working days on, a received invoice's payment due within 5 working days, then past
due. Each step is told once."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import add_workdays
from core.models import User
from finance.models import Invoice, InvoiceSheet
from finance.todos import DUE_SOON_WORKDAYS
from notifications.reminders import Recipients, Reminder, arrived_before, register
from settlement.models import SettlementSheet

INVOICE_MISSING_WORKDAYS = 8  # 3.3.1 gives the vendor 10: two days' warning

Status = SettlementSheet.Status


@register
def invoices_missing(today):
    """A signed sheet (not a take-back) on no invoice in force, 8 working days after signing."""
    people = Recipients()
    invoiced = InvoiceSheet.objects.filter(
        sheet=OuterRef("pk"), invoice__status=Invoice.Status.RECORDED
    )
    sheets = (
        SettlementSheet.objects.filter(
            status=Status.SIGNED,
            payable_incl_tax__gt=0,
            signed_at__lt=arrived_before(today, INVOICE_MISSING_WORKDAYS),
        )
        .exclude(Exists(invoiced))
        .select_related("contract", "order")
    )
    for sheet in sheets:
        contract = sheet.contract
        yield Reminder(
            "invoice_missing",
            people(contract.vendor_id, User.Role.VENDOR_PM)
            + people(contract.buyer_id, User.Role.FINANCE),
            _(
                "No invoice has been recorded for the settlement sheet %(sheet)s, signed on "
                "%(day)s; it is due by %(due)s."
            ),
            key=f"invoice_missing:{sheet.pk}",
            url=reverse("sheet-detail", args=[sheet.pk]),
            params={
                "sheet": str(sheet),
                "day": str(timezone.localdate(sheet.signed_at)),
                "due": str(sheet.invoice_due_by),
            },
        )


def _unpaid_invoices():
    """Received invoices in force with a sheet not paid in full (4.6: the term runs from
    receipt)."""
    unpaid = InvoiceSheet.objects.filter(invoice=OuterRef("pk")).exclude(sheet__status=Status.PAID)
    return (
        Invoice.objects.filter(
            status=Invoice.Status.RECORDED,
            received_on__isnull=False,
            payment_due_by__isnull=False,
        )
        .filter(Exists(unpaid))
        .select_related("contract")
    )


def _params(invoice) -> dict:
    return {
        "invoice": invoice.number,
        "contract": invoice.contract.code,
        "due": str(invoice.payment_due_by),
    }


@register
def payments_due(today):
    """A received invoice's payment due within 5 working days: the buyer's finance, once."""
    people = Recipients()
    soon = add_workdays(today, DUE_SOON_WORKDAYS)
    for invoice in _unpaid_invoices().filter(payment_due_by__range=(today, soon)):
        yield Reminder(
            "payment_due",
            people(invoice.contract.buyer_id, User.Role.FINANCE),
            _("The invoice %(invoice)s of contract %(contract)s is to be paid by %(due)s."),
            key=f"payment_due:{invoice.pk}:{invoice.payment_due_by}",
            url=reverse("invoice-detail", args=[invoice.pk]),
            params=_params(invoice),
        )


@register
def payments_overdue(today):
    """Past its payment day and not paid: the buyer's finance and procurement, once."""
    people = Recipients()
    for invoice in _unpaid_invoices().filter(payment_due_by__lt=today):
        yield Reminder(
            "payment_overdue",
            people(invoice.contract.buyer_id, User.Role.FINANCE, User.Role.PROCUREMENT),
            _(
                "The invoice %(invoice)s of contract %(contract)s was to be paid by %(due)s and "
                "is not paid."
            ),
            key=f"payment_overdue:{invoice.pk}:{invoice.payment_due_by}",
            url=reverse("invoice-detail", args=[invoice.pk]),
            params=_params(invoice),
        )
