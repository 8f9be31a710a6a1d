"""A score the vendor disputed (确认书, 3.3.1) waits on procurement: reminded once it has waited
too long."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from core.models import User
from notifications.reminders import Recipients, Reminder, register, waiting_since

DISPUTED = Assessment.Status.DISPUTED


@register
def disputes_waiting(today):
    """Disputed since its last move to disputed (the history says when: the model keeps no
    date of it)."""
    people = Recipients()
    since = (
        Assessment.history.filter(id=OuterRef("pk"), status=DISPUTED)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    disputed = (
        Assessment.objects.filter(status=DISPUTED)
        .annotate(since=Subquery(since))
        .filter(since__lt=waiting_since(today))
        .select_related("order__contract")
    )
    for assessment in disputed:
        day = timezone.localdate(assessment.since)
        yield Reminder(
            "approval_waiting",
            people(assessment.order.contract.buyer_id, User.Role.PROCUREMENT),
            _("The score of %(assessment)s, disputed on %(day)s, still waits for an answer."),
            key=f"approval_waiting:score:{assessment.pk}:{day}",
            url=reverse(
                "assessment-month", args=[assessment.order_id, f"{assessment.month:%Y-%m}"]
            ),
            params={"assessment": str(assessment), "day": str(day)},
        )
