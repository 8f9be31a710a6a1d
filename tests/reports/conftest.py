"""A small year worked by hand for the reports: contract KJ-R with a 60,000.00 ceiling and two
priced lines, 产品/平台服务 高级 at 849.06 excl. (900.00 incl.), estimated 60 days, and 技术支持
初级 at 586.50 excl. (621.69 incl.), estimated 50 days; one order planning 45 and 20 days.

- August: 20 senior days (10 + 10) and 10 junior, scored 100: 18,000.00 + 6,216.90 = 24,216.90.
- September: 20 senior (15 + 5) and 8 junior, scored 92.5 (quality 45 of 50, one security
  incident −2.5): base 18,000.00 + 4,973.52 = 22,973.52, × 92.5% = 21,250.506 → 21,250.51.
- October: 24 senior (12 + 12) and 6 junior, scored 100: base 21,600.00 + 3,730.14 =
  25,330.14, cut by the ceiling to 60,000.00 − 24,216.90 − 21,250.51 = 14,532.59 (capped).
- Then August is adjusted by −1,000.00 (two days counted twice): settled in all 59,000.00.
- As of Wednesday 25 November: August's sheet is invoiced in full (24,216.90 incl.,
  24,216.90 / 1.06 = 22,846.132… → 22,846.13 excl., tax 1,370.77; issued and received on
  10 November), and 10,000.00 of it was paid on 20 November.
"""

from datetime import date
from decimal import Decimal

import pytest

from contracts.services import contract_activate
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_adjust, sheet_confirm
from tests.factories import ContractFactory, RateCardLineFactory
from tests.finance.books import invoice, pay
from tests.settlement.conftest import approved_log, confirmed_score
from tests.worklogs.conftest import member

AUGUST, SEPTEMBER, OCTOBER = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)
TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture
def small_year(buyer, vendor, procurement, vendor_pm, finance, clock):
    contract = ContractFactory(
        code="KJ-R", buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal("60000.00")
    )
    RateCardLineFactory(contract=contract, estimated_quantity=Decimal("60"))
    RateCardLineFactory(
        contract=contract,
        role="技术支持",
        level="初级",
        estimated_quantity=Decimal("50"),
        cap_price_excl_tax=Decimal("586.50"),
        price_excl_tax=Decimal("586.50"),
    )
    contract = contract_activate(contract=contract)
    order = order_issue(
        order=order_create(
            contract=contract,
            name="运营支撑",
            service_start=date(2026, 8, 1),
            service_end=date(2026, 12, 31),
            lines=[
                {"role": "产品/平台服务", "level": "高级", "planned_quantity": "45"},
                {"role": "技术支持", "level": "初级", "planned_quantity": "20"},
            ],
        )
    )
    seniors = [member(contract, n) for n in (1, 2)]
    junior = member(contract, 3, role="技术支持", level="初级", years_experience=2)
    months = [
        (AUGUST, ("10", "10", "10"), "50", ()),
        (SEPTEMBER, ("15", "5", "8"), "45", ("security",)),
        (OCTOBER, ("12", "12", "6"), "50", ()),
    ]
    sheets = []
    for month, (first, second, junior_days), quality, incidents in months:
        clock(date(month.year, month.month + 1, 3))
        days = [(seniors[0], first), (seniors[1], second), (junior, junior_days)]
        approved_log(order, month, days, procurement)
        confirmed_score(order, month, quality, procurement, vendor_pm, incidents)
        settlements_compute(month=month, order_id=order.pk)
        sheet = SettlementSheet.objects.get(order=order, month=month)
        sheets.append(
            sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)
        )
    clock(TODAY)
    adjustment = sheet_adjust(
        sheet=sheets[0], amount_incl_tax=Decimal("-1000.00"), reason="重复计天"
    )
    sheet_confirm(sheet=sheet_confirm(sheet=adjustment, actor=vendor_pm), actor=procurement)
    invoice([sheets[0]], finance, "KR-0001", date(2026, 11, 10), "24216.90", "22846.13", "1370.77",
            received_on=date(2026, 11, 10))  # fmt: skip
    pay(sheets[0], finance, date(2026, 11, 20), "10000.00", "记-1120")
    contract.refresh_from_db()
    return contract, order, sheets
