from datetime import datetime

from celery import shared_task
from django.utils import timezone

from core.dates import add_months
from settlement.services import settlements_compute


@shared_task(bind=True)
def settlements_compute_task(self, month: str, contract_id=None, order_id=None):
    """A month's sheets; reports PROGRESS {done, total}; safe to run twice."""

    def progress(done, total):
        self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    return settlements_compute(
        month=datetime.strptime(month, "%Y-%m").date(),
        contract_id=contract_id,
        order_id=order_id,
        progress=progress,
    )


@shared_task
def settlements_compute_last_month_task():
    """Celery beat, monthly: last month's sheets."""
    return settlements_compute(month=add_months(timezone.localdate().replace(day=1), -1))
