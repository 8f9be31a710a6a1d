"""Seed 004 as `make run` loads it settles its last milestone end to end."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import User
from demo.fixed_price import approved_reports, confirmed_period, demo_month
from finance.services import sheet_invoice, sheet_pay
from orders.models import Order
from settlement.models import SettlementSheet
from settlement.services import payment_sheet_compute, sheet_confirm
from tests.factories import accepted

pytestmark = pytest.mark.django_db


def test_the_demo_004_contract_settles_its_year_milestone_end_to_end():
    call_command("load_demo")
    order = Order.objects.get(contract__code="AYQ-2025-004")
    buyer, vendor = User.objects.get(username="anyuan"), User.objects.get(username="xinghe_pm")
    paid = {s.payment_item.due_after_months: s for s in SettlementSheet.objects.filter(order=order)}
    assert (paid[0].status, paid[0].payable_incl_tax) == ("paid", Decimal("144000.00"))
    assert (paid[6].status, paid[6].payable_incl_tax) == ("invoiced", Decimal("144000.00"))

    assert order.kpi_reports.count() == 11

    approved_reports(order, [demo_month(11)], buyer, start=date(2026, 11, 1))
    year = confirmed_period(order, 12, buyer, vendor)
    # 1,581,000 views beat the 1.5 million of the first bonus; 341,400 viewers miss 350,000.
    assert (year.bonus_score, year.status) == (Decimal("1.00"), "confirmed")

    sheet = payment_sheet_compute(item=order.payment_plan.get(due_after_months=10))
    assert (sheet.month, sheet.achievement, sheet.score) == (
        date(2026, 10, 1),
        Decimal("1.0000"),
        Decimal(100),
    )
    sheet_confirm(sheet=sheet, actor=vendor)
    accepted(sheet, buyer)
    sheet = sheet_confirm(sheet=sheet, actor=buyer)
    today = timezone.localdate()  # signed today: invoiced and paid the same day
    sheet = sheet_invoice(
        sheet=sheet,
        actor=vendor,
        number="AYQ20261201",
        invoiced_on=today,
        amount=Decimal("192000.00"),
    )
    sheet = sheet_pay(sheet=sheet, actor=buyer, paid_on=today)

    assert (sheet.status, sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_amount) == (
        "paid",
        Decimal("192000.00"),
        Decimal("181132.08"),  # 192,000 / 1.06 = 181,132.0755
        Decimal("10867.92"),
    )
    order.contract.refresh_from_db()
    assert order.contract.settled_total == Decimal("480000.00")
