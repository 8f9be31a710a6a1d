from django import template
from django.db.models import Q, Sum

from core.models import User
from core.money import ZERO
from governance.models import Penalty
from orders.models import Order

register = template.Library()
Status = Penalty.Status


@register.inclusion_tag("governance/penalties_panel.html", takes_context=True)
def penalties_panel(context, obj):
    """A contract's or an order's penalties and refunds beside its settlements: each record,
    and what is decided, offset by a signed sheet, and still pending."""
    order = obj if isinstance(obj, Order) else None
    contract = order.contract if order else obj
    rows = Penalty.objects.filter(contract=contract).select_related("order", "offset_sheet__order")
    if order is not None:
        rows = rows.filter(order=order)
    totals = rows.aggregate(
        decided=Sum("amount", filter=Q(status__in=[Status.DECIDED, Status.OFFSET])),
        offset=Sum("amount", filter=Q(status=Status.OFFSET)),
        pending=Sum("amount", filter=Q(status=Status.DECIDED)),
        open=Sum(
            "amount", filter=Q(status__in=[Status.PROPOSED, Status.ACKNOWLEDGED, Status.DISPUTED])
        ),
    )
    query = f"contract={contract.pk}" + (f"&order={order.pk}" if order else "")
    return {
        "penalties": rows,
        "totals": {name: value or ZERO for name, value in totals.items()},
        "settled": (order or contract).settled_total,
        "may_record": context["request"].user.has_role(User.Role.PROCUREMENT),
        "query": query,
    }
