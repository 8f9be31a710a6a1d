"""A national buyer's year (`generate_scale`'s default), then one month's sheets for all its
orders, against one SQL query that aggregates the same log lines by order."""

import time
from datetime import date

from django.db import connection
from django.db.models import Sum

from demo.scale import Scale, generate
from settlement.services import settlements_compute
from worklogs.models import WorkLog, WorkLogLine

MONTH = date(2026, 10, 1)


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather them in a while
    (without them PostgreSQL plans the new tables as nearly empty)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _floor() -> float:
    """The month's approved days summed by order: reading what the computation must read."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        rows = list(
            WorkLogLine.objects.filter(log__month=MONTH, log__status=WorkLog.Status.APPROVED)
            .values("log__order_id")
            .annotate(days=Sum("days"))
            .order_by()
        )
        best = min(best, time.perf_counter() - started)
    assert rows
    return best


def run() -> dict:
    started = time.perf_counter()
    made = generate(Scale())
    generate_s = time.perf_counter() - started
    analyze()

    floor_s = _floor()
    started = time.perf_counter()
    result = settlements_compute(month=MONTH)
    settle_s = time.perf_counter() - started
    assert result["computed"] == made["orders"], result
    started = time.perf_counter()
    settlements_compute(month=MONTH)
    again_s = time.perf_counter() - started

    return {
        **{f"scale_{name}": value for name, value in made.items()},
        "generate_s": round(generate_s, 1),
        "settle_orders": result["orders"],
        "settle_s": round(settle_s, 3),
        "settle_floor_s": round(floor_s, 4),
        "settle_vs_floor": round(settle_s / floor_s, 1),
        "settle_again_s": round(again_s, 3),
    }
