"""One month of finance in Chromium (issue 21), December 2026 on the demo, from sheets signed to
every sheet of contract 003 paid, entirely in the portal: September signed; the vendor puts
August and September on one invoice, which finance finds wrong on paper, voids and replaces
with the corrected one the vendor sends; finance records its receipt, pays July's rest, August
by bank acceptance bill and September in two transfers; procurement accepts July's ordinary
invoice. Then the finance home owes nothing and the contract's reconciliation shows no
difference. Each deadline is counted by hand on the calendar (December 2026 has no holiday; 1
January 2027 is one)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from finance.models import Invoice, Payment
from orders.models import Order
from settlement.models import SettlementSheet
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen

JULY, AUGUST, SEPTEMBER = date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)


def as_user(browser, live_server, clock, day, username):
    """`username` logged in on `day` (a new page: a month outlives the two-week session);
    every confirmation the page asks is accepted."""
    clock(day)
    page = login(browser, live_server, username)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def panel_invoice(page, *, number, issued_on, incl, excl, tax, companion=None, replaces=None):
    """The sheet page's invoice form (opened when the sheet has invoices), typed as printed."""
    if not page.is_visible("#invoice"):
        page.click("#finance summary:has-text('登记发票')")
    if companion is not None:
        page.check(f"#invoice input[name=sheets][value='{companion.pk}']")
    if replaces is not None:
        page.select_option("#invoice select[name=replaces]", str(replaces.pk))
    page.fill("#invoice input[name=number]", number)
    page.fill("#invoice input[name=issued_on]", issued_on)
    page.fill("#invoice input[name=amount_incl_tax]", incl)
    page.fill("#invoice input[name=amount_excl_tax]", excl)
    page.fill("#invoice input[name=tax_amount]", tax)
    page.click("#invoice button.primary")
    page.wait_for_selector(f"text=发票 {number} 已登记")


def panel_payment(page, *, paid_on, amount, voucher, bill=None):
    page.fill("#payment input[name=paid_on]", paid_on)
    page.fill("#payment input[name=amount]", amount)
    page.fill("#payment input[name=voucher_number]", voucher)
    if bill is not None:
        number, maturity, terms = bill
        page.select_option("#payment select[name=method]", "acceptance_bill")
        page.fill("#payment input[name=bill_number]", number)
        page.fill("#payment input[name=bill_maturity]", maturity)
        page.fill("#payment [name=bill_discount_terms]", terms)
    page.click("#payment button.primary")
    page.wait_for_selector(f"text=付款 {Decimal(amount):,.2f} 元已登记")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_month_from_sheets_signed_to_every_sheet_paid(live_server, browser, clock):
    clock(date(2026, 11, 30))  # a Monday: the demo signs August today
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(number="MGYY-2026-003-001")
    sheets = {s.month: s for s in SettlementSheet.objects.filter(order=order, kind="month")}
    july, august, september = sheets[JULY], sheets[AUGUST], sheets[SEPTEMBER]
    url = f"{live_server.url}/settlements/{{}}/".format
    assert (july.status, august.status, september.status) == ("invoiced", "signed", "draft")

    # Tuesday 1 December: the vendor confirms September, procurement signs it. The invoice is
    # due 10 working days later: 2–4 December 3, 7–11 December 8, 14 and 15 December.
    vendor = as_user(browser, live_server, clock, date(2026, 12, 1), "yunqi_pm")
    vendor.goto(url(september.pk))
    vendor.click("form[data-step=confirm] button")
    vendor.wait_for_selector("text=结算单已确认")
    buyer = as_user(browser, live_server, clock, date(2026, 12, 1), "caigou")
    buyer.goto(url(september.pk))
    buyer.click("form[data-step=sign] button")
    buyer.wait_for_selector("text=结算单已签署")
    september.refresh_from_db()
    assert (september.status, september.invoice_due_by) == ("signed", date(2026, 12, 15))

    # Wednesday 2 December: the vendor puts August and September on one invoice:
    # September is 64,713.75 less the demo's decided 7.2 penalty of 6,000.00 (demo/penalties.py):
    # 58,713.75, excl. 58,713.75 / 1.06 = 55,390.33. 67,861.99 + 58,713.75 = 126,575.74 incl.;
    # 64,020.75 + 55,390.33 = 119,411.08 excl.; tax 126,575.74 − 119,411.08 = 7,164.66.
    vendor = as_user(browser, live_server, clock, date(2026, 12, 2), "yunqi_pm")
    vendor.goto(url(august.pk))
    panel_invoice(
        vendor,
        number="26512000000011110001",
        issued_on="2026-12-02",
        incl="126575.74",
        excl="119411.08",
        tax="7164.66",
        companion=september,
    )
    wrong = Invoice.objects.get(number="26512000000011110001")
    # Delivered within 10 working days of its issue (4.7): 3–4 December 2, 7–11 December 7,
    # 14–16 December 10.
    assert wrong.delivery_due_by == date(2026, 12, 16)
    assert sorted(wrong.parts.values_list("amount_incl_tax", flat=True)) == [
        Decimal("58713.75"),
        Decimal("67861.99"),
    ]

    # Thursday 3 December: the paper arrives with the service period printed wrong. Finance
    # voids it (红字) and records the corrected one the vendor issued today, replacing it.
    finance = as_user(browser, live_server, clock, date(2026, 12, 3), "caiwu")
    finance.goto(url(august.pk))
    finance.click("#sheet-invoices summary:has-text('作废（红字）')")
    finance.fill("#sheet-invoices input[name=reason]", "备注栏服务期间有误，乙方已开红字发票")
    finance.click("#sheet-invoices button:has-text('作废发票')")
    finance.wait_for_selector("text=发票已作废")
    august.refresh_from_db()
    assert august.status == "signed"  # uncovered, waiting for its invoice again
    finance.goto(url(august.pk))
    panel_invoice(
        finance,
        number="26512000000011110002",
        issued_on="2026-12-03",
        incl="126575.74",
        excl="119411.08",
        tax="7164.66",
        companion=september,
        replaces=wrong,
    )
    right = Invoice.objects.get(number="26512000000011110002")
    # 4 December 1, 7–11 December 6, 14–17 December 10.
    assert (right.replaces, right.delivery_due_by) == (wrong, date(2026, 12, 17))
    shot(finance, "finance-month-sheet-invoiced")

    # Friday 4 December: finance records its receipt. Payment falls due 30 working days later
    # (4.6): 7–11, 14–18 and 21–25 December 15, 28–31 December 19, 1 January a holiday, 4–8
    # and 11–15 January 29, Monday 18 January 2027 (a provisional year). Finance also pays
    # July's rest: 66,112.97 − 30,000.00 = 36,112.97.
    finance = as_user(browser, live_server, clock, date(2026, 12, 4), "caiwu")
    finance.goto(url(august.pk))
    finance.fill("#sheet-invoices input[name=received_on]", "2026-12-04")
    finance.click("#sheet-invoices button:has-text('已收到')")
    finance.wait_for_selector("text=收票日期已登记")
    right.refresh_from_db()
    assert right.payment_due_by == date(2027, 1, 18)
    september.refresh_from_db()
    assert (september.status, september.payment_due_by) == ("invoiced", date(2027, 1, 18))
    finance.goto(url(july.pk))
    panel_payment(finance, paid_on="2026-12-04", amount="36112.97", voucher="记-2026-12-008")

    # Procurement accepts July's ordinary invoice, where 4.3 expects a special one.
    buyer = as_user(browser, live_server, clock, date(2026, 12, 4), "caigou")
    buyer.goto(f"{live_server.url}/invoices/{Invoice.objects.get(number='INV20260701').pk}/")
    buyer.click("form[data-step=accept-ordinary] button")
    buyer.wait_for_selector("text=已接受该普通发票")

    # Tuesday 15 December: August by a six-month bank acceptance bill.
    finance = as_user(browser, live_server, clock, date(2026, 12, 15), "caiwu")
    finance.goto(url(august.pk))
    panel_payment(
        finance,
        paid_on="2026-12-15",
        amount="67861.99",
        voucher="记-2026-12-015",
        bill=("131058400001720261215000000001", "2027-06-15", "6个月期，到期无条件付款"),
    )

    # Friday 18 December: September's first part; 58,713.75 − 30,000.00 = 28,713.75 left, due
    # on 18 January, so not this week's or next week's.
    finance = as_user(browser, live_server, clock, date(2026, 12, 18), "caiwu")
    finance.goto(url(september.pk))
    panel_payment(finance, paid_on="2026-12-18", amount="30000.00", voucher="记-2026-12-031")
    assert finance.inner_text("#left-to-pay") == "¥28,713.75"
    finance.goto(f"{live_server.url}/finance/")
    assert finance.inner_text("#next_week .section-total") == "合计 ¥0.00"

    # Thursday 31 December: September's rest. Every sheet of 003 is paid.
    finance = as_user(browser, live_server, clock, date(2026, 12, 31), "caiwu")
    finance.goto(url(september.pk))
    panel_payment(finance, paid_on="2026-12-31", amount="28713.75", voucher="记-2026-12-058")
    statuses = set(SettlementSheet.objects.filter(order=order).values_list("status", flat=True))
    assert statuses == {"paid"}
    bill = Payment.objects.get(sheet=august)
    assert (bill.method, bill.bill_number, bill.bill_maturity) == (
        "acceptance_bill",
        "131058400001720261215000000001",
        date(2027, 6, 15),
    )

    # The finance home owes nothing; December paid 36,112.97 + 67,861.99 + 30,000.00 +
    # 28,713.75 = 162,688.71.
    finance.goto(f"{live_server.url}/finance/")
    for section in ("overdue", "this_week", "next_week", "not_received"):
        assert finance.inner_text(f"#{section} .section-total") == "合计 ¥0.00", section
    assert finance.inner_text("#paid .section-total") == "合计 ¥162,688.71"
    shot(finance, "finance-month-home")

    # The reconciliation: February to September signed 55,548.36 + 65,763.16 + 67,861.99 +
    # 62,698.21 + 68,561.59 + 66,112.97 + 67,861.99 + 58,713.75 = 513,122.02, and the design
    # order's July to September (demo/portfolio.py) 20,370.00 + 20,265.00 + 20,580.00 =
    # 61,215.00: 574,337.02, invoiced and paid to the cent; the voided invoice stays beside its
    # sheets.
    finance.goto(f"{live_server.url}/finance/reconciliation/?contract={order.contract_id}")
    totals = finance.inner_text("#reconciliation-totals")
    assert totals.count("¥574,337.02") == 3
    assert "所有已签署结算单均已足额开票并付清" in totals
    assert finance.inner_text("#differences").count("¥0.00") == 2
    assert "26512000000011110001" in finance.inner_text(f"#sheet-{september.pk}")
    assert finance.locator("[data-flag]").count() == 0
    shot(finance, "finance-month-reconciliation")
    with finance.expect_download() as download:
        finance.click("a:has-text('导出 Excel')")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    last = list(book.worksheets[0].iter_rows(values_only=True))[-1]
    assert last[:8] == ("合计", None, 574337.02, None, 574337.02, 574337.02, 0, 0)

    # On a phone the home and the reconciliation scroll inside their tables only.
    phone = login(browser, live_server, "caiwu", phone=True)
    for path in ("/finance/", f"/finance/reconciliation/?contract={order.contract_id}"):
        phone.goto(f"{live_server.url}{path}")
        assert wider_than_screen(phone) == [], path
    shot(phone, "finance-month-reconciliation-phone")
    assert VIOLATIONS == []
