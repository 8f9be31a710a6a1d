"""A settlement job interrupted half-way, by a killed worker or a cut database connection, and
run again: no duplicate, no partial sheet, and the month ends up settled whole, the part that
was interrupted run again alone; a job whose whole worker is gone shows as interrupted at once
and is resumed where it stopped. A real Celery worker (prefork, as in production) on
PostgreSQL; CI runs these."""

import os
import signal
import socket
import time
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum

from bench.workers import until, worker_of
from config.celery import app
from core.db import database_url
from core.models import User
from core.tasks import WORKER_ASKED_EVERY
from demo.scale import Scale, generate
from orders.models import Order
from settlement.models import SettlementSheet, TaskPart
from settlement.services import CHUNK, sheets_compute
from settlement.tasks import settlements_compute_task
from tests.conftest import wait_for_task
from tests.workers import routed
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
    """A worker whose pool process the tests may kill."""
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(QUEUE)
    worker = worker_of(QUEUE, NODE)
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


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
        assert lines and sum(line.quantity for line in lines) == logged["days"], sheet
        assert sheet.base_amount == sum((line.amount for line in lines), Decimal(0)), sheet


def counted(result: dict) -> dict:
    """The month, its orders and the drafts now current, of a computation's result."""
    return {key: result[key] for key in ("month", "orders", "computed")}


def attempts(task_id) -> list[int]:
    """How many times each part of the job was started, in order."""
    return list(
        TaskPart.objects.filter(run__task_id=task_id)
        .order_by("index")
        .values_list("attempts", flat=True)
    )


@pytest.fixture
def month_blocked_half_way(faults_worker):
    """A month of two contracts' 75 orders each (two parts), whose job stops, the first part
    saved, at a sheet of the second that another connection holds locked. Yields the task, the
    job's blocked backend and that connection (roll it back to let the job go on)."""
    generate(Scale(contracts=2, orders=150, staff=300, months=1))
    last = Order.objects.order_by("-contract_id", "-pk").first()
    sheets_compute(order_ids=[last.pk], month=JANUARY)
    with psycopg.connect(database_url()) as holder:
        holder.execute(
            "SELECT id FROM settlement_settlementsheet WHERE order_id = %s FOR UPDATE", [last.pk]
        )
        task = settlements_compute_task.apply_async(args=("2026-01",), queue=QUEUE)
        [blocked] = until(backends_waiting_for_a_lock, "the job waits for the locked sheet")
        assert SettlementSheet.objects.count() == 75 + 1  # the first part whole, nothing else
        yield task, blocked, holder


def test_a_worker_killed_half_way_leaves_whole_sheets_and_the_job_runs_again(
    month_blocked_half_way,
):
    task, _backend, holder = month_blocked_half_way
    [active] = app.control.inspect(destination=[NODE]).active()[NODE]
    os.kill(active["worker_pid"], signal.SIGKILL)

    # acks_late and reject_on_worker_lost: the part is queued again and blocks at the same sheet
    # (the killed process's connection still waits behind it).
    until(lambda: len(backends_waiting_for_a_lock()) == 2, "the part runs again")
    assert SettlementSheet.objects.count() == 75 + 1
    assert_sheets_whole()

    holder.rollback()  # the sheet is let go
    assert counted(task.get(timeout=60)) == {"month": "2026-01", "orders": 150, "computed": 150}
    assert attempts(task.id) == [1, 2]  # the part done was not done again
    assert SettlementSheet.objects.count() == 150
    assert_sheets_whole()


def test_a_cut_database_connection_is_retried_and_the_job_finishes(month_blocked_half_way):
    task, backend, holder = month_blocked_half_way
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])

    # An OperationalError is transient: the part is retried (after a pause) on a new connection.
    until(lambda: backends_waiting_for_a_lock(), "the retry waits for the locked sheet", 30)
    assert SettlementSheet.objects.count() == 75 + 1
    assert_sheets_whole()

    holder.rollback()
    assert counted(task.get(timeout=60)) == {"month": "2026-01", "orders": 150, "computed": 150}
    assert attempts(task.id) == [1, 2]
    assert SettlementSheet.objects.count() == 150
    assert_sheets_whole()


def test_a_bad_request_is_not_retried(faults_worker):
    task = settlements_compute_task.apply_async(args=("2026-13",), queue=QUEUE)
    with pytest.raises(ValueError):
        task.get(timeout=30)
    assert task.retries == 0


LONE_QUEUE = "lone"
LONE_NODE = f"lone@{socket.gethostname()}"


@pytest.fixture
def lone_worker(django_db_setup):
    """lone_worker() → a worker of its own queue, where the months' computations go; each
    one started is stopped at the end, whatever the test did to it."""
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(LONE_QUEUE)
    workers = []

    def start():
        workers.append(worker_of(LONE_QUEUE, LONE_NODE))
        return workers[-1]

    with routed(settlements_compute_task, LONE_QUEUE):
        yield start
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_job_whose_worker_is_killed_shows_as_interrupted_and_runs_again(lone_worker, api):
    generate(Scale(contracts=1, orders=CHUNK + 1, staff=CHUNK + 1, months=1))
    procurement = User.objects.get(username="scale_caigou_2026")
    last = Order.objects.order_by("-contract_id", "-pk").first()
    sheets_compute(order_ids=[last.pk], month=JANUARY)
    client = api(procurement)

    def compute():
        started = client.post("/api/v1/settlements/compute/", {"month": "2026-01"}, format="json")
        return started.json()["task_id"]

    def state(task_id):
        return client.get(f"/api/v1/tasks/{task_id}/").json()

    worker = lone_worker()
    with psycopg.connect(database_url()) as holder:
        holder.execute(
            "SELECT id FROM settlement_settlementsheet WHERE order_id = %s FOR UPDATE", [last.pk]
        )
        task_id = compute()
        until(
            lambda: (state(task_id)["progress"] or {}).get("done") == CHUNK,
            "the first part is done",
        )
        assert state(task_id) == {
            "state": "PROGRESS",
            "progress": {
                "done": CHUNK,
                "total": CHUNK + 1,
                "parts_done": 1,
                "parts": 2,
                "failed": [],
            },
            "result": None,
        }

        until(backends_waiting_for_a_lock, "the second part waits for the locked sheet")

        # The whole worker dies (as with its machine or its container): nothing is left to
        # finish the job, whose message waits an hour for the broker to hand it out again.
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        killed = time.monotonic()
        until(lambda: state(task_id)["state"] == "INTERRUPTED", "the job shows as interrupted")
        asked = time.monotonic()
        assert asked - killed < 10
        holder.rollback()

    # A new worker under the same name answers, but does not hold the job: still interrupted.
    lone_worker()
    time.sleep(max(0.0, asked + WORKER_ASKED_EVERY - time.monotonic()))  # it is asked anew
    assert state(task_id) == {"state": "INTERRUPTED", "progress": None, "result": None}

    # Resumed where it stopped: the interrupted part alone runs again, then the summary.
    assert client.post(f"/api/v1/tasks/{task_id}/resume/").status_code == 202
    finished = wait_for_task(client, task_id)
    assert (finished["state"], counted(finished["result"])) == (
        "SUCCESS",
        {"month": "2026-01", "orders": CHUNK + 1, "computed": CHUNK + 1},
    )
    assert attempts(task_id) == [1, 2]
    assert SettlementSheet.objects.count() == CHUNK + 1
    assert_sheets_whole()
    assert client.post(f"/api/v1/tasks/{task_id}/resume/").status_code == 409  # nothing left
