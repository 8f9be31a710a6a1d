from django import template

from orders.models import Termination

register = template.Library()


@register.inclusion_tag("orders/terminations_panel.html", takes_context=True)
def terminations_panel(context, contract, order=None):
    """The terminations of a contract (or of one order) on its page, with their dates."""
    terminations = Termination.objects.filter(contract=contract).select_related("order")
    if order is not None:
        terminations = terminations.filter(order=order)
    return {"terminations": list(terminations), "contract": contract, "order": order}
