"""The settlement's figures on `/metrics` (core.metrics): sheets by status, the fanned-out
jobs' parts by state, and the attempts their parts needed beyond the first."""

from django.db.models import Count, F, Sum

from core.metrics import gauge
from settlement.models import SettlementSheet, TaskPart


def _by(model, field):
    return model.objects.order_by().values_list(field).annotate(n=Count("pk"))


def figures():
    sheets = _by(SettlementSheet, "status")
    yield gauge(
        "portal_sheets",
        "Settlement sheets by status",
        labels=["status"],
        rows=(([status], n) for status, n in sheets),
    )
    parts = _by(TaskPart, "state")
    yield gauge(
        "portal_task_parts",
        "Parts of long jobs by state",
        labels=["state"],
        rows=(([state], n) for state, n in parts),
    )
    retried = TaskPart.objects.filter(attempts__gt=1).aggregate(n=Sum(F("attempts") - 1))
    yield gauge(
        "portal_task_part_retries", "Attempts of parts beyond their first", retried["n"] or 0
    )
