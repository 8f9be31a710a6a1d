"""Invoices as finance and the vendor enter them: never dated after today, typed with
thousands separators, corrected with a reason (kept in the sheet's history) until the sheet is
paid, then refused as a conflict."""

from datetime import date
from decimal import Decimal

import pytest

from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm, sheet_invoice, sheet_pay
from tests.pages import browser
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # a Friday
FUTURE = "开票日期 2026-11-21 晚于今天（2026-11-20），请填写发票的实际开具日期。"


@pytest.fixture
def signed(worked_example, procurement, vendor_pm, clock):
    """The worked example's October sheet, signed: payable 45,474.95."""
    clock(TODAY)
    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    return sheet_confirm(sheet=sheet, actor=procurement)


def test_an_invoice_dated_after_today_is_refused_on_the_page_and_in_the_api(
    signed, finance, vendor_pm, api
):
    url = f"/settlements/{signed.pk}/"
    typed = {"number": "INV-1", "invoiced_on": "2026-11-21", "amount": "45,474.95"}

    page = browser(finance).post(f"{url}invoice/", typed, follow=True).content.decode()
    answer = api(vendor_pm).post(
        f"/api/v1/settlements/{signed.pk}/invoice/",
        {**typed, "invoiced_on": "2027-11-20"},
        format="json",
    )

    assert FUTURE in page
    assert answer.status_code == 400
    assert answer.json() == {
        "invoiced_on": ["开票日期 2027-11-20 晚于今天（2026-11-20），请填写发票的实际开具日期。"]
    }
    signed.refresh_from_db()
    assert (signed.status, signed.invoice_number, signed.invoiced_on) == ("signed", "", None)


def test_finance_records_an_invoice_dated_today_typed_with_thousands_separators(signed, finance):
    page = browser(finance).post(
        f"/settlements/{signed.pk}/invoice/",
        {"number": "INV-1", "invoiced_on": "2026-11-20", "amount": "45,474.95"},
        follow=True,
    )

    assert "发票已登记。" in page.content.decode()
    signed.refresh_from_db()
    # 30 working days after Friday 20 November 2026: 5 a week from 23 November to
    # 31 December is 29; 1 January 2027 is a holiday; Monday 4 January is the 30th.
    assert (signed.status, signed.invoice_amount, signed.payment_due_by) == (
        "invoiced",
        Decimal("45474.95"),
        date(2027, 1, 4),
    )


@pytest.mark.parametrize("amount", ["45,474.95", "45，474.95", 45474.95, "45474.95"])
def test_the_api_takes_the_amount_as_text_with_separators_or_as_a_json_number(
    signed, vendor_pm, api, amount
):
    answer = api(vendor_pm).post(
        f"/api/v1/settlements/{signed.pk}/invoice/",
        {"number": "INV-1", "invoiced_on": "2026-11-20", "amount": amount},
        format="json",
    )

    assert answer.status_code == 200
    assert answer.json()["invoice_amount"] == "45474.95"


def test_a_wrong_invoice_is_corrected_with_a_reason_kept_in_the_history(
    signed, finance, vendor_pm, api
):
    sheet_invoice(
        sheet=signed, number="INV-1", invoiced_on=date(2026, 11, 12), amount=Decimal("45474.95")
    )
    url = f"/settlements/{signed.pk}/"
    corrected = {"number": "INV-0001", "invoiced_on": "2026-11-13", "amount": "45,474.95"}
    client = browser(finance)

    without_reason = client.post(
        f"{url}correct-invoice/", {**corrected, "reason": " "}, follow=True
    )
    page = client.post(
        f"{url}correct-invoice/",
        {**corrected, "reason": "发票号漏了前导零，开票日为13日"},
        follow=True,
    ).content.decode()

    assert "请填写更正原因（最多 100 个字）。" in without_reason.content.decode()
    assert "发票信息已更正。" in page
    signed.refresh_from_db()
    # 30 working days after Friday 13 November 2026: Friday 25 December.
    assert (signed.invoice_number, signed.invoiced_on, signed.payment_due_by) == (
        "INV-0001",
        date(2026, 11, 13),
        date(2026, 12, 25),
    )
    record = signed.history.first()
    assert (record.history_change_reason, record.history_user) == (
        "发票号漏了前导零，开票日为13日",
        finance,
    )
    # The sheet's history shows the old and new values, who and why.
    assert "<s>INV-1</s> → INV-0001" in page
    assert "<s>2026-11-12</s> → 2026-11-13" in page
    assert "原因</span>：发票号漏了前导零，开票日为13日" in page
    history = api(finance).get(f"/api/v1/settlements/{signed.pk}/history/").json()
    assert history[0]["reason"] == "发票号漏了前导零，开票日为13日"
    assert {"field": "发票号", "old": "INV-1", "new": "INV-0001"} in history[0]["changes"]

    # The same values again change nothing: refused, nothing recorded.
    records = signed.history.count()
    same = api(vendor_pm).post(
        f"/api/v1/settlements/{signed.pk}/correct-invoice/", {**corrected, "reason": "再改一次"}
    )
    assert (same.status_code, same.json()) == (
        400,
        {"detail": "更正内容与现有发票信息相同，无需更正。"},
    )
    assert signed.history.count() == records


def test_once_paid_the_invoice_is_no_longer_corrected(signed, finance, vendor_pm, api):
    sheet = sheet_invoice(
        sheet=signed, number="INV-1", invoiced_on=date(2026, 11, 12), amount=Decimal("45474.95")
    )
    sheet_pay(sheet=sheet, paid_on=date(2026, 11, 20))

    answer = api(vendor_pm).post(
        f"/api/v1/settlements/{sheet.pk}/correct-invoice/",
        {"number": "INV-2", "invoiced_on": "2026-11-12", "amount": "45474.95", "reason": "改号"},
    )

    assert answer.status_code == 409
    assert answer.json() == {"detail": f"结算单 {sheet} 状态为“已付款”，当前不能执行该操作。"}
    assert (
        'id="correct-invoice"'
        not in browser(finance).get(f"/settlements/{sheet.pk}/").content.decode()
    )
    sheet.refresh_from_db()
    assert sheet.invoice_number == "INV-1"
