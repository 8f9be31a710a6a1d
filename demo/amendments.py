"""003's 补充协议 (11.4): one in force re-pricing 技术支持 高级 from October 2026 (no sheet of
October or later exists in the demo, so no figure already shown moves), and one draft that
extends the term and raises the ceiling, waiting for the vendor's signature."""

from datetime import date
from decimal import Decimal

from contracts.amendments import LineChange, amendment_create, amendment_sign

# 1,132.08 excl. tax: 1,132.08 × 1.06 = 1,200.0048 → 1,200.00 a day incl. tax (was 1,294.74).
REPRICED = ("技术支持", "高级", Decimal("1132.08"))


def load_amendments(contract, *, procurement, vendor_pm) -> None:
    role, level, price = REPRICED
    line = contract.rate_card_lines.get(role=role, level=level)
    amendment = amendment_create(
        contract=contract,
        actor=procurement,
        effective_from=date(2026, 10, 1),
        description="经双方协商，自2026年10月起技术支持（高级）人天单价下调。",
        lines=[LineChange(price_excl_tax=price, rate_card_line=line)],
    )
    amendment_sign(amendment=amendment, actor=vendor_pm)
    amendment_sign(amendment=amendment, actor=procurement)
    amendment_create(
        contract=contract,
        actor=procurement,
        effective_from=date(2026, 12, 1),
        end_date=date(2027, 6, 30),
        ceiling_incl_tax=Decimal("19000000.00"),
        description="项目延期至2027年6月30日，框架上限相应调增。",
    )
