from django import template
from django.utils import timezone

from orders.team import team_of

register = template.Library()


@register.inclusion_tag("staffing/team_panel.html")
def team_panel(contract):
    """3.2.1–3.2.2 on the contract's page: the planned team against who is approved, with the
    deadlines and what is overdue (nothing for a contract whose kind plans no team)."""
    today = timezone.localdate()
    team = team_of(contract)
    return {
        "contract": contract,
        "team": team,
        "today": today,
        "formation_overdue": team and team.formation_overdue(today),
        "rows": [(row, row.overdue(today)) for row in team.rows] if team else [],
    }
