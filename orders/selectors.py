from core.history import history_entries
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


def order_history(order: Order):
    """The order's changes with those of its planned lines and payment plan."""
    return history_entries(
        order,
        parts=[
            (OrderLine.history.filter(order_id=order.pk), lambda r: f"{r.role} {r.level}"),
            (PaymentPlanItem.history.filter(order_id=order.pk), lambda r: r.stage),
        ],
    )
