"""Payments as they really go out (4.6.1): partial payments add up and the sheet is paid on the
day they reach what its invoices charge; an overpayment is refused naming what is left; nothing
is paid before the invoice; a bank acceptance bill carries its number, maturity and discount
terms; the payee is the vendor's account in force that day (4.6.3), the payer the buyer's."""

from datetime import date
from decimal import Decimal

import pytest

from core.models import Organization
from finance.models import Payment
from finance.services import FinanceError, sheet_balance
from settlement.models import SettlementSheet
from tests.finance.books import invoice, pay, signed_sheets  # noqa: F401
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture
def invoiced(sheets, vendor_pm, clock):
    """A, the worked example, on one invoice of 45,474.95 issued 4 November."""
    clock(TODAY)
    a = sheets[0]
    invoice([a], vendor_pm, "YQ-1", date(2026, 11, 4), "45474.95", "42900.90", "2574.05")
    return SettlementSheet.objects.get(pk=a.pk)


def test_partial_payments_add_up_and_the_last_pays_the_sheet(invoiced, finance):
    """20,000.00 on 20 November leaves 45,474.95 − 20,000.00 = 25,474.95; paying exactly that
    on 27 November pays the sheet, on that day."""
    pay(invoiced, finance, date(2026, 11, 20), "20000.00", "记-1120")
    sheet = SettlementSheet.objects.get(pk=invoiced.pk)
    assert (sheet.status, sheet.paid_on) == ("invoiced", None)
    assert sheet_balance(sheet).left_to_pay == Decimal("25474.95")

    pay(invoiced, finance, TODAY, "25474.95", "记-1127")

    sheet = SettlementSheet.objects.get(pk=invoiced.pk)
    assert (sheet.status, sheet.paid_on) == ("paid", TODAY)
    assert sheet_balance(sheet).paid == Decimal("45474.95")


def test_an_overpayment_is_refused_naming_what_is_left(invoiced, finance):
    pay(invoiced, finance, date(2026, 11, 20), "20000.00", "记-1120")

    with pytest.raises(FinanceError) as too_much:
        pay(invoiced, finance, TODAY, "25474.96", "记-1127")

    assert too_much.value.message == (
        f"结算单 {invoiced} 仅剩 25,474.95 元待付（已开票 45,474.95 元，已付 20,000.00 元）："
        "25,474.96 元超出待付金额。"
    )
    assert too_much.value.field == "amount"
    assert Payment.objects.count() == 1


def test_nothing_is_paid_before_the_invoice(sheets, finance, clock):
    clock(TODAY)
    a = sheets[0]

    with pytest.raises(FinanceError, match=r"尚未开票：先开票后付款（4.6）") as early:
        pay(a, finance, TODAY, "45474.95", "记-1127")

    assert early.value.status == 409


def test_a_partly_invoiced_sheet_is_paid_up_to_its_invoices(sheets, vendor_pm, finance, clock):
    """A invoiced for 20,000.00 of its 45,474.95: 20,000.00 may be paid, no more, and the sheet
    stays signed (not wholly invoiced) until the rest is invoiced."""
    clock(TODAY)
    a = sheets[0]
    invoice([a], vendor_pm, "YQ-P1", date(2026, 11, 4), "20000.00", "18867.92", "1132.08")

    with pytest.raises(FinanceError, match=r"仅剩 20,000.00 元待付"):
        pay(a, finance, TODAY, "20000.01", "记-1")
    pay(a, finance, TODAY, "20000.00", "记-1")

    sheet = SettlementSheet.objects.get(pk=a.pk)
    assert (sheet.status, sheet.paid_on) == ("signed", None)


def test_the_payment_date_lies_between_the_invoice_and_a_year_ahead(invoiced, finance):
    with pytest.raises(FinanceError, match=r"付款日期应在开票日（2026-11-04）与一年后之间"):
        pay(invoiced, finance, date(2026, 11, 3), "100.00", "记-1")
    with pytest.raises(FinanceError, match=r"付款日期应在开票日"):
        pay(invoiced, finance, date(2027, 11, 29), "100.00", "记-1")
    assert pay(invoiced, finance, date(2026, 11, 4), "100.00", "记-1").paid_on == date(2026, 11, 4)


def test_an_acceptance_bill_carries_its_number_maturity_and_discount_terms(invoiced, finance):
    bill = {
        "method": "acceptance_bill",
        "bill_number": "BA-20261127",
        "bill_maturity": date(2027, 5, 27),
        "bill_discount_terms": "到期承兑，贴现息由乙方承担",
    }
    for missing in ("bill_number", "bill_maturity", "bill_discount_terms"):
        with pytest.raises(FinanceError, match=r"该字段是必填项") as refused:
            pay(invoiced, finance, TODAY, "45474.95", "记-1127", **{**bill, missing: None})
        assert refused.value.field == missing
    with pytest.raises(FinanceError, match=r"银行转账没有汇票"):
        pay(invoiced, finance, TODAY, "45474.95", "记-1127", bill_number="BA-1")

    payment = pay(invoiced, finance, TODAY, "45474.95", "记-1127", **bill)

    assert (payment.method, payment.bill_number, payment.bill_maturity) == (
        "acceptance_bill",
        "BA-20261127",
        date(2027, 5, 27),
    )
    assert SettlementSheet.objects.get(pk=invoiced.pk).status == "paid"


def test_the_payee_is_the_vendors_account_in_force_that_day(invoiced, finance, clock):
    """The vendor's account changed on 25 November (its history keeps when): a payment dated 20
    November went to the old one, one dated 27 November to the new; the payer is the buyer's
    account unless finance names another."""
    contract = invoiced.contract
    buyer = Organization.objects.get(pk=contract.buyer_id)
    buyer.bank_name, buyer.bank_account = "招商银行深圳分行", "755900000001"
    buyer.save()
    vendor = Organization.objects.get(pk=contract.vendor_id)
    clock(date(2026, 11, 2))
    vendor.bank_name, vendor.bank_account = "中国银行成都分行", "1111"
    vendor.save()
    clock(date(2026, 11, 25))
    vendor.bank_name, vendor.bank_account = "中国建设银行成都分行", "2222"
    vendor.save()
    clock(TODAY)

    before = pay(invoiced, finance, date(2026, 11, 20), "20000.00", "记-1120")
    after = pay(invoiced, finance, TODAY, "25474.95", "记-1127",
                payer_bank_name="招商银行北京分行", payer_account="10100002")  # fmt: skip

    assert (before.payee_bank_name, before.payee_account) == ("中国银行成都分行", "1111")
    assert (after.payee_bank_name, after.payee_account) == ("中国建设银行成都分行", "2222")
    assert (before.payer_bank_name, before.payer_account) == ("招商银行深圳分行", "755900000001")
    assert (after.payer_bank_name, after.payer_account) == ("招商银行北京分行", "10100002")
