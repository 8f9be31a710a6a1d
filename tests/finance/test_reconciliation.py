"""The reconciliation of a contract (4.6, 4.6.5, 4.7): each signed sheet's payable against what
its invoices in force charge and what was paid, every difference with its cause, voided
invoices beside their sheets, what needs a look flagged; the contract's totals reconcile cause
by cause; an invoice whose total is not the sum of its parts is named; the page, its .xlsx and
who may read them."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from finance.models import Invoice, InvoiceSheet
from finance.selectors import reconciliation
from finance.services import invoice_accept_ordinary, invoice_receive
from tests.finance.books import NOVEMBER_27 as TODAY
from tests.finance.books import november_books, signed_sheets  # noqa: F401
from tests.pages import browser
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db


def figures(row) -> tuple:
    return row.payable, row.invoiced, row.paid, row.not_invoiced, row.unpaid


def test_each_sheet_against_its_invoices_and_payments_with_causes_and_flags(books):
    a, b, c = books

    result = reconciliation(contract=a.contract, today=TODAY)

    rows = {row.sheet.pk: row for row in result.rows}
    # A: invoiced and paid in full (20,000.00 + 25,474.95 = 45,474.95).
    assert figures(rows[a.pk]) == (
        Decimal("45474.95"), Decimal("45474.95"), Decimal("45474.95"), 0, 0
    )  # fmt: skip
    assert (rows[a.pk].invoice_cause, rows[a.pk].payment_cause, rows[a.pk].flags) == ("", "", [])
    assert rows[a.pk].sheet.status == "paid"
    # B: invoiced, not paid, not due before 18 December.
    assert figures(rows[b.pk]) == (
        Decimal("9000.00"), Decimal("9000.00"), 0, 0, Decimal("9000.00")
    )  # fmt: skip
    assert (rows[b.pk].invoice_cause, rows[b.pk].payment_cause) == ("", "not_due")
    # C: 18,000.00 − 17,490.56 = 509.44 less, from the 3% rate (4.6.5); its invoice not received
    # (due by 23 November: 10 working days after 9 November), so nothing is due yet.
    assert figures(rows[c.pk]) == (
        Decimal("18000.00"), Decimal("17490.56"), 0, Decimal("509.44"), Decimal("17490.56")
    )  # fmt: skip
    assert (rows[c.pk].invoice_cause, rows[c.pk].payment_cause) == ("rate", "not_received")
    assert [part.invoice.number for part in rows[c.pk].voided] == ["YQ-0002"]
    assert [flag.text for flag in rows[c.pk].flags] == [
        "发票 YQ-0003 为普通发票，尚未认可（4.3）",
        "发票 YQ-0003 税率 3%，结算单税率 6%（4.6.5）",
        "发票 YQ-0003 未收到（应于 2026-11-23 前送达）",
    ]


def test_the_contracts_totals_reconcile_cause_by_cause(books):
    a, _b, _c = books

    result = reconciliation(contract=a.contract, today=TODAY)

    # Signed 45,474.95 + 9,000.00 + 18,000.00 = 72,474.95; invoices in force 54,474.95 +
    # 17,490.56 = 71,965.51 (the void YQ-0002 not counted); paid 45,474.95.
    assert (result.payable, result.invoice_totals, result.paid) == (
        Decimal("72474.95"),
        Decimal("71965.51"),
        Decimal("45474.95"),
    )
    # 72,474.95 − 71,965.51 = 509.44, all of it C's 4.6.5 rate.
    assert result.not_invoiced == Decimal("509.44")
    assert [(c.code, c.amount, c.sheets) for c in result.invoice_causes] == [
        ("rate", Decimal("509.44"), 1)
    ]
    # 71,965.51 − 45,474.95 = 26,490.56 = C's 17,490.56 not received + B's 9,000.00 not due.
    assert result.unpaid == Decimal("26490.56")
    assert [(c.code, c.amount, c.sheets) for c in result.payment_causes] == [
        ("not_received", Decimal("17490.56"), 1),
        ("not_due", Decimal("9000.00"), 1),
    ]
    assert result.invoices_unbalanced == []
    assert not result.balanced


def test_once_past_its_deadline_an_unpaid_sheet_is_overdue(books, finance, procurement, clock):
    """C's invoice received on Monday 30 November falls due on 12 January 2027: 23 working
    days to 31 December, 1 January a holiday, then 4–8 January (28) and 11, 12 January. On
    Monday 21 December B (due 18 December) is overdue; C is not due yet."""
    a, b, c = books
    clock(date(2026, 11, 30))
    replacement = Invoice.objects.get(number="YQ-0003")
    invoice_receive(invoice=replacement, actor=finance, received_on=date(2026, 11, 30))
    invoice_accept_ordinary(invoice=replacement, actor=procurement)

    result = reconciliation(contract=a.contract, today=date(2026, 12, 21))

    rows = {row.sheet.pk: row for row in result.rows}
    assert rows[b.pk].payment_cause == "payment_late"
    assert [flag.text for flag in rows[b.pk].flags] == ["付款已逾期（应于 2026-12-18 前支付）"]
    assert (rows[c.pk].payment_cause, rows[c.pk].sheet.payment_due_by) == (
        "not_due",
        date(2027, 1, 12),
    )
    assert [flag.code for flag in rows[c.pk].flags] == ["rate"]  # accepted, received
    assert [(c.code, c.amount) for c in result.payment_causes] == [
        ("not_due", Decimal("17490.56")),
        ("payment_late", Decimal("9000.00")),
    ]


def test_a_signed_sheet_without_an_invoice_is_owed_by_the_vendor_then_late(sheets):
    """Signed on Monday 2 November, invoiced by Monday 16 November (10 working days)."""
    a, _b, _c = sheets

    on_time = reconciliation(contract=a.contract, today=date(2026, 11, 16))
    late = reconciliation(contract=a.contract, today=date(2026, 11, 17))

    assert {row.invoice_cause for row in on_time.rows} == {"not_invoiced"}
    assert {row.invoice_cause for row in late.rows} == {"invoice_late"}
    assert [(c.code, c.amount, c.sheets) for c in late.invoice_causes] == [
        ("invoice_late", Decimal("72474.95"), 3)
    ]
    assert late.rows[0].flags[0].text == "发票已逾期（应于 2026-11-16 前开具）"


def test_an_invoice_whose_total_is_not_the_sum_of_its_parts_is_named(books):
    """A part changed behind the services' back (a faulty import, a hand-edited row): B's
    share of YQ-0001 made 8,999.00, so the parts add up to 45,474.95 + 8,999.00 = 54,473.95,
    1.00 short of the invoice's 54,474.95. The contract's differences still reconcile: B is
    short 1.00 of invoice, and the invoices charge 1.00 that no sheet owes."""
    a, b, _c = books
    InvoiceSheet.objects.filter(sheet=b, invoice__number="YQ-0001").update(
        amount_incl_tax=Decimal("8999.00")
    )

    result = reconciliation(contract=a.contract, today=TODAY)

    assert [(i.number, incl) for i, incl, _excl in result.invoices_unbalanced] == [
        ("YQ-0001", Decimal("54473.95"))
    ]
    # Signed − invoiced, 509.44 as before: 509.44 (C's rate) + 1.00 (B's part short, all of
    # it tax: its amount excl. tax is whole) − 1.00 (the invoice beyond its parts).
    assert [(c.code, c.amount) for c in result.invoice_causes] == [
        ("rate", Decimal("509.44")),
        ("tax_as_printed", Decimal("1.00")),
        ("unbalanced", Decimal("-1.00")),
    ]
    # Invoiced − paid, 26,490.56 as before: 17,490.56 + 8,999.00 + 1.00.
    assert [(c.code, c.amount) for c in result.payment_causes] == [
        ("not_received", Decimal("17490.56")),
        ("not_due", Decimal("8999.00")),
        ("unbalanced", Decimal("1.00")),
    ]


def test_the_page_and_its_workbook(books, finance):
    a, _b, c = books
    client = browser(finance)

    page = client.get(f"/finance/reconciliation/?contract={a.contract_id}")
    download = client.get(f"/finance/reconciliation/?contract={a.contract_id}&export=xlsx")

    html = page.content.decode()
    assert page.status_code == 200
    assert "¥72,474.95" in html and "¥71,965.51" in html and "¥26,490.56" in html
    assert "按其他税率开票：不含税金额加发票税额（4.6.5）" in html
    assert "YQ-0002" in html and "税率应为3%" in html  # the void invoice, with its reason
    book = load_workbook(io.BytesIO(download.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "结算单", "状态", "签署含税金额", "发票", "已开票含税金额", "已付款", "签署−开票",
        "开票−付款",
    )  # fmt: skip
    by_sheet = {row[0]: row for row in rows[1:]}
    assert by_sheet[str(c)][2:8] == (18000, "YQ-0003", 17490.56, 0, 509.44, 17490.56)
    assert rows[-1][:8] == ("合计", None, 72474.95, None, 71965.51, 45474.95, 509.44, 26490.56)
    totals = {r[0].strip(): r[1] for r in book.worksheets[1].iter_rows(values_only=True) if r[0]}
    assert totals["已签署结算单合计"] == 72474.95
    assert totals["有效发票合计（票面）"] == 71965.51
    assert totals["付款合计"] == 45474.95


def test_the_vendor_reads_its_own_contracts_reconciliation_and_no_other(
    books, vendor_pm, other_vendor_pm
):
    url = f"/finance/reconciliation/?contract={books[0].contract_id}"

    assert browser(vendor_pm).get(url).status_code == 200
    assert browser(other_vendor_pm).get(url).status_code == 404
    assert browser(other_vendor_pm).get(f"{url}&export=xlsx").status_code == 404
