"""What every task shares: it is retried only on errors that pass by themselves (the database
lost, restarted or in a deadlock), with a growing pause; any other error fails it at once. And
its state as a page follows it, interrupted when its worker is gone."""

from pathlib import Path

from celery import current_app, shared_task
from celery.result import AsyncResult
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.backups import backup_write
from core.bank_accounts import bank_account_changes_apply
from core.health import beat_heartbeat

TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}

RUNNING = ("STARTED", "PROGRESS")
INTERRUPTED = "INTERRUPTED"
WORKER_ASKED_EVERY = 3  # seconds; pages poll a task every 700 ms


def state_of(result: AsyncResult) -> str:
    """The task's state, or INTERRUPTED when it started but its worker is gone (killed, its
    machine lost): that worker no longer answers, or no longer holds the task. Its message waits
    for the broker's visibility timeout (an hour) before another worker takes it, so the user is
    told at once and may run it again, as every task is safe to run twice. Tasks run in-process
    (no broker) have no worker to ask."""
    state = result.state
    if state not in RUNNING or not result.worker or worker_holds(result.id, result.worker):
        return state
    state = result.state  # it may have ended while its worker was asked
    return INTERRUPTED if state in RUNNING else state


def worker_holds(task_id: str, worker: str) -> bool:
    """Whether the worker still runs (or holds) the task, asked at most every few seconds;
    always so for tasks run in-process."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    key = f"task-held:{task_id}:{worker}"
    held = cache.get(key)
    if held is None:
        inspect = current_app.control.inspect(destination=[worker], timeout=1)
        held = bool((inspect.query_task(task_id) or {}).get(worker))
        cache.set(key, held, WORKER_ASKED_EVERY)
    return held


@shared_task(**RETRY)
def bank_account_changes_apply_task():
    """Daily: bank-account changes whose ten days' notice has passed and that every buyer
    confirmed take effect (clause 4.6.3; safe to run twice)."""
    return bank_account_changes_apply(today=timezone.localdate())


@shared_task(ignore_result=True)
def beat_heartbeat_task():
    """Beat's heartbeat, every minute (core.health: /readyz)."""
    beat_heartbeat()


@shared_task
def backup_task():
    """Nightly when BACKUP_HOUR is set: one archive into BACKUP_DIR; its path."""
    return str(backup_write(folder=Path(settings.BACKUP_DIR)))
