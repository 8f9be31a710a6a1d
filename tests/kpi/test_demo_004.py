"""Seed 004 as `make run` loads it: its 40% paid in full on its date, kept when the year passes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.errors import DomainError
from core.models import User
from demo.fixed_price import approved_reports, confirmed_period, demo_month, demo_sessions
from orders.models import Order
from settlement.models import SettlementSheet
from settlement.services import milestone_true_up, payment_sheet_compute

pytestmark = pytest.mark.django_db


def test_the_demo_004_contract_pays_its_year_milestone_on_its_date_and_keeps_it():
    call_command("load_demo")
    order = Order.objects.get(contract__code="AYQ-2025-004")
    buyer, vendor = User.objects.get(username="anyuan"), User.objects.get(username="xinghe_pm")
    paid = {s.payment_item.due_after_months: s for s in SettlementSheet.objects.filter(order=order)}
    assert (paid[0].status, paid[0].payable_incl_tax) == ("paid", Decimal("144000.00"))
    assert (paid[6].status, paid[6].payable_incl_tax) == ("invoiced", Decimal("144000.00"))
    # The 40% fell due on 2026-09-30 (tests/kpi/test_milestone_dates.py): paid in full then,
    # before the year's score.
    assert (paid[10].month, paid[10].status, paid[10].score, paid[10].payable_incl_tax) == (
        date(2026, 9, 1),
        "paid",
        Decimal(100),
        Decimal("192000.00"),
    )
    assert order.kpi_reports.count() == 11

    approved_reports(
        order, [demo_month(11)], buyer, start=date(2026, 11, 1), sessions=[demo_sessions(11)]
    )
    year = confirmed_period(order, 12, buyer, vendor)
    # 1,581,000 views beat the 1.5 million of the first bonus; 309,940 viewers (the year's
    # 155 sessions, 12 to 14 a month) miss 350,000.
    assert (year.bonus_score, year.status) == (Decimal("1.00"), "confirmed")

    # The year passed (≥ 90% of every baseline): nothing is trued up, nothing recomputed.
    with pytest.raises(DomainError) as refused:
        milestone_true_up(item=paid[10].payment_item, actor=buyer)
    assert refused.value.status == 409
    assert payment_sheet_compute(item=paid[10].payment_item) == paid[10]
    order.contract.refresh_from_db()
    assert order.contract.settled_total == Decimal("480000.00")
