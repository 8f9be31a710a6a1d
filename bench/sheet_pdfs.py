"""Rendering 200 settlement sheet PDFs (附件7), one after another as the zip task does."""

import time

from bench.settle import MONTH
from settlement.documents import sheet_pdf
from settlement.models import SettlementSheet

SHEETS = 200


def run() -> dict:
    sheets = list(
        SettlementSheet.objects.filter(month=MONTH)
        .select_related("contract__buyer", "contract__vendor", "order", "assessment")
        .order_by("pk")[:SHEETS]
    )
    sheet_pdf(sheets[0])  # fonts and templates loaded once, as in a running worker
    started = time.perf_counter()
    size = sum(len(sheet_pdf(sheet)) for sheet in sheets)
    elapsed = time.perf_counter() - started
    return {
        "pdf_sheets": len(sheets),
        "pdf_ms_per_sheet": round(elapsed * 1000 / len(sheets), 1),
        "pdf_kib_per_sheet": round(size / 1024 / len(sheets), 1),
    }
