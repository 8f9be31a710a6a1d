from datetime import date

from contracts.models import FrameworkContract
from core.history import history_entries
from core.money import with_tax
from orders.models import Order, OrderLine, PaymentPlanItem


def order_list(*, user):
    return Order.objects.visible_to(user).select_related("contract", "contract__vendor")


def order_detail_queryset(*, user):
    return (
        order_list(user=user)
        .select_related("contract__buyer")
        .prefetch_related(
            "lines",
            "payment_plan",
            "attachments",
            "contract__tax_rates",
            "contract__rate_card_lines",
        )
    )


def agreed_prices(contract: FrameworkContract, day: date) -> dict:
    """(role, level) → (rate-card line, agreed price incl. tax at the rate in force on `day`)
    of the lines with an agreed price: what an order starting that day is planned at."""
    rate = contract.tax_rate_on(day)
    return {
        (line.role, line.level): (line, with_tax(line.price_excl_tax, rate))
        for line in contract.rate_card_lines.all()
        if line.price_excl_tax is not None
    }


def order_form_prices(contract: FrameworkContract, day: date) -> dict:
    """What the order form prices its lines with as the user types (static/js/order_form.js):
    each line's unit price incl. tax and the contract's free amount under its ceiling."""
    return {
        "contract": contract.code,
        "ceiling": str(contract.ceiling_incl_tax),
        "free": str(contract.free_amount),
        "lines": [
            {
                "key": f"{line.role}|{line.level}",
                "label": str(line),
                "unit": line.unit,
                "price": str(price),
            }
            for line, price in agreed_prices(contract, day).values()
        ],
    }


def order_history(order: Order):
    """The order's changes with those of its planned lines and payment plan."""
    return history_entries(
        order,
        parts=[
            (OrderLine.history.filter(order_id=order.pk), lambda r: f"{r.role} {r.level}"),
            (PaymentPlanItem.history.filter(order_id=order.pk), lambda r: r.stage),
        ],
    )
