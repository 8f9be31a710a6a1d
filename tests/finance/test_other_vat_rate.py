"""4.6.5: an invoice at a VAT rate other than the contract's is settled at the price excl. tax
plus the invoice's actual tax, whatever rate the sheet was computed at."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.services import contract_activate
from core.models import Organization
from finance.services import sheet_balance
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.factories import ContractFactory, RateCardLineFactory
from tests.finance.books import BUYER_TAX_ID, SIGNED_ON, VENDOR_TAX_ID, invoice
from tests.settlement.conftest import OCTOBER, approved_log, confirmed_score, issued
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db


def test_a_sheet_of_100000_excl_invoiced_at_3_percent_is_due_103000(
    buyer, vendor, procurement, vendor_pm, clock
):
    """100 senior days at 1,000.00 excl. (1,060.00 incl. at the contract's 6%), scored 100:
    106,000.00 payable, 100,000.00 excl. The vendor invoices at 3%: 100,000.00 + 3,000.00 tax
    = 103,000.00 due, not 106,000.00."""
    Organization.objects.filter(pk=buyer.pk).update(tax_id=BUYER_TAX_ID)
    Organization.objects.filter(pk=vendor.pk).update(tax_id=VENDOR_TAX_ID)
    contract = ContractFactory(buyer=buyer, vendor=vendor)
    RateCardLineFactory(
        contract=contract,
        cap_price_excl_tax=Decimal("1000.00"),
        price_excl_tax=Decimal("1000.00"),
    )
    contract = contract_activate(contract=contract)
    order = issued(contract, planned="100")
    approved_log(order, OCTOBER, [(member(contract, n), "10") for n in range(1, 11)], procurement)
    confirmed_score(order, OCTOBER, "50", procurement, vendor_pm)
    clock(SIGNED_ON)
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    sheet = sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)
    assert (sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_rate) == (
        Decimal("106000.00"),
        Decimal("100000.00"),
        Decimal("0.0600"),
    )

    clock(date(2026, 11, 4))
    invoice(
        [sheet], vendor_pm, "YQ-465", date(2026, 11, 4), "103000.00", "100000.00", "3000.00",
        rate="0.03",
    )  # fmt: skip

    balance = sheet_balance(SettlementSheet.objects.get())
    assert (balance.owed, balance.left_to_pay, balance.left_excl) == (
        Decimal("103000.00"),
        Decimal("103000.00"),
        Decimal("0.00"),
    )
    assert SettlementSheet.objects.get().invoice_amount == Decimal("103000.00")
