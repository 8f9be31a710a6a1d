"""A termination in the demo: 001's order of its last months, ended under 7.2 before 001's term
ran out, released what it still reserved of the ceiling. Loaded once 001's term is over (the
demo tells 001's past; a demo loaded inside the term leaves 001 as it is)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from contracts.models import FrameworkContract
from orders.services import order_create, order_issue
from orders.terminations import termination_give

CODE_001 = "MGYY-2025-001"


def load_termination_001(*, procurement) -> None:
    contract = FrameworkContract.objects.get(code=CODE_001)
    over = timezone.localdate() > contract.end_date
    if not over or contract.status != contract.Status.ACTIVE or contract.orders.exists():
        return
    # Planned: 40 × 900.00 + 40 × 500.00 = 36,000.00 + 20,000.00 = 56,000.00; nothing settled.
    order = order_create(
        contract=contract,
        name="AI彩铃春节营销专项支撑",
        service_start=date(2026, 1, 5),
        service_end=contract.end_date,
        service_items="春节档AI彩铃模板定制与营销推广",
        lines=[
            {"role": "AI应用定制服务", "level": "高级", "planned_quantity": Decimal("40")},
            {"role": "场景营销支撑服务", "level": "初级", "planned_quantity": Decimal("40")},
        ],
    )
    order_issue(order=order, actor=procurement)
    # The notice was delivered on paper on 20 January; the project ends on the 31st, and its
    # 56,000.00 return to the ceiling.
    termination_give(
        contract=contract,
        order=order,
        kind="breach",
        clause="7.2",
        reason="乙方未按约定时间提供春节档模板，且未事先与甲方协商达成共识，甲方依第7.2条解除本项目。",
        noticed_on=date(2026, 1, 20),
        effective_on=date(2026, 1, 31),
        actor=procurement,
    )
