"""What the amendment tests share: an amendment drafted, signed by the vendor, then the buyer."""

from contracts.amendments import LineChange, amendment_create, amendment_sign


def in_force(contract, procurement, vendor_pm, lines=(), **values):
    """An amendment of the contract from `effective_from`, signed by both sides."""
    amendment = amendment_create(contract=contract, actor=procurement, lines=list(lines), **values)
    amendment_sign(amendment=amendment, actor=vendor_pm)
    return amendment_sign(amendment=amendment, actor=procurement)


def repriced(contract, role, level, price):
    line = contract.rate_card_lines.get(role=role, level=level)
    return LineChange(price_excl_tax=price, rate_card_line=line)
