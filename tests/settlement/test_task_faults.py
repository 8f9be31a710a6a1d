"""A settlement job interrupted half-way, by a killed worker or a cut database connection, and
run again: no duplicate, no partial sheet, and the month ends up settled whole. A real Celery
worker (prefork, as in production) on PostgreSQL; CI runs these."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum

from config.celery import app
from core.db import database_url
from demo.scale import Scale, generate
from orders.models import Order
from settlement.models import SettlementSheet
from settlement.services import CHUNK, sheets_compute
from settlement.tasks import settlements_compute_task
from worklogs.models import WorkLogLine

JANUARY = date(2026, 1, 1)
QUEUE = "faults"
NODE = f"faults@{socket.gethostname()}"

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="a real worker on PostgreSQL (CI)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def faults_worker(django_db_setup, django_db_blocker):
    """A prefork worker of its own queue, whose pool process the tests may kill."""
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(QUEUE)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
         "--concurrency=1", f"--queues={QUEUE}", f"--hostname={NODE}", "--loglevel=warning",
         "--without-gossip", "--without-mingle"],
        env={**os.environ, "DATABASE_URL": database_url()},
    )  # fmt: skip
    try:
        until(lambda: app.control.ping(destination=[NODE], timeout=0.5), "the worker answers")
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for: {what}")


def backends_waiting_for_a_lock() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def assert_sheets_whole():
    """One sheet per order at most, each with all its lines (the figures themselves are
    checked by hand in test_money)."""
    assert not SettlementSheet.objects.values("order").annotate(n=Count("id")).filter(n__gt=1)
    for sheet in SettlementSheet.objects.prefetch_related("lines"):
        lines = list(sheet.lines.all())
        logged = WorkLogLine.objects.filter(log=sheet.worklog).aggregate(days=Sum("days"))
        assert lines and sum(line.days for line in lines) == logged["days"], sheet
        assert sheet.base_amount == sum((line.amount for line in lines), Decimal(0)), sheet


@pytest.fixture
def month_blocked_half_way(faults_worker):
    """A month of 150 orders (two chunks) whose job stops, its first chunk saved, at a sheet
    of the second chunk that another connection holds locked. Yields the task, the job's
    blocked backend and that connection (roll it back to let the job go on)."""
    generate(Scale(contracts=2, orders=CHUNK + 50, staff=2 * (CHUNK + 50), months=1))
    last = Order.objects.order_by("-contract_id", "-pk").first()
    sheets_compute(order_ids=[last.pk], month=JANUARY)
    with psycopg.connect(database_url()) as holder:
        holder.execute(
            "SELECT id FROM settlement_settlementsheet WHERE order_id = %s FOR UPDATE", [last.pk]
        )
        task = settlements_compute_task.apply_async(args=("2026-01",), queue=QUEUE)
        [blocked] = until(backends_waiting_for_a_lock, "the job waits for the locked sheet")
        assert task.state == "PROGRESS" and task.info == {"done": CHUNK, "total": CHUNK + 50}
        yield task, blocked, holder


def test_a_worker_killed_half_way_leaves_whole_sheets_and_the_job_runs_again(
    month_blocked_half_way,
):
    task, _backend, holder = month_blocked_half_way
    [active] = app.control.inspect(destination=[NODE]).active()[NODE]
    os.kill(active["worker_pid"], signal.SIGKILL)

    # acks_late and reject_on_worker_lost: the job is queued again and blocks at the same sheet
    # (the killed process's connection still waits behind it).
    until(lambda: len(backends_waiting_for_a_lock()) == 2, "the job runs again")
    assert SettlementSheet.objects.count() == CHUNK + 1  # the first chunk whole, nothing else
    assert_sheets_whole()

    holder.rollback()  # the sheet is let go
    assert task.get(timeout=60) == {"month": "2026-01", "orders": 150, "computed": 150}
    assert SettlementSheet.objects.count() == 150
    assert_sheets_whole()


def test_a_cut_database_connection_is_retried_and_the_job_finishes(month_blocked_half_way):
    task, backend, holder = month_blocked_half_way
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])

    # An OperationalError is transient: the task is retried (after a pause) on a new connection.
    until(lambda: backends_waiting_for_a_lock(), "the retry waits for the locked sheet", 30)
    assert SettlementSheet.objects.count() == CHUNK + 1
    assert_sheets_whole()

    holder.rollback()
    assert task.get(timeout=60) == {"month": "2026-01", "orders": 150, "computed": 150}
    assert task.retries == 1
    assert SettlementSheet.objects.count() == 150
    assert_sheets_whole()


def test_a_bad_request_is_not_retried(faults_worker):
    task = settlements_compute_task.apply_async(args=("2026-13",), queue=QUEUE)
    with pytest.raises(ValueError):
        task.get(timeout=30)
    assert task.retries == 0
