"""The month's settlement and its PDFs as jobs fanned out across Celery workers
(`settlement.fanout`): the first task plans the parts and replaces itself by them; any worker
takes a part; the last task answers the job's result under the first task's id."""

import shutil
import tempfile
import zipfile
from datetime import datetime

from celery import shared_task
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from core.dates import add_months
from core.models import User
from core.tasks import RETRY
from settlement import fanout
from settlement.documents import sheet_pdf_stored
from settlement.models import TaskPart, TaskRun
from settlement.selectors import sheet_list
from settlement.services import (
    Computation,
    computation_summary,
    month_parts,
    sheets_compute,
)

PDF_CHUNK = 10  # sheets a task renders: small enough to spread, large enough to pay its way


def _run(task) -> TaskRun:
    """The job's record: made as it was queued by a user (`task_run_start`), or here for a job
    of Celery beat's, which has no user; with the arguments that run it again."""
    run, _made = TaskRun.objects.update_or_create(
        task_id=task.request.id, defaults={"name": task.name, "args": list(task.request.args)}
    )
    return run


@shared_task(bind=True, **RETRY)
def settlements_compute_task(self, month: str, contract_id=None, order_id=None, buyer_id=None):
    """A month's sheets: a part per contract (or per chunk of a large contract's orders), run
    side by side on any worker, then `settlement_summary_task`'s summary; run again (resumed),
    only the parts not done run. Safe to run twice."""
    run = _run(self)
    parts = month_parts(datetime.strptime(month, "%Y-%m").date(), contract_id, order_id, buyer_id)
    return fanout.dispatch(
        self,
        run,
        fanout.parts_to_run(run, parts),
        settlement_part_task,
        settlement_summary_task,
        month=month,
    )


@shared_task(bind=True)
def settlement_part_task(self, part_id: int, month: str):
    """One part of a month's computation: its orders' sheets, in one transaction."""
    fanout.run_part(
        self,
        part_id,
        lambda part: sheets_compute(
            order_ids=part.items, month=datetime.strptime(month, "%Y-%m").date()
        ).as_dict(),
    )


@shared_task
def settlement_summary_task(run_id: int, month: str):
    """The month's summary, from what each part did; the parts that failed named."""
    run = TaskRun.objects.get(pk=run_id)
    computation, orders = Computation(), 0
    for part in run.parts.all():
        orders += len(part.items)
        if part.result is not None:
            computation.add(Computation(**part.result))
    return computation_summary(
        datetime.strptime(month, "%Y-%m").date(),
        orders,
        computation,
        failed=fanout.progress(run)["failed"],
    )


@shared_task
def settlements_compute_last_month_task():
    """Celery beat, monthly: last month's sheets, fanned out as a user's run is (followed by
    the admins, as it has no user)."""
    month = add_months(timezone.localdate().replace(day=1), -1)
    settlements_compute_task.delay(f"{month:%Y-%m}")


def export_name(user_id: int, task_id: str) -> str:
    """Where a user's zip of PDFs lands in storage; only that user may fetch it."""
    return f"exports/{user_id}/{task_id}.zip"


@shared_task(bind=True, **RETRY)
def sheets_pdf_zip_task(self, user_id: int, sheet_ids: list[int]):
    """Many settlement PDFs at once, as one zip: parts of `PDF_CHUNK` sheets rendered side by
    side into storage (a PDF already rendered and unchanged is not rendered again), then
    `sheets_zip_task` zips them; running it again rewrites the same zip."""
    run = _run(self)
    parts = [
        (f"{start + 1}–{start + len(chunk)}", chunk)
        for start in range(0, len(sheet_ids), PDF_CHUNK)
        if (chunk := sheet_ids[start : start + PDF_CHUNK])
    ]
    return fanout.dispatch(
        self,
        run,
        fanout.parts_to_run(run, parts),
        sheets_pdf_task,
        sheets_zip_task,
        user_id=user_id,
    )


@shared_task(bind=True)
def sheets_pdf_task(self, part_id: int, user_id: int):
    """One part of a zip: its sheets' PDFs in storage, each with its name in the zip."""

    def render(part: TaskPart) -> list:
        user = User.objects.get(pk=user_id)
        sheets = sheet_list(user=user).filter(pk__in=part.items).order_by("month", "pk")
        return [
            [
                f"结算单-{sheet.order.number}-{sheet.month:%Y-%m}"
                f"{sheet.basis.file_suffix(sheet)}.pdf",
                sheet_pdf_stored(sheet),
            ]
            for sheet in sheets
        ]

    fanout.run_part(self, part_id, render)


@shared_task
def sheets_zip_task(run_id: int, user_id: int):
    """The zip of the parts' PDFs, streamed from storage through a file on disk (never the whole
    of it in memory), saved to storage under the job's name."""
    run = TaskRun.objects.get(pk=run_id)
    files = [entry for part in run.parts.all() for entry in part.result or []]
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, stored in files:
                with default_storage.open(stored, "rb") as pdf, archive.open(name, "w") as entry:
                    shutil.copyfileobj(pdf, entry)
        spool.seek(0)
        target = export_name(user_id, run.task_id)
        default_storage.delete(target)  # a job run again rewrites its zip
        default_storage.save(target, File(spool))
    return {"count": len(files), "failed": fanout.progress(run)["failed"]}
