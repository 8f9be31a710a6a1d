"""The sheet's own `invoice/`, `correct-invoice/` and `pay/`, as old API clients post them, still
work on top of finance's invoices and payments: an invoice of the whole sheet (never dated after
today, typed with thousands separators), its correction (the invoice voided with the reason and
replaced, both kept) until the sheet is paid, then refused as a conflict."""

from datetime import date
from decimal import Decimal

import pytest

from finance.models import Invoice
from finance.services import sheet_invoice, sheet_pay
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # a Friday


@pytest.fixture
def signed(worked_example, procurement, vendor_pm, clock):
    """The worked example's October sheet, signed on TODAY: payable 45,474.95."""
    clock(TODAY)
    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    return sheet_confirm(sheet=sheet, actor=procurement)


def test_an_invoice_dated_after_today_is_refused_under_its_old_name(signed, vendor_pm, api):
    answer = api(vendor_pm).post(
        f"/api/v1/settlements/{signed.pk}/invoice/",
        {"number": "INV-1", "invoiced_on": "2027-11-20", "amount": "45,474.95"},
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "invoiced_on": ["开票日期 2027-11-20 晚于今天（2026-11-20），请填写发票的实际开具日期。"]
    }
    signed.refresh_from_db()
    assert (signed.status, signed.invoice_number, signed.invoiced_on) == ("signed", "", None)
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("amount", ["45,474.95", "45，474.95", 45474.95, "45474.95"])
def test_the_api_takes_the_amount_as_text_with_separators_or_as_a_json_number(
    signed, finance, api, amount
):
    """Finance's is received the day it is issued, as the old action counted (a vendor's waits
    for finance to record its receipt, 4.6): 30 working days after Friday
    20 November 2026, 5 a week from 23 November to 31 December is 29; 1 January 2027 is a
    holiday; Monday 4 January is the 30th."""
    answer = api(finance).post(
        f"/api/v1/settlements/{signed.pk}/invoice/",
        {"number": "INV-1", "invoiced_on": "2026-11-20", "amount": amount},
        format="json",
    )

    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["invoice_amount"], body["payment_due_by"]) == (
        "invoiced",
        "45474.95",
        "2027-01-04",
    )
    recorded = Invoice.objects.get()
    assert (recorded.kind, recorded.amount_excl_tax, recorded.tax_amount) == (
        "special",
        Decimal("42900.90"),
        Decimal("2574.05"),
    )


def test_a_wrong_invoice_is_corrected_by_voiding_it_with_the_reason(
    signed, finance, vendor_pm, api
):
    sheet_invoice(
        sheet=signed,
        actor=vendor_pm,
        number="INV-1",
        invoiced_on=date(2026, 11, 20),
        amount=Decimal("45474.95"),
    )
    url = f"/api/v1/settlements/{signed.pk}/correct-invoice/"
    corrected = {"number": "INV-0001", "invoiced_on": "2026-11-20", "amount": "45,474.95"}

    answer = api(finance).post(url, {**corrected, "reason": "发票号漏了前导零"})

    assert (answer.status_code, answer.json()["invoice_number"]) == (200, "INV-0001")
    void, replacement = Invoice.objects.order_by("pk")
    assert (void.status, void.void_reason, void.number) == ("void", "发票号漏了前导零", "INV-1")
    assert (replacement.status, replacement.replaces) == ("recorded", void)
    assert void.history.first().history_user == finance
    # The same values again change nothing: refused, nothing recorded.
    same = api(vendor_pm).post(url, {**corrected, "reason": "再改一次"})
    assert (same.status_code, same.json()) == (
        400,
        {"detail": "更正内容与现有发票信息相同，无需更正。"},
    )
    assert Invoice.objects.count() == 2


def test_once_paid_the_invoice_is_no_longer_corrected(signed, finance, vendor_pm, api):
    sheet = sheet_invoice(
        sheet=signed,
        actor=vendor_pm,
        number="INV-1",
        invoiced_on=TODAY,
        amount=Decimal("45474.95"),
    )
    sheet = sheet_pay(sheet=sheet, actor=finance, paid_on=TODAY)
    assert (
        api(vendor_pm)
        .post(f"/api/v1/settlements/{sheet.pk}/pay/", {"paid_on": "2026-11-20"})
        .status_code
        == 403
    )
    assert (
        api(finance)
        .post(f"/api/v1/settlements/{sheet.pk}/pay/", {"paid_on": "2026-11-20"})
        .status_code
        == 409
    )

    answer = api(vendor_pm).post(
        f"/api/v1/settlements/{sheet.pk}/correct-invoice/",
        {"number": "INV-2", "invoiced_on": "2026-11-20", "amount": "45474.95", "reason": "改号"},
    )

    assert answer.status_code == 409
    assert answer.json() == {"detail": f"结算单 {sheet} 状态为“已付款”，当前不能执行该操作。"}
    sheet.refresh_from_db()
    assert sheet.invoice_number == "INV-1"
