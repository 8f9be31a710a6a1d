from celery import shared_task
from django.utils import timezone

from core.tasks import RETRY
from staffing.retention import personal_data_erase_due
from staffing.services import staff_mark_departed


@shared_task(**RETRY)
def staff_mark_departed_task():
    """Daily: members past their last day leave the roster."""
    return staff_mark_departed(today=timezone.localdate())


@shared_task(**RETRY)
def personal_data_erase_due_task():
    """Daily: the ID numbers and phones of contracts ended longer ago than allowed, erased."""
    return len(personal_data_erase_due(today=timezone.localdate()))
