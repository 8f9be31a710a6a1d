from celery import shared_task
from django.utils import timezone

from core.tasks import RETRY
from staffing.services import staff_mark_departed


@shared_task(**RETRY)
def staff_mark_departed_task():
    """Daily: members past their last day leave the roster."""
    return staff_mark_departed(today=timezone.localdate())
