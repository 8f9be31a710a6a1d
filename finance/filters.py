import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import PortalFilterSet, typed, visible
from core.lists import DATE, MONEY, NUMBER, Column, Table
from core.models import Organization
from finance.models import Invoice, Payment
from settlement.models import SettlementSheet


def _sheets(invoice) -> str:
    return "、".join(str(part.sheet) for part in invoice.parts.all())


def _status(invoice) -> str:
    """Void, or in force; an ordinary invoice waiting for procurement's acceptance says so."""
    if invoice.status == Invoice.Status.VOID:
        return f"{invoice.get_status_display()}：{invoice.void_reason}"
    if invoice.awaits_acceptance:
        return str(_("Ordinary invoice, not accepted yet"))
    return invoice.get_status_display()


INVOICES = Table(
    Column("number", _("Invoice number"), lambda i: i.number, order="number"),
    Column("code", _("Invoice code"), lambda i: i.code, page=False),
    Column("contract", _("Contract"), lambda i: i.contract.code, order="contract__code"),
    Column("vendor", _("Vendor"), lambda i: i.contract.vendor.name, order="contract__vendor__name"),
    Column("sheets", _("Settlement sheets"), _sheets),
    Column("kind", _("Invoice type"), Invoice.get_kind_display, order="kind"),
    Column("issued_on", _("Issued on"), lambda i: i.issued_on, DATE, "issued_on"),
    Column("received_on", _("Received on"), lambda i: i.received_on, DATE, "received_on"),
    Column("excl", _("Amount excl. tax"), lambda i: i.amount_excl_tax, MONEY, page=False),
    Column("rate", _("Tax rate"), lambda i: i.tax_rate, NUMBER, page=False),
    Column("tax", _("Tax"), lambda i: i.tax_amount, MONEY, page=False),
    Column("amount", _("Invoice total"), lambda i: i.amount_incl_tax, MONEY, "amount_incl_tax"),
    Column("delivery_due_by", _("Delivery due by"), lambda i: i.delivery_due_by, DATE, page=False),
    Column(
        "payment_due_by", _("Payment due by"), lambda i: i.payment_due_by, DATE, "payment_due_by"
    ),
    Column("status", _("Status"), _status, order="status"),
    title=_("Invoices"),
)


class InvoiceFilter(PortalFilterSet):
    """One filter for the invoice list page and its export."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    vendor = django_filters.ModelChoiceFilter(
        field_name="contract__vendor",
        queryset=visible(Organization, kind=Organization.Kind.VENDOR),
        label=_("Vendor"),
    )
    sheet = django_filters.ModelChoiceFilter(
        field_name="sheets", queryset=visible(SettlementSheet), label=_("Settlement sheet")
    )
    issued_from = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", label=_("Issued from")
    )
    issued_to = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", label=_("Issued to")
    )
    received = django_filters.ChoiceFilter(
        choices=[("true", _("Received")), ("false", _("Not received"))],
        method="was_received",
        label=_("Receipt"),
    )
    ordering = INVOICES.ordering_filter()

    class Meta:
        model = Invoice
        fields = ["q", "contract", "vendor", "sheet", "status", "kind", "received"]

    def search(self, queryset, name, value):
        """What people type: the invoice's number or code, the contract, the vendor."""
        return queryset.filter(
            typed(value, "number", "code", "contract__code", "contract__vendor__name")
        )

    def was_received(self, queryset, name, value):
        return queryset.filter(received_on__isnull=value == "false")


def _sheet(payment) -> str:
    return str(payment.sheet)


PAYMENTS = Table(
    Column("paid_on", _("Paid on"), lambda p: p.paid_on, DATE, "paid_on"),
    Column("sheet", _("Settlement sheet"), _sheet, order="sheet__order__number"),
    Column(
        "contract", _("Contract"), lambda p: p.sheet.contract.code, order="sheet__contract__code"
    ),
    Column(
        "vendor",
        _("Vendor"),
        lambda p: p.sheet.contract.vendor.name,
        order="sheet__contract__vendor__name",
    ),
    Column("method", _("Method"), Payment.get_method_display, order="method"),
    Column("bill_number", _("Bill number"), lambda p: p.bill_number, page=False),
    Column("bill_maturity", _("Bill maturity"), lambda p: p.bill_maturity, DATE, page=False),
    Column("amount", _("Amount"), lambda p: p.amount, MONEY, "amount"),
    Column("voucher", _("Voucher number"), lambda p: p.voucher_number, order="voucher_number"),
    Column("payee_account", _("Payee's account"), lambda p: p.payee_account, page=False),
    title=_("Payments"),
)


class PaymentFilter(PortalFilterSet):
    """One filter for the payment list page and its export."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    contract = django_filters.ModelChoiceFilter(
        field_name="sheet__contract", queryset=visible(FrameworkContract), label=_("Contract")
    )
    vendor = django_filters.ModelChoiceFilter(
        field_name="sheet__contract__vendor",
        queryset=visible(Organization, kind=Organization.Kind.VENDOR),
        label=_("Vendor"),
    )
    sheet = django_filters.ModelChoiceFilter(
        queryset=visible(SettlementSheet), label=_("Settlement sheet")
    )
    paid_from = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("Paid from")
    )
    paid_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid to"))
    ordering = PAYMENTS.ordering_filter()

    class Meta:
        model = Payment
        fields = ["q", "contract", "vendor", "sheet", "method"]

    def search(self, queryset, name, value):
        """What people type: the voucher or bill number, the order, the contract, the vendor."""
        return queryset.filter(
            typed(
                value,
                "voucher_number",
                "bill_number",
                "sheet__order__number",
                "sheet__contract__code",
                "sheet__contract__vendor__name",
            )
        )
