"""003's penalty register: a 7.2 breach of order 003-001 (two events of August not held on the
agreed days, without agreeing it first), disputed by the vendor and decided below the portal's
proposal, with the reason; September's draft sheet takes it as a deduction line, and signing
that sheet offsets it."""

from datetime import date
from decimal import Decimal

from contracts.models import FrameworkContract
from governance.models import Penalty
from governance.penalties import penalty_answer, penalty_decide, penalty_record
from settlement.services import settlements_compute

SEPTEMBER = date(2026, 9, 1)


def load_penalties_003(*, procurement, vendor_pm) -> None:
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    if Penalty.objects.filter(contract=contract).exists():
        return
    order = contract.orders.get(batch=1)
    # Proposed: 20% of the order's planned 757,286.00 = 151,457.20.
    penalty = penalty_record(
        actor=procurement,
        contract=contract,
        order=order,
        kind=Penalty.Kind.PENALTY,
        clause=Penalty.Clause.C7_2,
        description="8月两场线上活动未按约定时间执行支撑，且未事先与甲方协商达成共识。",
    )
    penalty = penalty_answer(
        penalty=penalty,
        actor=vendor_pm,
        step="dispute",
        answer="延误仅涉及8月两场活动，其余支撑均按期完成，按项目总额20%计违约金过高。",
    )
    penalty_decide(
        penalty=penalty,
        actor=procurement,
        amount=Decimal("6000.00"),
        reason="经双方核实，违约仅涉及8月两场活动，按受影响部分协商确定为6,000.00元。",
    )
    # September's draft is computed again: it takes the decided penalty as a deduction line.
    settlements_compute(month=SEPTEMBER, contract_id=contract.pk)
