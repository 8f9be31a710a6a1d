from celery import shared_task
from django.utils import timezone

from contracts.amendments import amendments_take_effect
from contracts.services import contracts_expire_due
from core.tasks import RETRY


@shared_task(**RETRY)
def contracts_expire_due_task():
    """Daily: amendments whose date has come change their contracts' ceiling and term, then
    contracts whose term has ended become expired (safe to run twice)."""
    today = timezone.localdate()
    amendments_take_effect(today=today)
    return contracts_expire_due(today=today)
