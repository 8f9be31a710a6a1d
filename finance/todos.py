"""What an invoice or a payment waits on, and whose it is: a signed sheet waits on the vendor's
invoice (3.3.1), an invoice issued on the buyer's receipt (4.7), an ordinary invoice on
procurement's acceptance (4.3), a received one on finance's payment (4.6)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.calendar import add_workdays
from core.templatetags.money import money_with_sign as money
from core.todos import FINANCE, PROCUREMENT, VENDOR, Desk, Item, Todo, register
from finance.models import Invoice
from finance.selectors import invoice_list, sheets_owed
from settlement.models import SettlementSheet

DUE_SOON_WORKDAYS = 5  # finance's notice of a payment falling due


def _sheet_item(sheet, detail, late=False) -> Item:
    return Item(str(sheet), reverse("sheet-detail", args=[sheet.pk]), detail, late)


def _invoice_item(invoice, detail, late=False) -> Item:
    label = f"{invoice.number} · {invoice.contract.code}"
    return Item(label, reverse("invoice-detail", args=[invoice.pk]), detail, late)


def _invoices(desk: Desk):
    return invoice_list(user=desk.user).filter(status=Invoice.Status.RECORDED)


@register(VENDOR, 50)
def invoices_due(desk: Desk) -> list[Todo]:
    """A signed sheet not yet wholly invoiced: the vendor issues within 10 working days."""
    sheets = SettlementSheet.objects.visible_to(desk.user).filter(
        status=SettlementSheet.Status.SIGNED,
        payable_incl_tax__gt=0,  # a take-back is not invoiced
    )
    items = [
        _sheet_item(sheet, desk.due(sheet.invoice_due_by), _past(sheet.invoice_due_by, desk))
        for sheet in sheets.select_related("order")
    ]
    url = f"{reverse('sheet-list')}?status={SettlementSheet.Status.SIGNED}"
    return [Todo(_("Invoices due"), items, url)]


@register(PROCUREMENT, 140)
def ordinary_invoices(desk: Desk) -> list[Todo]:
    """4.3 expects a special invoice: an ordinary one waits for procurement to accept it."""
    invoices = _invoices(desk).filter(kind=Invoice.Kind.ORDINARY, ordinary_accepted_by__isnull=True)
    items = [_invoice_item(invoice, money(invoice.amount_incl_tax)) for invoice in invoices]
    url = f"{reverse('finance-invoices')}?kind={Invoice.Kind.ORDINARY}&status=recorded"
    return [Todo(_("Ordinary invoices to accept"), items, url)]


@register(FINANCE, 10)
def invoices_to_receive(desk: Desk) -> list[Todo]:
    """An invoice issued but not received: it is due within 10 working days of its issue
    (4.7), and its 30 working days of payment start once received (4.6)."""
    invoices = _invoices(desk).filter(received_on__isnull=True)
    items = [
        _invoice_item(
            invoice,
            desk.due(invoice.delivery_due_by, f"{money(invoice.amount_incl_tax)} · "),
            _past(invoice.delivery_due_by, desk),
        )
        for invoice in invoices
    ]
    url = f"{reverse('finance-invoices')}?received=false&status=recorded"
    return [Todo(_("Invoices to receive"), items, url)]


@register(FINANCE, 20)
def payments_due(desk: Desk) -> list[Todo]:
    """What is left to pay on each sheet whose payment falls due within 5 working days, and
    what is overdue (4.6)."""
    soon = add_workdays(desk.today, DUE_SOON_WORKDAYS)
    due, overdue = [], []
    for sheet in sheets_owed(user=desk.user).filter(payment_due_by__lte=soon):
        late = sheet.payment_due_by < desk.today
        detail = desk.due(sheet.payment_due_by, f"{money(sheet.owed)} · ")
        (overdue if late else due).append(_sheet_item(sheet, detail, late))
    home = reverse("finance-home")
    return [
        Todo(_("Payments due within 5 working days"), due, home),
        Todo(_("Overdue payments"), overdue, f"{home}#overdue"),
    ]


def _past(deadline, desk: Desk) -> bool:
    return deadline is not None and deadline < desk.today
