"""Signed sheets for finance's tests, and invoices and payments typed as finance types them.

Three October sheets of one contract at 6%, signed on Monday 2 November 2026:
- A, the worked example (SPEC §3): payable 45,474.95, excl. 42,900.90, tax 2,574.05;
- B, 10 senior days at 900.00 scored 100: 9,000.00; 9,000.00 / 1.06 = 8,490.566… → 8,490.57
  excl., tax 509.43;
- C, 2 × 10 senior days at 900.00 scored 100: 18,000.00; 18,000.00 / 1.06 = 16,981.132… →
  16,981.13 excl., tax 1,018.87.
"""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import FrameworkContract
from core.models import Organization
from finance.models import Invoice
from finance.services import invoice_record, invoice_void, payment_record
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.settlement.conftest import OCTOBER, approved_log, confirmed_score, issued
from tests.worklogs.conftest import member

SIGNED_ON = date(2026, 11, 2)  # a Monday
BUYER_TAX_ID = "91440300MA5F000001"
VENDOR_TAX_ID = "91440300MA5F000002"


def scored_order(contract, name, serials, procurement, vendor_pm):
    """An order of senior 产品/平台服务 members, 10 days each in October, scored 100."""
    order = issued(contract, name=name, planned="100")
    days = [(member(contract, serial), "10") for serial in serials]
    approved_log(order, OCTOBER, days, procurement)
    confirmed_score(order, OCTOBER, "50", procurement, vendor_pm)
    return order


@pytest.fixture(name="sheets")
def signed_sheets(worked_example, procurement, vendor_pm, clock) -> list[SettlementSheet]:
    """A, B and C (above), signed on SIGNED_ON (import it with `worked_example`, whose
    order is A's); the parties with the taxpayer IDs their invoices print (4.6.2)."""
    contract = worked_example.contract
    Organization.objects.filter(pk=contract.buyer_id).update(tax_id=BUYER_TAX_ID)
    Organization.objects.filter(pk=contract.vendor_id).update(tax_id=VENDOR_TAX_ID)
    orders = [
        worked_example,
        scored_order(contract, "B 运营", [11], procurement, vendor_pm),
        scored_order(contract, "C 运营", [12, 13], procurement, vendor_pm),
    ]
    clock(SIGNED_ON)
    settlements_compute(month=OCTOBER)
    sheets = []
    for order in orders:
        sheet = SettlementSheet.objects.get(order=order, month=OCTOBER)
        sheet = sheet_confirm(sheet=sheet, actor=vendor_pm)
        sheets.append(sheet_confirm(sheet=sheet, actor=procurement))
    return sheets


def invoice(sheets, actor, number, issued_on, incl, excl, tax, rate="0.06", **more) -> Invoice:
    """An invoice of the sheets as printed, the parties as the contract names them."""
    contract = FrameworkContract.objects.select_related("buyer", "vendor").get(
        pk=sheets[0].contract_id
    )
    return invoice_record(
        actor=actor,
        sheets=sheets,
        kind=more.pop("kind", Invoice.Kind.SPECIAL),
        number=number,
        issued_on=issued_on,
        amount_incl_tax=Decimal(incl),
        amount_excl_tax=Decimal(excl),
        tax_rate=Decimal(rate),
        tax_amount=Decimal(tax),
        seller_tax_id=contract.vendor.tax_id,
        buyer_name=contract.buyer.name,
        buyer_tax_id=contract.buyer.tax_id,
        **more,
    )


def pay(sheet, actor, paid_on, amount, voucher, **more):
    return payment_record(
        actor=actor,
        sheet=sheet,
        paid_on=paid_on,
        amount=Decimal(amount),
        voucher_number=voucher,
        **more,
    )


DECEMBER_17 = date(2026, 12, 17)  # a Thursday: this week is 14–20 December, next 21–27


@pytest.fixture(name="december")
def december_books(sheets, other_active_contract, procurement, other_vendor_pm, finance, clock):
    """On Thursday 17 December 2026, A, B and C (above) and D, the other vendor's October sheet
    (10 senior days at 900.00 scored 100: 9,000.00, 8,490.57 excl., tax 509.43):
    - A on YQ-0101, issued and received Wednesday 4 November, payable by Wednesday 16 December
      (30 working days: 5–6 November 2, then 9 November to 11 December five weeks 27, 14, 15,
      16 December 30); paid 5,000.00 on 30 November and 20,000.00 on 10 December, so
      45,474.95 − 25,000.00 = 20,474.95 is overdue;
    - B on YQ-0102 and D on YD-0201, each issued and received Thursday 5 November, payable by
      Thursday 17 December (one working day later than A's): 9,000.00 each, due this week;
    - C on two invoices: YQ-0103 for 10,000.00 (9,433.96 excl.: 10,000.00 / 1.06 = 9,433.962…,
      tax 566.04), issued and received Friday 13 November, payable by Friday 25 December
      (16 November to 18 December five weeks 25, 21–25 December 30); 6,000.00 paid by
      acceptance bill on 15 December, so 4,000.00 is due next week; and YQ-0104 for the rest,
      18,000.00 − 10,000.00 = 8,000.00 (16,981.13 − 9,433.96 = 7,547.17 excl., tax 452.83),
      issued Wednesday 16 December, not received, to be delivered by Wednesday 30 December
      (17–18 December 2, 21–25 December 7, 28–30 December 10)."""
    a, b, c = sheets
    other = other_active_contract
    Organization.objects.filter(pk=other.vendor_id).update(tax_id="91440300MA5F000003")
    d_order = scored_order(other, "D 运营", [21], procurement, other_vendor_pm)
    clock(SIGNED_ON)
    settlements_compute(month=OCTOBER, order_id=d_order.pk)
    d = SettlementSheet.objects.get(order=d_order)
    d = sheet_confirm(sheet=sheet_confirm(sheet=d, actor=other_vendor_pm), actor=procurement)
    clock(DECEMBER_17)
    for sheet, number, day, amounts in [
        (a, "YQ-0101", date(2026, 11, 4), ("45474.95", "42900.90", "2574.05")),
        (b, "YQ-0102", date(2026, 11, 5), ("9000.00", "8490.57", "509.43")),
        (d, "YD-0201", date(2026, 11, 5), ("9000.00", "8490.57", "509.43")),
        (c, "YQ-0103", date(2026, 11, 13), ("10000.00", "9433.96", "566.04")),
    ]:
        invoice([sheet], finance, number, day, *amounts, received_on=day)
    invoice([c], finance, "YQ-0104", date(2026, 12, 16), "8000.00", "7547.17", "452.83")
    pay(a, finance, date(2026, 11, 30), "5000.00", "记-1130")
    pay(a, finance, date(2026, 12, 10), "20000.00", "记-1210")
    pay(c, finance, date(2026, 12, 15), "6000.00", "记-1215", method="acceptance_bill",
        bill_number="BA-20261215", bill_maturity=date(2027, 6, 15),
        bill_discount_terms="不贴现")  # fmt: skip
    return a, b, c, d


NOVEMBER_27 = date(2026, 11, 27)  # a Friday


@pytest.fixture(name="books")
def november_books(sheets, vendor_pm, finance, clock):
    """As of Friday 27 November 2026:
    - YQ-0001 (special, 6%) covers A and B: 45,474.95 + 9,000.00 = 54,474.95 incl.,
      42,900.90 + 8,490.57 = 51,391.47 excl., tax 3,083.48; issued 4 November, received
      6 November, so payable by 18 December (30 working days: 9–13, 16–20, 23–27 November,
      30 November–4 December, 7–11 and 14–18 December, five each);
    - YQ-0002 on C at 6% was voided (the vendor should have invoiced at 3%) and replaced by
      YQ-0003, ordinary, at 3% (4.6.5): 16,981.13 excl. + 16,981.13 × 3% = 509.4339 → 509.43
      tax = 17,490.56; issued 9 November, not received;
    - A is paid in two parts: 20,000.00 by transfer on 20 November, 25,474.95 by acceptance
      bill on 27 November."""
    a, b, c = sheets
    clock(NOVEMBER_27)
    invoice([a, b], finance, "YQ-0001", date(2026, 11, 4), "54474.95", "51391.47", "3083.48",
            received_on=date(2026, 11, 6))  # fmt: skip
    wrong = invoice([c], vendor_pm, "YQ-0002", date(2026, 11, 5), "18000.00", "16981.13",
                    "1018.87")  # fmt: skip
    invoice_void(invoice=wrong, actor=vendor_pm, reason="税率应为3%")
    invoice([c], vendor_pm, "YQ-0003", date(2026, 11, 9), "17490.56", "16981.13", "509.43",
            rate="0.03", kind=Invoice.Kind.ORDINARY, replaces=wrong)  # fmt: skip
    pay(a, finance, date(2026, 11, 20), "20000.00", "记-1120")
    pay(a, finance, NOVEMBER_27, "25474.95", "记-1127", method="acceptance_bill",
        bill_number="BA-20261127", bill_maturity=date(2027, 5, 27),
        bill_discount_terms="到期承兑")  # fmt: skip
    return a, b, c
