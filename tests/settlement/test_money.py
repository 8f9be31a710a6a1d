"""The sheet's money (SPEC §3, 附件7) to the cent: the worked example, rounding, the ceiling's cut,
adjustments, and what the vendor's confirmation freezes."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import FrameworkContract
from contracts.services import contract_activate, tax_rate_add
from orders.models import Order
from settlement.models import SettlementSheet
from settlement.services import (
    SettlementError,
    settlement_figures,
    settlements_compute,
    sheet_adjust,
    sheet_confirm,
)
from tests.factories import ContractFactory, rate_card
from tests.settlement.conftest import OCTOBER, approved_log, confirmed_score, issued
from tests.worklogs.conftest import member
from worklogs.models import WorkLog

pytestmark = pytest.mark.django_db


def figures(sheet):
    return (
        sheet.base_amount,
        sheet.score,
        sheet.uncapped_incl_tax,
        sheet.payable_incl_tax,
        sheet.payable_excl_tax,
        sheet.tax_amount,
        sheet.capped,
    )


def test_the_worked_example_of_spec_section_3(worked_example):
    result = settlements_compute(month=OCTOBER)

    sheet = SettlementSheet.objects.get()
    assert (result["month"], result["orders"], result["computed"], result["created"]) == (
        "2026-10",
        1,
        1,
        1,
    )
    assert figures(sheet) == (
        Decimal("49162.1100"),
        Decimal("92.50"),
        Decimal("45474.95"),
        Decimal("45474.95"),
        Decimal("42900.90"),
        Decimal("2574.05"),
        False,
    )
    assert [
        (line.item, line.level, line.quantity, line.unit_price_incl_tax)
        for line in sheet.lines.all()
    ] == [
        ("产品/平台服务", "高级", Decimal("41.5"), Decimal("900.00")),
        ("技术支持", "初级", Decimal("19.0"), Decimal("621.69")),
    ]


def test_half_a_cent_rounds_up():
    assert settlement_figures(
        base=Decimal("0.5") * Decimal("621.69"),
        score=Decimal(100),
        rate=Decimal("0.06"),
        remaining=Decimal(10**9),
    ).payable == Decimal("310.85")


def test_running_the_job_twice_changes_nothing(worked_example, procurement, vendor_pm):
    settlements_compute(month=OCTOBER)
    first = figures(SettlementSheet.objects.get())
    assert settlements_compute(month=OCTOBER)["computed"] == 1
    assert SettlementSheet.objects.count() == 1
    assert figures(SettlementSheet.objects.get()) == first

    sheet = SettlementSheet.objects.get()
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)
    assert settlements_compute(month=OCTOBER)["computed"] == 0
    assert SettlementSheet.objects.get().status == "signed"


def test_a_month_after_a_rate_change_is_priced_at_its_first_days_rate(
    contract, procurement, vendor_pm
):
    rate_card(contract)
    tax_rate_add(contract=contract, effective_from=date(2026, 10, 1), rate=Decimal("0.09"))
    contract_activate(contract=contract)
    order = issued(contract)
    senior = member(contract, 1)
    approved_log(order, OCTOBER, [(senior, "10")], procurement)
    confirmed_score(order, OCTOBER, "50", procurement, vendor_pm)

    settlements_compute(month=OCTOBER)

    sheet = SettlementSheet.objects.get()
    # 849.06 × 1.09 = 925.4754 → 925.48 a day; the tax-exclusive price never moves.
    assert (sheet.tax_rate, sheet.lines.get().unit_price_incl_tax) == (
        Decimal("0.0900"),
        Decimal("925.48"),
    )
    assert (sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_amount) == (
        Decimal("9254.80"),
        Decimal("8490.64"),
        Decimal("764.16"),
    )


def test_a_sheet_is_cut_by_the_ceiling_and_keeps_its_uncapped_figure(
    buyer, vendor, procurement, vendor_pm
):
    contract = contract_activate(
        contract=rate_card(
            ContractFactory(buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal("20000.00"))
        )
    )
    order = issued(contract, planned="20")
    approved_log(
        order, OCTOBER, [(member(contract, 1), "18"), (member(contract, 2), "10")], procurement
    )
    confirmed_score(order, OCTOBER, "50", procurement, vendor_pm)
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    assert (sheet.uncapped_incl_tax, sheet.payable_incl_tax, sheet.capped) == (
        Decimal("25200.00"),
        Decimal("20000.00"),
        True,
    )  # the draft shows the cap

    sheet_confirm(sheet=sheet, actor=vendor_pm)
    signed = sheet_confirm(sheet=sheet, actor=procurement)

    contract.refresh_from_db()
    assert (signed.payable_incl_tax, signed.uncapped_incl_tax, signed.capped) == (
        Decimal("20000.00"),
        Decimal("25200.00"),
        True,
    )
    assert (contract.settled_total, contract.committed_total, contract.free_amount) == (
        Decimal("20000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert WorkLog.objects.get().locked_at is not None


def test_signing_moves_the_reservation_to_the_settled_total(worked_example, procurement, vendor_pm):
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)

    contract = FrameworkContract.objects.get()
    order = Order.objects.get()
    assert order.settled_total == Decimal("45474.95")
    assert contract.committed_total == order.planned_amount - Decimal("45474.95")
    assert (
        contract.settled_total + contract.committed_total + contract.free_amount
        == contract.ceiling_incl_tax
    )


def test_adjustments_refer_to_the_original_and_obey_the_ceiling(
    worked_example, procurement, vendor_pm
):
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    with pytest.raises(SettlementError):
        sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-100"), reason="多算半天")
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)

    adjustment = sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-450.00"), reason="多算半天")
    sheet_confirm(sheet=adjustment, actor=vendor_pm)
    sheet_confirm(sheet=adjustment, actor=procurement)

    contract = FrameworkContract.objects.get()
    assert adjustment.adjusts == sheet
    assert (adjustment.payable_incl_tax, adjustment.payable_excl_tax) == (
        Decimal("-450.00"),
        Decimal("-424.53"),
    )
    assert contract.settled_total == Decimal("45024.95")
    sheet.refresh_from_db()
    assert sheet.payable_incl_tax == Decimal("45474.95")  # the original never changes


def test_two_negative_adjustments_cannot_take_back_more_than_was_paid(
    worked_example, procurement, vendor_pm
):
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)
    first = sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-45474.95"), reason="全部退回")
    second = sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-45474.95"), reason="再退一次")
    for adjustment in (first, second):
        sheet_confirm(sheet=adjustment, actor=vendor_pm)
    sheet_confirm(sheet=first, actor=procurement)

    with pytest.raises(SettlementError, match="不能超过已结算金额"):
        sheet_confirm(sheet=second, actor=procurement)
    assert FrameworkContract.objects.get().settled_total == Decimal("0.00")


def test_once_the_vendor_confirms_the_log_and_score_are_frozen(
    worked_example, procurement, vendor_pm
):
    from worklogs.lines import WorkLogError
    from worklogs.services import worklog_reopen

    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)

    with pytest.raises(WorkLogError):
        worklog_reopen(log=sheet.worklog, reason="改为 1 天")
    assert WorkLog.objects.get().status == "approved"


def test_a_bad_adjustment_amount_is_refused(worked_example, procurement, vendor_pm):
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)

    for amount in ("NaN", "Infinity", "1e20", "0.001"):
        with pytest.raises(SettlementError):
            sheet_adjust(sheet=sheet, amount_incl_tax=Decimal(amount), reason="x")


def test_a_later_change_of_level_never_reprices_a_month(worked_example, procurement, vendor_pm):
    from staffing.models import StaffMember

    StaffMember.objects.filter(level="初级").update(level="中级")  # promoted after October

    settlements_compute(month=OCTOBER)

    assert SettlementSheet.objects.get().payable_incl_tax == Decimal("45474.95")


def test_a_signed_sheet_keeps_the_contracts_figures_of_its_signing(
    worked_example, procurement, vendor_pm
):
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet = sheet_confirm(sheet=sheet, actor=procurement)
    FrameworkContract.objects.update(settled_total=Decimal("100000.00"))  # later sheets

    sheet.refresh_from_db()
    assert (sheet.contract_settled_at_signing, sheet.contract_remaining_at_signing) == (
        Decimal("45474.95"),
        Decimal("17582325.05"),
    )


def test_the_vendor_freezes_only_the_log_and_score_its_sheet_rests_on(
    active_contract, procurement, vendor_pm
):
    """A draft KPI-period score of the same order whose id equals the log's is neither
    frozen nor in the way: evidence is told apart by its kind, not by its id alone."""
    from django.core.management.color import no_style
    from django.db import connection

    from assessment.models import Assessment

    order = issued(active_contract, planned="100")
    log = approved_log(order, OCTOBER, [(member(active_contract, 1), "10")], procurement)
    period = Assessment.objects.create(
        pk=log.pk,
        order=order,
        month=date(2026, 7, 1),
        period_months=6,
        template=active_contract.assessment_template,
    )
    with connection.cursor() as cursor:  # the next score takes an id after it
        for sql in connection.ops.sequence_reset_sql(no_style(), [Assessment]):
            cursor.execute(sql)
    confirmed_score(order, OCTOBER, "50", procurement, vendor_pm)
    settlements_compute(month=OCTOBER)

    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)

    assert (sheet.status, sheet.payable_incl_tax) == ("vendor_confirmed", Decimal("9000.00"))
    period.refresh_from_db()
    assert (period.status, period.locked_at) == ("draft", None)
    assert WorkLog.objects.get().locked_at is not None
