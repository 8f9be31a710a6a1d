"""The month's settlement and a zip of PDFs fanned out over one Celery worker, then two, started
here against the same PostgreSQL and Redis: how much a second worker adds. Each run takes other
work (another month, other sheets), so none finds the last one's result."""

import socket
import time
from datetime import date

from django.conf import settings

from bench.settle import analyze
from bench.workers import stop, worker_of
from config.celery import app
from core.models import User
from demo.scale import Scale
from settlement.models import SettlementSheet
from settlement.tasks import settlements_compute_task, sheets_pdf_zip_task

QUEUE = "bench"
PDF_SHEETS = 400
MONTHS = {1: date(2026, 11, 1), 2: date(2026, 12, 1)}


def _timed(workers: int, task, args: tuple) -> float:
    """The task on `workers` fresh workers of the bench's queue, from sending to its result."""
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(QUEUE)
    started = [
        worker_of(QUEUE, f"bench{n}@{socket.gethostname()}", MEDIA_ROOT=settings.MEDIA_ROOT)
        for n in range(workers)
    ]
    try:
        began = time.perf_counter()
        task.apply_async(args=args, queue=QUEUE).get(timeout=1800)
        return time.perf_counter() - began
    finally:
        stop(started)


def run() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"fanout": "skipped: set REDIS_URL for the workers' broker"}
    figures = {}
    for workers, month in MONTHS.items():
        figures[f"settle_{workers}w_s"] = round(
            _timed(workers, settlements_compute_task, (f"{month:%Y-%m}",)), 2
        )
    analyze()
    user = User.objects.get(username=f"scale_caigou_{Scale().seed}").pk
    sheets = list(SettlementSheet.objects.order_by("pk").values_list("pk", flat=True))
    for workers in (1, 2):
        batch = sheets[(workers - 1) * PDF_SHEETS : workers * PDF_SHEETS]
        figures[f"pdf_{workers}w_s"] = round(_timed(workers, sheets_pdf_zip_task, (user, batch)), 2)
    figures["pdf_again_1w_s"] = round(_timed(1, sheets_pdf_zip_task, (user, batch)), 2)
    figures["settle_2w_speedup"] = round(figures["settle_1w_s"] / figures["settle_2w_s"], 2)
    figures["pdf_2w_speedup"] = round(figures["pdf_1w_s"] / figures["pdf_2w_s"], 2)
    return figures
