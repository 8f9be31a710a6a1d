"""The penalty register (ch. 7, SPEC §9): the portal proposes 20% of the order's planned total
incl. tax, or of the contract's settled + committed, and a refund of what was paid for the
order; another amount needs a reason; a decided penalty is a negative line with its clause on
the vendor's next sheet (its page, 附件7 and the ledger), signing that sheet offsets it, no
other sheet takes it again, and when no sheet follows procurement issues a demand."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from governance.models import Penalty
from governance.penalties import (
    PenaltyError,
    penalty_answer,
    penalty_decide,
    penalty_demand,
    penalty_record,
    propose,
)
from orders.models import Order
from settlement.documents import ledger_workbook, sheet_pdf
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list
from settlement.services import sheet_confirm, sheets_compute
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER, approved_log, confirmed_score, issued
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db
Kind, Clause, Status = Penalty.Kind, Penalty.Clause, Penalty.Status


def test_an_order_level_penalty_proposes_20_percent_of_its_planned_total(active_contract):
    order = Order(contract=active_contract, planned_amount=Decimal("123456.78"))
    # 123,456.78 × 0.20 = 24,691.356 → 24,691.36 (half up)
    proposal = propose(kind=Kind.PENALTY, clause="7.4", contract=active_contract, order=order)
    assert (proposal.basis, proposal.amount) == (Decimal("123456.78"), Decimal("24691.36"))


def test_a_recorded_penalty_keeps_the_proposal_beside_its_amount(active_contract, procurement):
    order = issued(active_contract, planned="100")  # 100 days × 900.00 = 90,000.00
    penalty = penalty_record(
        actor=procurement,
        contract=active_contract,
        order=order,
        kind=Kind.PENALTY,
        clause=Clause.C7_2,
        description="未按约定时间执行支撑",
    )
    # 90,000.00 × 0.20 = 18,000.00
    assert (penalty.basis_amount, penalty.proposed_amount, penalty.amount) == (
        Decimal("90000.00"),
        Decimal("18000.00"),
        Decimal("18000.00"),
    )
    assert (penalty.status, penalty.recorded_by) == (Status.PROPOSED, procurement)


def test_a_contract_level_penalty_rests_on_settled_plus_committed(active_contract, procurement):
    issued(active_contract, planned="100")  # reserves 90,000.00
    issued(active_contract, name="第二批", planned="41.5")  # reserves 41.5 × 900.00 = 37,350.00
    active_contract.refresh_from_db()
    penalty = penalty_record(
        actor=procurement,
        contract=active_contract,
        kind=Kind.PENALTY,
        clause=Clause.C7_6,
        description="泄露甲方商业秘密",
    )
    # settled 0.00 + committed 127,350.00; × 0.20 = 25,470.00
    assert (penalty.order, penalty.basis_amount, penalty.proposed_amount) == (
        None,
        Decimal("127350.00"),
        Decimal("25470.00"),
    )


def test_a_refund_proposes_what_was_paid_for_the_order_and_needs_an_order(
    active_contract, procurement
):
    order = issued(active_contract)
    Order.objects.filter(pk=order.pk).update(settled_total=Decimal("12345.67"))
    order.refresh_from_db()
    proposal = propose(kind=Kind.REFUND, clause="7.8", contract=active_contract, order=order)
    assert (proposal.basis, proposal.amount) == (Decimal("12345.67"), Decimal("12345.67"))
    with pytest.raises(PenaltyError) as refused:
        propose(kind=Kind.REFUND, clause="7.8", contract=active_contract, order=None)
    assert refused.value.field == "order"
    with pytest.raises(PenaltyError) as refused:  # 7.4 is a penalty's clause, not a refund's
        propose(kind=Kind.REFUND, clause="7.4", contract=active_contract, order=order)
    assert refused.value.field == "clause"


def test_another_amount_than_the_proposal_needs_a_reason(active_contract, procurement, vendor_pm):
    order = issued(active_contract, planned="100")
    with pytest.raises(PenaltyError) as refused:
        penalty_record(
            actor=procurement,
            contract=active_contract,
            order=order,
            kind=Kind.PENALTY,
            clause=Clause.C7_2,
            description="延误",
            amount=Decimal("5000.00"),
        )
    assert refused.value.field == "reason"
    assert not Penalty.objects.exists()  # nothing half-saved
    penalty = penalty_record(
        actor=procurement,
        contract=active_contract,
        order=order,
        kind=Kind.PENALTY,
        clause=Clause.C7_2,
        description="延误",
    )
    penalty = penalty_answer(penalty=penalty, actor=vendor_pm, step="dispute", answer="过高")
    with pytest.raises(PenaltyError):
        penalty_decide(penalty=penalty, actor=procurement, amount=Decimal("5000.00"))
    penalty.refresh_from_db()
    assert penalty.status == Status.DISPUTED
    penalty = penalty_decide(
        penalty=penalty, actor=procurement, amount=Decimal("5000.00"), reason="仅部分延误"
    )
    assert (penalty.status, penalty.amount, penalty.proposed_amount, penalty.reason) == (
        Status.DECIDED,
        Decimal("5000.00"),
        Decimal("18000.00"),
        "仅部分延误",
    )


def test_a_dispute_says_why(active_contract, procurement, vendor_pm):
    penalty = penalty_record(
        actor=procurement,
        contract=active_contract,
        kind=Kind.PENALTY,
        clause=Clause.C7_5,
        description="超范围使用作品",
        amount=Decimal("1000.00"),
        reason="约定",
    )
    with pytest.raises(PenaltyError):
        penalty_answer(penalty=penalty, actor=vendor_pm, step="dispute", answer=" ")


def _decided(contract, order, procurement):
    penalty = penalty_record(
        actor=procurement,
        contract=contract,
        order=order,
        kind=Kind.PENALTY,
        clause=Clause.C7_2,
        description="未按约定时间执行支撑",
    )
    return penalty_decide(penalty=penalty, actor=procurement)


def test_the_next_sheet_takes_a_decided_penalty_as_a_deduction_line(
    worked_example, active_contract, procurement, vendor_pm
):
    penalty = _decided(active_contract, worked_example, procurement)  # 18,000.00 (see above)
    sheets_compute(order_ids=[worked_example.pk], month=OCTOBER)
    sheet = SettlementSheet.objects.get(order=worked_example)
    # SPEC §3's example: 49,162.11 × 92.5 / 100 = 45,474.95; less 18,000.00 = 27,474.95;
    # excl. 27,474.95 / 1.06 = 25,919.764… → 25,919.76; tax 27,474.95 − 25,919.76 = 1,555.19.
    assert (
        sheet.uncapped_incl_tax,
        sheet.deductions_incl_tax,
        sheet.payable_incl_tax,
        sheet.payable_excl_tax,
        sheet.tax_amount,
        sheet.capped,
    ) == (
        Decimal("45474.95"),
        Decimal("18000.00"),
        Decimal("27474.95"),
        Decimal("25919.76"),
        Decimal("1555.19"),
        False,
    )
    penalty.refresh_from_db()
    assert (penalty.status, penalty.offset_sheet) == (Status.DECIDED, sheet)

    text = pdf_text(sheet_pdf(sheet))
    assert "考核后金额（含税）￥45,474.95元" in text
    assert "违约金抵扣（第7.2条）￥-18,000.00元" in text
    assert "应支付金额（含税）￥27,474.95元" in text

    book = load_workbook(BytesIO(ledger_workbook(sheet_list(user=procurement))))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][18:20] == ("违约金/退款抵扣", "抵扣条款")
    assert rows[1][11] == 27474.95
    assert rows[1][18:20] == (-18000, "违约金 7.2 18,000.00")
    assert rows[-1][18] == -18000  # 合计

    sheet = sheet_confirm(sheet=sheet, actor=vendor_pm)  # recomputed: still takes it
    sheet = sheet_confirm(sheet=sheet, actor=procurement)
    penalty.refresh_from_db()
    active_contract.refresh_from_db()
    assert (penalty.status, penalty.offset_sheet) == (Status.OFFSET, sheet)
    # The ceiling counts what is paid, net of the penalty.
    assert active_contract.settled_total == Decimal("27474.95")
    assert sheet.payable_incl_tax == Decimal("27474.95")


def test_a_second_sheet_does_not_take_it_again(
    worked_example, active_contract, procurement, vendor_pm
):
    second = issued(active_contract, name="第二批", planned="20")
    approved_log(second, OCTOBER, [(member(active_contract, 9), "10")], procurement)
    confirmed_score(second, OCTOBER, "45", procurement, vendor_pm)
    penalty = _decided(active_contract, worked_example, procurement)
    sheets_compute(order_ids=[worked_example.pk, second.pk], month=OCTOBER)
    sheets_compute(order_ids=[second.pk], month=OCTOBER)  # again: still not taken
    first = SettlementSheet.objects.get(order=worked_example)
    other = SettlementSheet.objects.get(order=second)
    assert (first.deductions_incl_tax, other.deductions_incl_tax) == (Decimal("18000.00"), 0)
    # 10 × 900.00 = 9,000.00, scored 45 + 20 + 10 + 10 + 10 = 95 (no incident): 8,550.00,
    # nothing deducted
    assert other.payable_incl_tax == other.uncapped_incl_tax == Decimal("8550.00")
    penalty.refresh_from_db()
    assert penalty.offset_sheet == first


def test_a_penalty_larger_than_the_sheet_waits_for_another(
    worked_example, active_contract, procurement
):
    penalty = penalty_record(
        actor=procurement,
        contract=active_contract,
        kind=Kind.PENALTY,
        clause=Clause.C7_6,
        description="泄露",
        amount=Decimal("50000.00"),
        reason="按损失",
    )
    penalty_decide(penalty=penalty, actor=procurement, amount=Decimal("50000.00"), reason="按损失")
    sheets_compute(order_ids=[worked_example.pk], month=OCTOBER)
    sheet = SettlementSheet.objects.get(order=worked_example)
    assert (sheet.deductions_incl_tax, sheet.payable_incl_tax) == (0, Decimal("45474.95"))


def test_the_demand_when_no_sheet_follows(active_contract, procurement, clock):
    order = issued(active_contract, planned="100")
    penalty = _decided(active_contract, order, procurement)
    with pytest.raises(PenaltyError) as refused:  # an order is still open: its sheet follows
        penalty_demand(penalty=penalty, actor=procurement)
    assert refused.value.status == 409
    clock(date(2027, 1, 5))  # the contract has ended (its term: 2026)
    active_contract.end_date = date(2026, 12, 31)
    active_contract.save(update_fields=["end_date"])
    penalty = penalty_demand(penalty=penalty, actor=procurement)
    assert penalty.demanded_on == date(2027, 1, 5)
    from governance.penalty_documents import demand_pdf

    text = pdf_text(demand_pdf(penalty))
    assert "违约金催收函" in text
    assert "第7.2条" in text and "18,000.00" in text and "壹万捌仟元整" in text
