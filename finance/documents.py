"""Finance's workbooks: a section of the finance home (its rows, then by contract and by vendor,
each with its total) and a contract's reconciliation. Every cell a value, text never a formula
(core.xlsx.write_cell), money as numbers with two decimals, dates as dates."""

import io
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from core.lists import DATE, FORMATS, MONEY, TEXT, WIDTHS, Column
from core.xlsx import write_cell
from finance.filters import INVOICES, PAYMENTS
from finance.selectors import Reconciliation, Section, reconciliation

BOLD = Font(bold=True)

DUE_SHEETS = (
    Column("contract", gettext_lazy("Contract"), lambda s: s.contract.code),
    Column("vendor", gettext_lazy("Vendor"), lambda s: s.contract.vendor.name),
    Column("sheet", gettext_lazy("Settlement sheet"), str),
    Column(
        "invoices",
        gettext_lazy("Invoices"),
        lambda s: "、".join(part.invoice.number for part in s.current_parts),
    ),
    Column("due", gettext_lazy("Payment due by"), lambda s: s.payment_due_by, DATE),
    Column("received", gettext_lazy("Invoices received"), lambda s: s.received, MONEY),
    Column("paid", gettext_lazy("Paid so far"), lambda s: s.paid, MONEY),
    Column("owed", gettext_lazy("Left to pay"), lambda s: s.owed, MONEY),
)
COLUMNS = {"sheets": DUE_SHEETS, "invoices": INVOICES.columns, "payments": PAYMENTS.columns}


def section_workbook(section: Section) -> bytes:
    """The section's rows on its first sheet, its totals by contract and by vendor on the next
    two; each sheet ends with the total of the section."""
    workbook = Workbook()
    rows = workbook.active
    rows.title = _("Details")
    columns = [column for column in COLUMNS[section.kind] if column.value is not None]
    _table(rows, columns, section.rows)
    last = len(section.rows) + 2
    _total_row(rows, last, columns.index(_amount_column(columns)) + 1, section.total)
    for title, label, groups in (
        (_("By contract"), _("Contract"), section.by_contract),
        (_("By vendor"), _("Vendor"), section.by_vendor),
    ):
        sheet = workbook.create_sheet(title)
        group_columns = (
            Column("label", label, lambda g: g.label),
            Column("count", gettext_lazy("Count"), lambda g: g.count, "number"),
            Column("total", gettext_lazy("Amount"), lambda g: g.total, MONEY),
        )
        _table(sheet, group_columns, groups)
        _total_row(sheet, len(groups) + 2, 3, section.total)
    return _saved(workbook)


def _amount_column(columns) -> Column:
    """The column a section totals: the last money column (left to pay, incl. tax, paid)."""
    keys = ("owed", "amount")
    return next(column for column in columns if column.key in keys)


def _table(sheet, columns, rows) -> None:
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        write_cell(sheet, 1, index, str(column.label)).font = BOLD
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = WIDTHS.get(
            column.kind, WIDTHS[TEXT]
        )
    for row_number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            _value(sheet, row_number, index, column.value(row), column.kind)


def _value(sheet, row, column, value, kind=TEXT):
    if kind == TEXT and value is not None and not isinstance(value, str):
        value = str(value)
    cell = write_cell(sheet, row, column, value)
    if isinstance(value, Decimal):
        cell.number_format = FORMATS[MONEY] if kind == MONEY else FORMATS["number"]
    elif isinstance(value, date):
        cell.number_format = FORMATS[DATE]
    return cell


def _total_row(sheet, row, column, total) -> None:
    write_cell(sheet, row, 1, _("Total")).font = BOLD
    _value(sheet, row, column, total, MONEY).font = BOLD


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RECONCILIATION = (
    Column("sheet", gettext_lazy("Settlement sheet"), lambda r: str(r.sheet)),
    Column("status", gettext_lazy("Status"), lambda r: r.sheet.get_status_display()),
    Column("payable", gettext_lazy("Signed incl. tax"), lambda r: r.payable, MONEY),
    Column("invoices", gettext_lazy("Invoices"), lambda r: r.invoice_numbers),
    Column("invoiced", gettext_lazy("Invoiced incl. tax"), lambda r: r.invoiced, MONEY),
    Column("paid", gettext_lazy("Paid"), lambda r: r.paid, MONEY),
    Column("not_invoiced", gettext_lazy("Signed − invoiced"), lambda r: r.not_invoiced, MONEY),
    Column("unpaid", gettext_lazy("Invoiced − paid"), lambda r: r.unpaid, MONEY),
    Column(
        "causes",
        gettext_lazy("Causes"),
        lambda r: "；".join(str(cause) for cause in r.causes),
    ),
    Column(
        "voided",
        gettext_lazy("Voided invoices"),
        lambda r: "；".join(f"{p.invoice.number}（{p.invoice.void_reason}）" for p in r.voided),
    ),
    Column("flags", gettext_lazy("To look at"), lambda r: "；".join(f.text for f in r.flags)),
)


def reconciliation_workbook(result: Reconciliation) -> bytes:
    """The sheets, one a row, then the contract's totals, each difference by cause, and the
    invoices whose total is not the sum of their parts."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reconciliation")
    _table(sheet, RECONCILIATION, result.rows)
    row = len(result.rows) + 2
    write_cell(sheet, row, 1, _("Total")).font = BOLD
    for column, total in ((3, result.payable), (5, result.invoiced), (6, result.paid)):
        _value(sheet, row, column, total, MONEY).font = BOLD
    _value(sheet, row, 7, result.payable - result.invoiced, MONEY).font = BOLD
    _value(sheet, row, 8, result.invoiced - result.paid, MONEY).font = BOLD

    totals = workbook.create_sheet(_("Contract totals"))
    lines = [
        (_("Σ signed sheets"), result.payable),
        (_("Σ invoices in force, as printed"), result.invoice_totals),
        (_("Σ payments"), result.paid),
        (_("Signed − invoiced"), result.not_invoiced),
        *((f"  {cause.text}", cause.amount) for cause in result.invoice_causes),
        (_("Invoiced − paid"), result.unpaid),
        *((f"  {cause.text}", cause.amount) for cause in result.payment_causes),
    ]
    for number, (label, amount) in enumerate(lines, start=1):
        write_cell(totals, number, 1, label)
        _value(totals, number, 2, amount, MONEY)
    totals.column_dimensions["A"].width = 60
    totals.column_dimensions["B"].width = WIDTHS[MONEY]
    row = len(lines) + 2
    write_cell(totals, row, 1, _("Invoices whose total is not the sum of their parts")).font = BOLD
    for number, (invoice, incl, excl) in enumerate(result.invoices_unbalanced, start=row + 1):
        write_cell(totals, number, 1, invoice.number)
        _value(totals, number, 2, invoice.amount_incl_tax, MONEY)
        _value(totals, number, 3, incl, MONEY)
        _value(totals, number, 4, excl, MONEY)
    if not result.invoices_unbalanced:
        write_cell(totals, row + 1, 1, _("Every invoice's total is the sum of its parts."))
    return _saved(workbook)


def contract_finance_records(contract, user) -> list[tuple]:
    """The contract's invoices and payments against its signed sheets (the reconciliation's
    workbook), for the zip of the contract's papers (archive.bundle)."""
    records = reconciliation(contract=contract, today=timezone.localdate())
    return [(f"发票与付款-{contract.code}.xlsx", reconciliation_workbook(records))]
