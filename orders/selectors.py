from orders.models import Order


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
