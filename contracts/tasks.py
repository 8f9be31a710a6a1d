from celery import shared_task
from django.utils import timezone

from contracts.services import contracts_expire_due
from core.tasks import RETRY


@shared_task(**RETRY)
def contracts_expire_due_task():
    """Daily: contracts whose term has ended become expired (safe to run twice)."""
    return contracts_expire_due(today=timezone.localdate())
