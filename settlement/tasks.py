import zipfile
from datetime import datetime
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from core.dates import add_months
from core.models import User
from core.tasks import RETRY, TRANSIENT
from settlement.documents import sheet_pdf
from settlement.selectors import sheet_list
from settlement.services import settlements_compute


# A run at the same time as this one created the same sheet: run again, it finds it.
@shared_task(bind=True, **(RETRY | {"autoretry_for": (*TRANSIENT, IntegrityError)}))
def settlements_compute_task(self, month: str, contract_id=None, order_id=None, buyer_id=None):
    """A month's sheets; reports PROGRESS {done, total}; safe to run twice."""

    def progress(done, total):
        self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    return settlements_compute(
        month=datetime.strptime(month, "%Y-%m").date(),
        contract_id=contract_id,
        order_id=order_id,
        buyer_id=buyer_id,
        progress=progress,
    )


@shared_task(**RETRY)
def settlements_compute_last_month_task():
    """Celery beat, monthly: last month's sheets."""
    return settlements_compute(month=add_months(timezone.localdate().replace(day=1), -1))


def export_path(user_id: int, task_id: str) -> Path:
    """Where a user's zip of PDFs lands; only that user may fetch it."""
    return Path(settings.MEDIA_ROOT) / "exports" / str(user_id) / f"{task_id}.zip"


@shared_task(bind=True, **RETRY)
def sheets_pdf_zip_task(self, user_id: int, sheet_ids: list[int]):
    """Many settlement PDFs at once, as one zip; reports PROGRESS {done, total}; running it
    again rewrites the same file."""
    user = User.objects.get(pk=user_id)
    sheets = list(sheet_list(user=user).filter(pk__in=sheet_ids).order_by("month", "pk"))
    path = export_path(user_id, self.request.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, sheet in enumerate(sheets, start=1):
            archive.writestr(
                f"结算单-{sheet.order.number}-{sheet.month:%Y-%m}{sheet.basis.file_suffix(sheet)}.pdf",
                sheet_pdf(sheet),
            )
            self.update_state(state="PROGRESS", meta={"done": done, "total": len(sheets)})
    partial.replace(path)  # never a half-written zip under the final name
    return {"count": len(sheets)}
