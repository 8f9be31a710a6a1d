"""The logs' figure on `/metrics` (core.metrics): how long the oldest submitted log has waited
for procurement's approval."""

from django.db.models import Min
from django.utils import timezone

from core.metrics import gauge
from worklogs.models import WorkLog


def figures():
    oldest = WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).aggregate(
        at=Min("submitted_at")
    )["at"]
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0
    yield gauge(
        "portal_oldest_waiting_approval_seconds",
        "How long the oldest submitted work log has waited for approval",
        waited,
    )
