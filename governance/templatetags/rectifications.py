from django import template
from django.utils import timezone

from core.models import User
from governance.models import Rectification
from governance.selectors import rectification_counts

register = template.Library()


@register.inclusion_tag("governance/contract_panel.html", takes_context=True)
def rectifications_panel(context, contract):
    """2.10 on the contract page: the failed rectifications (more than 3 let the buyer
    terminate without liability), the open and overdue ones."""
    counts = rectification_counts(contract=contract, today=timezone.localdate())
    user = context["request"].user
    return {
        "contract": contract,
        "counts": counts,
        "may_terminate": counts["failed"] > Rectification.TERMINATION_AFTER,
        "limit": Rectification.TERMINATION_AFTER,
        "is_procurement": user.has_role(User.Role.PROCUREMENT),
    }
