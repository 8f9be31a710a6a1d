"""Sheets in the browser: both sides confirm, the vendor records its invoice and finance the
payment in the sheet's finance panel, and typed amounts are read as plain numbers only."""

from datetime import date

import pytest

from settlement.models import SettlementSheet
from settlement.services import settlements_compute
from tests.finance.typed import typed_invoice, typed_payment
from tests.pages import browser
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db


def test_both_sides_confirm_in_the_browser_and_finance_records_the_payment(
    worked_example, procurement, vendor_pm, finance, other_vendor_pm, clock
):
    clock(date(2026, 11, 10))
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    url = f"/settlements/{sheet.pk}/"

    listing = browser(finance).get("/settlements/?month=2026-10").content.decode()
    assert "45,474.95" in listing and "42,900.90" in listing
    detail = browser(vendor_pm).get(url).content.decode()
    assert "49162.1100" in detail and "肆万伍仟肆佰柒拾肆元玖角伍分" in detail
    browser(vendor_pm).post(f"{url}confirm/")
    browser(procurement).post(f"{url}confirm/")
    browser(finance).post(
        "/invoices/new/",
        typed_invoice(sheet, number="INV-9", issued_on="2026-11-10", incl="45474.95",
                      excl="42900.90", tax="2574.05", received_on="2026-11-10"),
    )  # fmt: skip
    payment = typed_payment(paid_on="2026-11-10", amount="45,474.95")
    assert browser(vendor_pm).post(f"/payments/new/{sheet.pk}/", payment).status_code == 403
    browser(finance).post(f"/payments/new/{sheet.pk}/", payment)

    sheet.refresh_from_db()
    assert (sheet.status, sheet.invoice_number, str(sheet.paid_on)) == (
        "paid",
        "INV-9",
        "2026-11-10",
    )
    assert browser(finance).get(f"{url}pdf/")["Content-Type"] == "application/pdf"
    assert browser(finance).get("/settlements/ledger/").status_code == 200
    stranger = browser(other_vendor_pm)
    for path in (url, f"{url}pdf/"):
        assert stranger.get(path).status_code == 404
    assert stranger.post(f"{url}confirm/").status_code == 404
    assert sheet.order.number not in stranger.get("/settlements/").content.decode()


def test_the_compute_form_is_for_procurement(procurement, vendor_pm):
    assert 'id="compute"' in browser(procurement).get("/settlements/").content.decode()
    assert 'id="compute"' not in browser(vendor_pm).get("/settlements/").content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("sNaN", "“sNaN”不是数字：请只用数字书写，如 1250.50。"),
        ("NaN", "“NaN”不是数字"),
        ("-Infinity", "“-Infinity”不是数字"),
        ("1e1000000", "“1e1000000”不是数字"),
        ("45474.951", "45474.951 的小数超过 2 位"),
        ("", "请以元为单位填写金额，最多两位小数。"),
    ],
)
def test_an_adjustment_amount_that_is_no_plain_number_is_refused(
    worked_example, procurement, vendor_pm, typed, message
):
    """sNaN was a 500 (comparing it raises); now the sheet page says why (the invoice form's:
    tests/finance/test_pages.py)."""
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    url = f"/settlements/{sheet.pk}/"
    browser(vendor_pm).post(f"{url}confirm/")
    browser(procurement).post(f"{url}confirm/")

    adjust = browser(procurement).post(
        f"{url}adjust/", {"amount": typed, "reason": "少算一天"}, follow=True
    )

    assert adjust.status_code == 200
    assert message in adjust.content.decode()
    assert SettlementSheet.objects.count() == 1
