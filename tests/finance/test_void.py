"""Corrections by red-letter (红字) invoices: an invoice is voided with its reason and replaced;
both stay, each with its history; a void uncovers its sheets (back to signed) until the
replacement covers them again; an invoice the sheet's payments need is never voided."""

from datetime import date
from decimal import Decimal

import pytest

from finance.models import Invoice
from finance.services import FinanceError, invoice_void
from settlement.models import SettlementSheet
from tests.finance.books import invoice, pay, signed_sheets  # noqa: F401
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


@pytest.fixture
def today(clock):
    clock(TODAY)


def status(sheet) -> tuple:
    sheet = SettlementSheet.objects.get(pk=sheet.pk)
    return sheet.status, sheet.invoice_number, sheet.invoice_amount


def test_a_void_invoice_is_replaced_and_both_stay_in_history(sheets, vendor_pm, finance, today):
    """YQ-1 covers A and B (54,474.95); voided (B's month was wrong), A and B are signed again
    and owe nothing invoiced; YQ-2 replaces it at the same figures."""
    a, b, _c = sheets
    wrong = invoice([a, b], vendor_pm, "YQ-1", date(2026, 11, 4), "54474.95", "51391.47",
                    "3083.48")  # fmt: skip

    with pytest.raises(FinanceError, match=r"该字段是必填项"):
        invoice_void(invoice=wrong, actor=finance, reason=" ")
    void = invoice_void(invoice=wrong, actor=finance, reason="备注栏月份有误")

    assert (void.status, void.void_reason) == ("void", "备注栏月份有误")
    assert status(a) == ("signed", "", None)
    assert status(b) == ("signed", "", None)
    replacement = invoice([a, b], vendor_pm, "YQ-2", date(2026, 11, 6), "54474.95", "51391.47",
                          "3083.48", replaces=void)  # fmt: skip

    assert replacement.replaces == void
    assert Invoice.objects.get(pk=void.pk).replaced_by == replacement
    assert status(a) == ("invoiced", "YQ-2", Decimal("45474.95"))
    history = [
        (r.history_type, r.status, r.void_reason, r.history_user) for r in void.history.all()
    ]
    assert history == [("~", "void", "备注栏月份有误", finance), ("+", "recorded", "", vendor_pm)]
    assert replacement.history.get().history_user == vendor_pm
    with pytest.raises(FinanceError, match=r"已作废") as twice:
        invoice_void(invoice=void, actor=finance, reason="再次作废")
    assert twice.value.status == 409
    with pytest.raises(FinanceError, match=r"发票 YQ-1 已重开过"):
        invoice(sheets[2:], vendor_pm, "YQ-3", date(2026, 11, 6), "18000.00", "16981.13",
                "1018.87", replaces=void)  # fmt: skip


def test_an_invoice_the_payments_need_is_not_voided(sheets, vendor_pm, finance, today):
    """A on two invoices, 20,000.00 (P1) and 25,474.95 (P2), and 20,000.00 paid: P2 may go,
    P1 still charges the 20,000.00 paid; P1 may not, nothing would charge it."""
    a = sheets[0]
    first = invoice([a], vendor_pm, "YQ-P1", date(2026, 11, 4), "20000.00", "18867.92",
                    "1132.08")  # fmt: skip
    second = invoice([a], vendor_pm, "YQ-P2", date(2026, 11, 5), "25474.95", "24032.97",
                     "1441.98")  # fmt: skip
    pay(a, finance, date(2026, 11, 20), "20000.00", "记-1120")

    invoice_void(invoice=second, actor=vendor_pm, reason="金额拆分有误")
    assert status(a) == ("signed", "YQ-P1", Decimal("20000.00"))
    with pytest.raises(FinanceError) as refused:
        invoice_void(invoice=first, actor=vendor_pm, reason="重开")

    assert refused.value.status == 409
    assert refused.value.message == (
        f"结算单 {a} 已付款 20,000.00 元；作废这张发票后，其余发票仅开具 0.00 元。"
        "已付款的发票不能作废。"
    )
    assert Invoice.objects.get(pk=first.pk).status == "recorded"
