"""Scores on the to-dos (SPEC §8): a published score waits on the vendor's confirmation or
dispute, a disputed one on procurement's answer."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register


def _score_url(assessment) -> str:
    """A KPI period's score is on the order's KPI page, a month's on its own page."""
    if assessment.period_months != 1:
        return reverse("kpi-order", args=[assessment.order_id])
    return reverse("assessment-month", args=[assessment.order_id, f"{assessment.month:%Y-%m}"])


def _with_status(user, status):
    return Assessment.objects.visible_to(user).filter(status=status).select_related("order")


@register(PROCUREMENT, 110)
def disputes_to_answer(desk: Desk) -> list[Todo]:
    disputed = _with_status(desk.user, Assessment.Status.DISPUTED)
    return [
        Todo(
            _("Disputed scores to answer"),
            [Item(str(a), _score_url(a), a.dispute_reason) for a in disputed],
        )
    ]


@register(VENDOR, 30)
def scores_to_confirm(desk: Desk) -> list[Todo]:
    published = _with_status(desk.user, Assessment.Status.PUBLISHED)
    return [
        Todo(
            _("Scores to confirm or dispute"),
            [Item(str(a), _score_url(a), f"{a.total_score}") for a in published],
        )
    ]
