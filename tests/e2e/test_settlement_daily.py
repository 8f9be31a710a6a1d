"""Settlement sheets in Chromium as procurement, a vendor PM and finance use them (issue 19):
computing October says what it made and why it skipped each order; the vendor's confirmation
asks first with the real figures, and the page never says there is nothing to do beside a
button waiting; finance types an invoice with thousands separators, is refused a date ahead,
voids it (红字) with a reason and records it again in its place, both kept; the ledger holds
the signed money only and a draft's PDF says 草稿."""

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from orders.models import Order
from settlement.models import SettlementSheet
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen
from tests.pdf import pdf_text

OCTOBER = date(2026, 10, 1)
AUGUST = date(2026, 8, 1)


def answering(page) -> list[str]:
    """Accepts every confirmation the page asks, keeping what it said."""
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return asked


def compute(page, live_server, month: str) -> str:
    """Procurement computes a month on the settlement list and reads what it did."""
    page.goto(f"{live_server.url}/settlements/")
    page.fill("#compute input[name=month]", month)
    with page.expect_navigation(timeout=60_000):  # the progress bar ends, the page reloads
        page.click("#compute button")
    return page.inner_text("#compute-summary")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_month_of_settlement_work(live_server, browser, celery_worker, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(number="MGYY-2026-003-001")
    items = Order.objects.get(number="MGYY-2026-002-001")

    # Procurement approves October's log, then computes October: nothing is made, and the
    # summary says why for each order.
    buyer = login(browser, live_server, "caigou")
    answering(buyer)
    buyer.goto(f"{live_server.url}/orders/{order.pk}/worklog/2026-10/")
    buyer.click("button:has-text('批准')")
    buyer.wait_for_selector("text=工作量记录已批准")
    summary = compute(buyer, live_server, "2026-10")
    assert "2026-10：新建结算单 0 张，更新 0 张，无变化 0 张；跳过 3 个订单。" in summary
    assert f"{order.number}：考核结果待乙方确认" in summary
    assert "MGYY-2026-003-003：考核结果尚未发布" in summary  # the design order (demo/portfolio.py)
    assert f"{items.number}：工作量记录为“已提交”，尚未批准" in summary
    assert not SettlementSheet.objects.filter(month=OCTOBER).exists()
    shot(buyer, "settlement-compute-summary")

    # The vendor confirms October's score; computed again, the sheet is made.
    vendor = login(browser, live_server, "yunqi_pm")
    vendor_asked = answering(vendor)
    vendor.goto(f"{live_server.url}/orders/{order.pk}/assessment/2026-10/")
    vendor.click("button:has-text('确认考核结果')")
    vendor.wait_for_selector("text=您已确认考核结果")
    summary = compute(buyer, live_server, "2026-10")
    assert "2026-10：新建结算单 1 张，更新 0 张，无变化 0 张；跳过 2 个订单。" in summary
    assert f"{items.number}：工作量记录为“已提交”，尚未批准" in summary
    sheet = SettlementSheet.objects.get(order=order, month=OCTOBER)
    # 18 working days each (October 2026 has 18) at 900.00 + 800.00 (产品/平台服务 高级, 中级)
    # + 621.69 + 1,200.00 (技术支持 初级, 高级 at supplementary agreement 1's price from October)
    # = 18 × 3,521.69 = 63,390.42; scored 95: 60,220.899 → 60,220.90 payable;
    # / 1.06 = 56,812.169… → 56,812.17; tax 3,408.73.
    assert (sheet.status, sheet.base_amount, sheet.payable_incl_tax, sheet.tax_amount) == (
        "draft",
        Decimal("63390.42"),
        Decimal("60220.90"),
        Decimal("3408.73"),
    )

    # The vendor opens the draft: the page says what waits on them, the button asks first.
    vendor.goto(f"{live_server.url}/settlements/{sheet.pk}/")
    assert "当前无需您处理" not in vendor.inner_text("main")
    assert (
        vendor.inner_text("#next-step .waiting")
        == "请核对金额后点击上方“乙方确认”，确认后由甲方签署。"
    )
    vendor.click("button:has-text('乙方确认')")
    vendor.wait_for_selector("text=结算单已确认")
    assert vendor_asked == [
        "确认本结算单：应付含税 60,220.90 元（确认时按本月最新的工作量记录和考核结果重算）。"
        "确认后，本月工作量记录和考核结果将被锁定，不能再退回或重新评分，结算单提交甲方签署。"
        "确定确认吗？"
    ]
    assert vendor.inner_text("#next-step .waiting") == "等待甲方签署结算单。"
    sheet.refresh_from_db()
    assert sheet.status == "vendor_confirmed"

    # Finance records August's invoice in the sheet's finance panel as typed: 67,861.99 with
    # its separator. A date a year ahead is refused, in Chinese, and nothing is recorded.
    august = SettlementSheet.objects.get(order=order, month=AUGUST)
    assert august.payable_incl_tax == Decimal("67861.99")
    finance = login(browser, live_server, "caiwu")
    answering(finance)
    finance.goto(f"{live_server.url}/settlements/{august.pk}/")
    ahead, today = timezone.localdate() + timedelta(days=365), timezone.localdate()
    finance.fill("#invoice input[name=number]", "25442000000012345678")
    finance.fill("#invoice input[name=issued_on]", f"{ahead:%Y-%m-%d}")
    finance.fill("#invoice input[name=amount_incl_tax]", "67,861.99")
    finance.click("#invoice button")
    finance.wait_for_selector(
        f"text=开票日期 {ahead:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），请填写发票的实际开具日期。"
    )
    august.refresh_from_db()
    assert (august.status, august.invoice_number) == ("signed", "")
    finance.fill("#invoice input[name=number]", "25442000000012345678")
    finance.fill("#invoice input[name=issued_on]", f"{today:%Y-%m-%d}")
    finance.fill("#invoice input[name=amount_incl_tax]", "67,861.99")
    finance.click("#invoice button")
    finance.wait_for_selector("text=发票 25442000000012345678 已登记")
    august.refresh_from_db()
    assert (august.status, august.invoice_amount, august.invoiced_on) == (
        "invoiced",
        Decimal("67861.99"),
        today,
    )

    # The number was typed with its last two digits swapped: voided (红字) with the reason and
    # recorded again in its place; both stay.
    finance.click("#sheet-invoices summary:has-text('作废（红字）')")
    finance.fill("#sheet-invoices input[name=reason]", "发票号码末两位录入颠倒")
    finance.click("#sheet-invoices button:has-text('作废发票')")
    finance.wait_for_selector("text=发票已作废")
    finance.fill("#invoice input[name=number]", "25442000000012345687")
    finance.fill("#invoice input[name=issued_on]", f"{today:%Y-%m-%d}")
    finance.select_option("#invoice select[name=replaces]", label="25442000000012345678")
    finance.click("#invoice button")
    finance.wait_for_selector("text=发票 25442000000012345687 已登记")
    invoices = finance.inner_text("#sheet-invoices")
    assert "发票号码末两位录入颠倒" in invoices
    assert "重开自 25442000000012345678" in invoices
    august.refresh_from_db()
    assert (august.status, august.invoice_number) == ("invoiced", "25442000000012345687")
    shot(finance, "settlement-sheet-desktop")

    # The ledger as downloaded with the statuses chosen by default: signed and later only.
    finance.goto(f"{live_server.url}/settlements/")
    with finance.expect_download() as ledger:
        finance.click("#export button")
    book = load_workbook(io.BytesIO(Path(ledger.value.path()).read_bytes())).active
    rows = list(book.iter_rows(min_row=2, values_only=True))
    sheets = [row for row in rows if row[0] not in ("小计", "合计")]
    assert {row[6] for row in sheets} == {"已签署", "已开票", "已付款"}
    assert (order.number, "2026-09") not in {(row[3], row[4]) for row in sheets}  # a draft
    assert (order.number, "2026-10") not in {(row[3], row[4]) for row in sheets}  # confirmed
    # Paid: February to June, 55,548.36 + 65,763.16 + 67,861.99 + 62,698.21 + 68,561.59
    # = 320,433.31, and the months of demo/portfolio.py: 003's design order 61,215.00, 001's
    # quarter 77,235.00 and 000's 125,762.75 (tests/e2e/test_reports.py): 584,646.06.
    # Invoiced: July 66,112.97 + August 67,861.99 = 133,974.96. Signed: 002's August,
    # 8,831.30. In all 727,452.32.
    assert [(row[0], row[6], Decimal(str(row[11]))) for row in rows[len(sheets) :]] == [
        ("小计", "已签署", Decimal("8831.30")),
        ("小计", "已开票", Decimal("133974.96")),
        ("小计", "已付款", Decimal("584646.06")),
        ("合计", None, Decimal("727452.32")),
    ]

    # September's draft, downloaded as a PDF, says so on its pages.
    september = SettlementSheet.objects.get(order=order, month=date(2026, 9, 1))
    assert september.status == "draft"
    finance.goto(f"{live_server.url}/settlements/{september.pk}/")
    with finance.expect_download() as pdf:
        finance.click("text=下载 PDF")
    assert "草稿DRAFT" in pdf_text(Path(pdf.value.path()).read_bytes(), raw=True)

    # On a phone the sheet page fits the screen.
    phone = login(browser, live_server, "caiwu", phone=True)
    phone.goto(f"{live_server.url}/settlements/{august.pk}/")
    assert wider_than_screen(phone) == []
    shot(phone, "settlement-sheet-phone")
    assert VIOLATIONS == []
