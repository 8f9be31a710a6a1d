"""The invoice and payment lists: filtered by contract, vendor, status, type, receipt and dates,
sorted by a column, exported to Excel with the same selection (read back with openpyxl); a
vendor's PM lists its own invoices and payments and never another vendor's; the queries do not
grow with the page."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from finance.models import Invoice
from finance.services import invoice_void
from tests.finance.books import DECEMBER_17, december_books, signed_sheets  # noqa: F401
from tests.pages import browser
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(december, clock):
    clock(DECEMBER_17)
    return december


def numbers(response) -> list[str]:
    assert response.status_code == 200
    return [invoice.number for invoice in response.context["page"]]


def test_invoices_filtered_by_contract_vendor_status_type_receipt_and_dates(lists, finance):
    a, _b, _c, d = lists
    client = browser(finance)
    wrong = Invoice.objects.get(number="YQ-0104")
    invoice_void(invoice=wrong, actor=finance, reason="金额有误")

    # Newest first: issued 16 December, 13, 5 (twice) and 4 November.
    assert numbers(client.get("/finance/invoices/")) == [
        "YQ-0104", "YQ-0103", "YD-0201", "YQ-0102", "YQ-0101",
    ]  # fmt: skip
    assert numbers(client.get(f"/finance/invoices/?contract={d.contract_id}")) == ["YD-0201"]
    assert numbers(client.get(f"/finance/invoices/?vendor={a.contract.vendor_id}")) == [
        "YQ-0104", "YQ-0103", "YQ-0102", "YQ-0101",
    ]  # fmt: skip
    assert numbers(client.get("/finance/invoices/?status=void")) == ["YQ-0104"]
    assert numbers(client.get("/finance/invoices/?received=false")) == ["YQ-0104"]
    assert numbers(
        client.get("/finance/invoices/?issued_from=2026-11-05&issued_to=2026-11-13&ordering=number")
    ) == ["YD-0201", "YQ-0102", "YQ-0103"]
    assert numbers(client.get(f"/finance/invoices/?sheet={a.pk}")) == ["YQ-0101"]
    page = client.get("/finance/invoices/?status=void").content.decode()
    assert "金额有误" in page  # a void invoice says why


def test_the_invoice_export_holds_the_selection_as_typed(lists, finance):
    _a, _b, c, _d = lists

    download = browser(finance).get(f"/finance/invoices/?sheet={c.pk}&ordering=number&export=xlsx")

    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "发票号", "发票代码", "合同", "乙方", "结算单", "发票类型", "开票日期", "收票日期",
        "不含税金额", "税率", "税额", "发票总额", "送达期限", "付款截止日", "状态",
    )  # fmt: skip
    # YQ-0103: 9,433.96 + 566.04 = 10,000.00, received 13 November, payable by 25 December.
    assert rows[1][0] == "YQ-0103" and rows[1][4] == str(c)
    assert rows[1][8:12] == (9433.96, 0.06, 566.04, 10000)
    assert rows[1][7].date() == date(2026, 11, 13)
    assert rows[1][13].date() == date(2026, 12, 25)
    # YQ-0104, the rest: 7,547.17 + 452.83 = 8,000.00, not received.
    assert rows[2][0] == "YQ-0104" and rows[2][7] is None and rows[2][11] == 8000
    assert len(rows) == 3


def test_payments_filtered_and_totalled_and_exported(lists, finance):
    a, _b, c, _d = lists
    client = browser(finance)

    every = client.get("/finance/payments/")
    december = client.get("/finance/payments/?paid_from=2026-12-01&paid_to=2026-12-31")
    bills = client.get(f"/finance/payments/?method=acceptance_bill&contract={c.contract_id}")
    download = client.get(f"/finance/payments/?sheet={a.pk}&ordering=paid_on&export=xlsx")

    # 5,000.00 + 20,000.00 + 6,000.00 = 31,000.00; December's 20,000.00 + 6,000.00 = 26,000.00.
    assert [p.voucher_number for p in every.context["page"]] == ["记-1215", "记-1210", "记-1130"]
    assert str(every.context["total"]) == "31000.00"
    assert str(december.context["total"]) == "26000.00"
    assert [p.bill_number for p in bills.context["page"]] == ["BA-20261215"]
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert [(row[0].date(), row[7], row[8]) for row in rows[1:]] == [
        (date(2026, 11, 30), 5000, "记-1130"),
        (date(2026, 12, 10), 20000, "记-1210"),
    ]


def test_a_vendor_lists_its_own_invoices_and_payments_only(lists, vendor_pm, other_vendor_pm):
    _a, _b, c, d = lists
    mine, theirs = browser(vendor_pm), browser(other_vendor_pm)

    assert numbers(mine.get("/finance/invoices/")) == ["YQ-0104", "YQ-0103", "YQ-0102", "YQ-0101"]
    assert numbers(theirs.get("/finance/invoices/")) == ["YD-0201"]
    assert [p.voucher_number for p in theirs.get("/finance/payments/").context["page"]] == []
    # Another vendor's contract, sheet or vendor is no choice: refused, nothing listed or sent.
    for url in (
        f"/finance/invoices/?contract={c.contract_id}",
        f"/finance/invoices/?sheet={c.pk}&export=xlsx",
        f"/finance/payments/?vendor={c.contract.vendor_id}",
    ):
        refused = theirs.get(url)
        assert refused.status_code == 400, url
        assert not refused.get("Content-Disposition")
    export = theirs.get("/finance/invoices/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["YD-0201"]
    assert d.contract.code in rows[1]


def test_list_queries_do_not_grow_with_the_page(lists, finance):
    client = browser(finance)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), len(response.context["page"].object_list)

    for url in ("/finance/invoices/", "/finance/payments/"):
        one, rows_one = queries(f"{url}?page_size=1")
        many, rows_many = queries(f"{url}?page_size=100")
        assert rows_many > rows_one == 1, url
        assert many == one, url
