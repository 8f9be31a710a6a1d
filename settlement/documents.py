"""附件7 结算单 as a PDF, and the settlement ledger as an .xlsx."""

import io
from functools import partial
from hashlib import sha256

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import Workbook
from openpyxl.styles import Font

from core.bank_accounts import bank_account_at
from core.money import ZERO
from core.pdf import html_pdf, render_html
from core.xlsx import write_cell
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list, sheet_totals, sheet_totals_by_status


def sheet_pdf(sheet: SettlementSheet) -> bytes:
    return html_pdf(sheet_html(sheet))


def sheet_pdf_stored(sheet: SettlementSheet) -> str:
    """The sheet's PDF in storage (Django's storage API: media/ or the S3 bucket), named by the
    digest of what it prints: rendered again only when that changed, the older one removed."""
    html = sheet_html(sheet)
    folder = f"sheets/{sheet.pk}"
    digest = sha256(html.encode()).hexdigest()
    name = f"{folder}/{digest}.pdf"
    if default_storage.exists(name):
        return name
    name = default_storage.save(name, ContentFile(html_pdf(html)))
    for older in default_storage.listdir(folder)[1]:
        if not older.startswith(digest):
            default_storage.delete(f"{folder}/{older}")
    return name


def sheet_html(sheet: SettlementSheet) -> str:
    """附件7; what rests on the sheet's kind (its lines or milestone, its formula) is the
    kind's to print (`settlement.kinds`)."""
    contract = sheet.contract
    assessment = sheet.assessment
    deductions = []
    if assessment is not None:
        deductions = [
            entry
            for entry in assessment.entries.select_related("indicator__category")
            if entry.score < entry.indicator.max or sheet.basis.prints_every_entry
        ]
    return render_html(
        "settlement/sheet_pdf.html",
        {
            "sheet": sheet,
            "contract": contract,
            "order": sheet.order,
            # A signed sheet prints the contract as it stood when it was signed.
            "settled": sheet.contract_settled_at_signing
            if sheet.is_signed
            else contract.settled_total,
            "remaining": sheet.contract_remaining_at_signing
            if sheet.is_signed
            else contract.ceiling_incl_tax - contract.settled_total,
            "lines": sheet.lines.all(),
            # The account in force when it was signed (clause 4.6.3); unsigned, today's.
            "payee": bank_account_at(contract.vendor, sheet.signed_at),
            "assessment": assessment,
            "deductions": deductions,
            "incidents": assessment.incidents.select_related("indicator") if assessment else [],
            "acceptance": sheet.basis.acceptance(sheet),
            # The penalties and refunds it offsets, each a negative line with its clause.
            "offsets": sheet.offsets.select_related("order"),
            **sheet.basis.pdf_context(sheet),
        },
    )


LEDGER_HEADERS = (
    "合同编号",
    "合同名称",
    "乙方",
    "订单编号",
    "结算月份",
    "类型",
    "状态",
    "计算基数",
    "考核得分",
    "税率",
    "封顶前金额",
    "应付含税金额",
    "不含税金额",
    "税额",
    "是否封顶",
    "发票号",
    "开票日期",
    "付款日期",
    "违约金/退款抵扣",
    "抵扣条款",
)


def offset_clauses(sheet) -> str:
    """The penalties and refunds a sheet offsets, each with its clause and amount."""
    return "；".join(
        f"{penalty.get_kind_display()} {penalty.clause} {penalty.amount:,.2f}"
        for penalty in sheet.offsets.all()
    )


def ledger_workbook(sheets) -> bytes:
    """One row per sheet, a subtotal row per status (小计, the status in 状态) and a totals row
    (合计); every cell a value, no formula."""
    workbook = Workbook()
    book = workbook.active
    book.title = "结算台账"
    for column, title in enumerate(LEDGER_HEADERS, start=1):
        write_cell(book, 1, column, title).font = Font(bold=True)
    row = 1
    for row, sheet in enumerate(sheets, start=2):
        values = (
            sheet.contract.code,
            sheet.contract.name,
            sheet.contract.vendor.name,
            sheet.order.number,
            f"{sheet.month:%Y-%m}",
            sheet.basis.ledger_label,
            sheet.get_status_display(),
            sheet.base_amount,
            sheet.score,
            sheet.tax_rate,
            sheet.uncapped_incl_tax,
            sheet.payable_incl_tax,
            sheet.payable_excl_tax,
            sheet.tax_amount,
            "是" if sheet.capped else "否",
            sheet.invoice_number,
            sheet.invoiced_on,
            sheet.paid_on,
            -sheet.deductions_incl_tax,
            offset_clauses(sheet),
        )
        for column, value in enumerate(values, start=1):
            cell = write_cell(book, row, column, value)
            if column in (11, 12, 13, 14, 19):
                cell.number_format = "#,##0.00"
    subtotals = [("小计", label, totals) for label, totals in sheet_totals_by_status(sheets)]
    for total_row, (title, status, totals) in enumerate(
        [*subtotals, ("合计", "", sheet_totals(sheets))], start=row + 1
    ):
        write_cell(book, total_row, 1, title).font = Font(bold=True)
        write_cell(book, total_row, 7, status).font = Font(bold=True)
        for column, key in (
            (11, "uncapped"),
            (12, "payable"),
            (13, "excl"),
            (14, "tax"),
            (19, "deductions"),
        ):
            cell = write_cell(book, total_row, column, totals[key] or ZERO)
            cell.font, cell.number_format = Font(bold=True), "#,##0.00"
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQRST",
        (16, 28, 24, 20, 10, 6, 10, 14, 8, 6, 14, 14, 14, 12, 8, 14, 12, 12, 14, 28),
        strict=True,
    ):
        book.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def contract_ledger(contract, user) -> list[tuple]:
    """The ledger of a contract's signed sheets (signed, invoiced, paid) and each signed sheet
    as 附件7, for the zip of the contract's papers (archive.bundle)."""
    sheets = sheet_list(user=user).filter(
        contract_id=contract.pk, status__in=SettlementSheet.SIGNED_STATES
    )
    return [
        (f"结算台账-{contract.code}.xlsx", ledger_workbook(sheets)),
        *(
            (f"附件7 结算单/{sheet}.pdf", partial(sheet_pdf, sheet))
            for sheet in sheets.order_by("month", "order__number", "pk")
        ),
    ]
