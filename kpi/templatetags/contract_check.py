from django import template

from kpi.selectors import contract_findings

register = template.Library()


@register.inclusion_tag("kpi/contract_check.html")
def contract_check(contract):
    """What the contract's own text disagrees on and how the portal settles it, on the
    contract's page as on its orders' KPI pages (nothing for a contract without any)."""
    return {"findings": contract_findings(contract)}
