"""What finance reads: the invoices and payments lists, what falls due and when (4.6, 4.7), and
the reconciliation of a contract's signed sheets with their invoices and payments."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import add_months
from core.money import ZERO, quantize
from finance.models import Invoice, InvoiceSheet, Payment
from settlement.models import SettlementSheet


def invoice_list(*, user):
    return (
        Invoice.objects.visible_to(user)
        .select_related("contract", "contract__vendor", "replaces", "replaced_by")
        .prefetch_related(
            Prefetch("parts", queryset=InvoiceSheet.objects.select_related("sheet__order"))
        )
    )


def payment_list(*, user):
    return Payment.objects.visible_to(user).select_related(
        "sheet", "sheet__order", "sheet__contract", "sheet__contract__vendor"
    )


def payments_total(payments) -> Decimal:
    # quantize: SQLite sums decimals without their places (31000, not 31000.00).
    return quantize(payments.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"])


def _total(queryset, amount: str):
    """Σ `amount` of the rows of `queryset` (filtered on OuterRef("pk")), 0.00 when none."""
    money = DecimalField(max_digits=14, decimal_places=2)
    summed = queryset.order_by().values("sheet").annotate(total=Sum(amount)).values("total")
    return Coalesce(Subquery(summed, output_field=money), ZERO, output_field=money)


def current_parts():
    """The parts of the invoices in force (not voided), with their invoice."""
    return InvoiceSheet.objects.filter(invoice__status=Invoice.Status.RECORDED).select_related(
        "invoice"
    )


def sheets_owed(*, user):
    """Sheets with received invoices in force not paid in full (4.6): each falls due on its
    `payment_due_by` (the earliest of those invoices'), for `owed`: what the received
    invoices charge (`received`) less what was paid (`paid`). An invoice not received yet is
    owed nothing: its payment term has not started. `current_parts`: the sheet's parts on
    invoices in force."""
    received = current_parts().filter(sheet=OuterRef("pk"), invoice__received_on__isnull=False)
    return (
        SettlementSheet.objects.visible_to(user)
        .annotate(
            received=_total(received, "amount_incl_tax"),
            paid=_total(Payment.objects.filter(sheet=OuterRef("pk")), "amount"),
        )
        .annotate(owed=F("received") - F("paid"))
        .filter(payment_due_by__isnull=False, owed__gt=0)
        .exclude(status=SettlementSheet.Status.PAID)
        .select_related("contract", "contract__vendor", "order")
        .prefetch_related(Prefetch("invoice_parts", current_parts(), to_attr="current_parts"))
        .order_by("payment_due_by", "contract__code", "order__number", "month", "pk")
    )


def sheets_not_invoiced(*, user):
    """Signed sheets that pay money and are not invoiced in full by invoices in force: the
    vendor invoices each by its `invoice_due_by` (3.3.1), for `left_to_invoice`."""
    invoiced = current_parts().filter(sheet=OuterRef("pk"))
    return (
        SettlementSheet.objects.visible_to(user)
        .filter(status__in=SettlementSheet.SIGNED_STATES, payable_incl_tax__gt=0)
        .annotate(invoiced=_total(invoiced, "amount_incl_tax"))
        .annotate(left_to_invoice=F("payable_incl_tax") - F("invoiced"))
        .filter(left_to_invoice__gt=0)
        .select_related("contract", "contract__vendor", "order")
        .order_by("invoice_due_by", "contract__code", "order__number", "month", "pk")
    )


def invoices_not_received(*, user):
    """Invoices in force the buyer has not received yet, each due by its `delivery_due_by`
    (4.7: 10 working days after it was issued)."""
    return (
        invoice_list(user=user)
        .filter(status=Invoice.Status.RECORDED, received_on__isnull=True)
        .order_by("delivery_due_by", "contract__code", "number", "pk")
    )


def payments_between(*, user, first: date, last: date):
    return payment_list(user=user).filter(paid_on__range=(first, last)).order_by("paid_on", "pk")


# ── The finance home: what falls due, week by week ───────────────────────────────────────────


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day` (the portal's days are Asia/Shanghai's)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class Group:
    """The rows of one contract or one vendor in a section, and what they add up to."""

    label: str
    count: int
    total: Decimal


@dataclass
class Section:
    """One list of the finance home: its rows (sheets, invoices or payments, as `kind` says),
    their amount each, and the same totalled by contract and by vendor."""

    key: str
    title: str
    kind: str  # "sheets", "invoices" or "payments": which table shows and exports the rows
    rows: list
    amount: Callable
    period: str = ""
    by_contract: list[Group] = field(init=False)
    by_vendor: list[Group] = field(init=False)
    total: Decimal = field(init=False)

    def __post_init__(self):
        self.by_contract = _groups(self.rows, self.amount, _contract_label)
        self.by_vendor = _groups(self.rows, self.amount, lambda row: _contract(row).vendor.name)
        self.total = sum((self.amount(row) for row in self.rows), ZERO)

    @property
    def grouped(self) -> list[tuple[str, list[Group]]]:
        return [(_("By contract"), self.by_contract), (_("By vendor"), self.by_vendor)]


def _contract(row):
    return row.sheet.contract if isinstance(row, Payment) else row.contract


def _contract_label(row) -> str:
    contract = _contract(row)
    return f"{contract.code} {contract.name}"


def _groups(rows, amount, label) -> list[Group]:
    counts, totals = defaultdict(int), defaultdict(lambda: ZERO)
    for row in rows:
        counts[label(row)] += 1
        totals[label(row)] += amount(row)
    return [Group(key, counts[key], totals[key]) for key in sorted(totals)]


SECTION_TITLES = {
    "overdue": gettext_lazy("Payments overdue"),
    "this_week": gettext_lazy("Payments due this week"),
    "next_week": gettext_lazy("Payments due next week"),
    "not_received": gettext_lazy("Invoices not received yet"),
    "paid": gettext_lazy("Paid this month"),
}


def finance_home(*, user, today: date) -> list[Section]:
    """What finance pays and when: the payments overdue (due before today), due in the rest of
    this week (today to Sunday) and next week (Monday to Sunday), the invoices issued but not
    received (whose payment term has not started, 4.6), and the payments of this month."""
    monday, sunday = week_of(today)
    next_monday, next_sunday = monday + timedelta(days=7), sunday + timedelta(days=7)
    owed = list(sheets_owed(user=user).filter(payment_due_by__lte=next_sunday))
    month = today.replace(day=1)
    paid = payments_between(user=user, first=month, last=add_months(month, 1) - timedelta(1))
    due = [
        ("overdue", lambda day: day < today, ""),
        ("this_week", lambda day: today <= day <= sunday, _period(today, sunday)),
        ("next_week", lambda day: next_monday <= day, _period(next_monday, next_sunday)),
    ]
    sections = [
        Section(
            key,
            str(SECTION_TITLES[key]),
            "sheets",
            [sheet for sheet in owed if within(sheet.payment_due_by)],
            _owed,
            period,
        )
        for key, within, period in due
    ]
    return [
        *sections,
        Section(
            "not_received",
            str(SECTION_TITLES["not_received"]),
            "invoices",
            list(invoices_not_received(user=user)),
            _invoice_amount,
        ),
        Section(
            "paid", str(SECTION_TITLES["paid"]), "payments", list(paid), _paid, f"{month:%Y-%m}"
        ),
    ]


def _period(first: date, last: date) -> str:
    return f"{first:%m-%d} – {last:%m-%d}"


def _owed(sheet):
    return sheet.owed


def _invoice_amount(invoice):
    return invoice.amount_incl_tax


def _paid(payment):
    return payment.amount


# ── Reconciliation of a contract: sheets ↔ invoices ↔ payments ──────────────────────────────

# Why a sheet's signed amount and its invoices differ, or its invoices and its payments.
NOT_INVOICED = "not_invoiced"
INVOICE_LATE = "invoice_late"
RATE = "rate"
TAX_AS_PRINTED = "tax_as_printed"
OVER_INVOICED = "over_invoiced"
NOT_RECEIVED = "not_received"
NOT_DUE = "not_due"
PAYMENT_LATE = "payment_late"
OVERPAID = "overpaid"
UNBALANCED = "unbalanced"

CAUSES = {
    NOT_INVOICED: gettext_lazy("Not invoiced yet, within the vendor's 10 working days"),
    INVOICE_LATE: gettext_lazy("Not invoiced, past the vendor's deadline (3.3.1)"),
    RATE: gettext_lazy("Invoiced at another VAT rate: excl. tax plus the invoice's tax (4.6.5)"),
    TAX_AS_PRINTED: gettext_lazy("Tax as printed on the invoice differs from the sheet's"),
    OVER_INVOICED: gettext_lazy("Invoiced beyond the sheet's amount"),
    NOT_RECEIVED: gettext_lazy("Invoice not received yet: its payment term has not started"),
    NOT_DUE: gettext_lazy("Not due yet (4.6: 30 working days after receipt)"),
    PAYMENT_LATE: gettext_lazy("Payment overdue"),
    OVERPAID: gettext_lazy("Paid beyond the invoices"),
}


@dataclass
class Flag:
    code: str
    text: str


@dataclass
class SheetRow:
    """One signed sheet: what it is owed, what its invoices in force charge and what was paid,
    the differences and their causes, the invoices voided on it and what needs a look."""

    sheet: SettlementSheet
    parts: list[InvoiceSheet]  # on invoices in force
    voided: list[InvoiceSheet]  # on voided invoices
    payments: list[Payment]
    invoice_cause: str = ""
    payment_cause: str = ""
    flags: list[Flag] = field(default_factory=list)

    @property
    def payable(self) -> Decimal:
        return self.sheet.payable_incl_tax

    @property
    def invoiced(self) -> Decimal:
        return sum((part.amount_incl_tax for part in self.parts), ZERO)

    @property
    def invoiced_excl(self) -> Decimal:
        return sum((part.amount_excl_tax for part in self.parts), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), ZERO)

    @property
    def not_invoiced(self) -> Decimal:
        """Signed − invoiced."""
        return self.payable - self.invoiced

    @property
    def unpaid(self) -> Decimal:
        """Invoiced − paid."""
        return self.invoiced - self.paid

    @property
    def causes(self) -> list[str]:
        return [str(CAUSES[code]) for code in (self.invoice_cause, self.payment_cause) if code]

    @property
    def invoice_numbers(self) -> str:
        return "、".join(part.invoice.number for part in self.parts)


@dataclass
class Cause:
    code: str
    text: str
    amount: Decimal
    sheets: int


@dataclass
class Reconciliation:
    """A contract's signed sheets against its invoices in force and its payments; every
    difference split by cause; and each invoice in force whose total is not Σ its parts."""

    contract: object
    today: date
    rows: list[SheetRow]
    invoice_totals: Decimal  # Σ of the invoices in force, as printed
    invoices_unbalanced: list[tuple[Invoice, Decimal, Decimal]]  # (invoice, Σ parts incl, excl)

    @property
    def payable(self) -> Decimal:
        return sum((row.payable for row in self.rows), ZERO)

    @property
    def invoiced(self) -> Decimal:
        return sum((row.invoiced for row in self.rows), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((row.paid for row in self.rows), ZERO)

    @property
    def not_invoiced(self) -> Decimal:
        """Σ signed − Σ invoices in force as printed."""
        return self.payable - self.invoice_totals

    @property
    def unpaid(self) -> Decimal:
        """Σ invoices in force as printed − Σ payments."""
        return self.invoice_totals - self.paid

    @property
    def sheets_not_invoiced(self) -> Decimal:
        """Σ signed − Σ the sheets' parts on invoices in force."""
        return self.payable - self.invoiced

    @property
    def sheets_unpaid(self) -> Decimal:
        return self.invoiced - self.paid

    @property
    def differences(self) -> list[tuple[str, Decimal, list[Cause]]]:
        """Each difference of the contract's totals, and its causes adding up to it."""
        return [
            (_("Signed − invoiced"), self.not_invoiced, self.invoice_causes),
            (_("Invoiced − paid"), self.unpaid, self.payment_causes),
        ]

    @property
    def invoice_causes(self) -> list[Cause]:
        """Signed − invoice totals, by cause: each sheet's difference with its own cause, and
        what the invoices' parts add up to beyond their totals."""
        return _by_cause(self.rows, "invoice_cause", "not_invoiced") + self._unbalanced(1)

    @property
    def payment_causes(self) -> list[Cause]:
        """Invoice totals − payments, by cause: each sheet's with its own, and what the
        invoices' totals charge beyond their parts (no sheet owes it)."""
        return _by_cause(self.rows, "payment_cause", "unpaid") + self._unbalanced(-1)

    def _unbalanced(self, sign: int) -> list[Cause]:
        difference = sum(
            (incl - invoice.amount_incl_tax for invoice, incl, _excl in self.invoices_unbalanced),
            ZERO,
        )
        if not difference:
            return []
        text = _("Invoice totals differ from the parts of the sheets they cover")
        return [Cause(UNBALANCED, text, sign * difference, len(self.invoices_unbalanced))]

    @property
    def balanced(self) -> bool:
        """No difference anywhere: every sheet invoiced and paid to the cent."""
        return not (self.not_invoiced or self.unpaid or self.invoices_unbalanced)


def _by_cause(rows, cause: str, amount: str) -> list[Cause]:
    amounts, counts = defaultdict(lambda: ZERO), defaultdict(int)
    for row in rows:
        code = getattr(row, cause)
        if code:
            amounts[code] += getattr(row, amount)
            counts[code] += 1
    return [
        Cause(code, str(CAUSES[code]), amounts[code], counts[code])
        for code in CAUSES
        if code in amounts
    ]


def reconciliation(*, contract, today: date) -> Reconciliation:
    """The contract's signed sheets in the order they were settled, each reconciled."""
    sheets = (
        SettlementSheet.objects.filter(contract=contract, status__in=SettlementSheet.SIGNED_STATES)
        .select_related("order")
        .prefetch_related(
            Prefetch(
                "invoice_parts",
                InvoiceSheet.objects.select_related("invoice", "invoice__replaced_by"),
            ),
            "payments",
        )
        .order_by("month", "order__number", "pk")
    )
    rows = []
    for sheet in sheets:
        parts = list(sheet.invoice_parts.all())
        row = SheetRow(
            sheet,
            parts=[p for p in parts if p.invoice.status == Invoice.Status.RECORDED],
            voided=[p for p in parts if p.invoice.status == Invoice.Status.VOID],
            payments=list(sheet.payments.all()),
        )
        _explain(row, today)
        rows.append(row)
    invoices = (
        Invoice.objects.filter(contract=contract, status=Invoice.Status.RECORDED)
        .annotate(
            parts_incl=Coalesce(Sum("parts__amount_incl_tax"), ZERO),
            parts_excl=Coalesce(Sum("parts__amount_excl_tax"), ZERO),
        )
        .order_by("issued_on", "pk")
    )
    return Reconciliation(
        contract,
        today,
        rows,
        invoice_totals=sum((invoice.amount_incl_tax for invoice in invoices), ZERO),
        invoices_unbalanced=[
            (invoice, invoice.parts_incl, invoice.parts_excl)
            for invoice in invoices
            if (invoice.parts_incl, invoice.parts_excl)
            != (invoice.amount_incl_tax, invoice.amount_excl_tax)
        ],
    )


def _explain(row: SheetRow, today: date) -> None:
    """The row's causes and flags, from its sheet, its invoices in force and the day."""
    sheet = row.sheet
    invoices = {part.invoice for part in row.parts}
    other_rates = [inv for inv in invoices if inv.tax_rate != sheet.tax_rate]
    if row.not_invoiced:
        if row.invoiced_excl == sheet.payable_excl_tax:  # every yuan excl. tax is invoiced
            row.invoice_cause = RATE if other_rates else TAX_AS_PRINTED
        elif row.not_invoiced < 0:
            row.invoice_cause = OVER_INVOICED
        elif sheet.invoice_due_by and sheet.invoice_due_by < today:
            row.invoice_cause = INVOICE_LATE
        else:
            row.invoice_cause = NOT_INVOICED
    unreceived = [inv for inv in invoices if inv.received_on is None]
    late = sheet.payment_due_by is not None and sheet.payment_due_by < today
    if row.unpaid > 0:
        row.payment_cause = NOT_RECEIVED if unreceived else PAYMENT_LATE if late else NOT_DUE
    elif row.unpaid < 0:
        row.payment_cause = OVERPAID
    for invoice in sorted(invoices, key=lambda inv: inv.number):
        if invoice.awaits_acceptance:
            row.flags.append(
                Flag(
                    "ordinary",
                    _("Invoice %(number)s is an ordinary invoice, not yet accepted (4.3)")
                    % {"number": invoice.number},
                )
            )
        if invoice in other_rates:
            row.flags.append(
                Flag(
                    "rate",
                    _("Invoice %(number)s at %(rate)s, the sheet at %(sheet)s (4.6.5)")
                    % {
                        "number": invoice.number,
                        "rate": _percent(invoice.tax_rate),
                        "sheet": _percent(sheet.tax_rate),
                    },
                )
            )
        if invoice in unreceived:
            text = _("Invoice %(number)s not received (due by %(date)s)") % {
                "number": invoice.number,
                "date": invoice.delivery_due_by,
            }
            row.flags.append(Flag("not_received", text))
    if row.payment_cause == PAYMENT_LATE:
        row.flags.append(
            Flag("overdue", _("Payment overdue (due by %(date)s)") % {"date": sheet.payment_due_by})
        )
    if row.invoice_cause == INVOICE_LATE:
        row.flags.append(
            Flag("overdue", _("Invoice overdue (due by %(date)s)") % {"date": sheet.invoice_due_by})
        )


def _percent(rate) -> str:
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"
