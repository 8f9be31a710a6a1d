from celery import shared_task
from django.utils import timezone

from core.tasks import RETRY
from orders.services import orders_start_due
from orders.terminations import terminations_apply_due


@shared_task(**RETRY)
def orders_start_due_task():
    """Daily: issued orders whose service period has begun are in service."""
    return orders_start_due(today=timezone.localdate())


@shared_task(**RETRY)
def terminations_apply_due_task():
    """Daily at 00:05: terminations whose date has come take effect (SPEC §9)."""
    return terminations_apply_due()
