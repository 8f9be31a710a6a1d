"""Importing a 10,000-line person-day workbook, against openpyxl's own read of the same file."""

import io
import time
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from contracts.models import RateCardLine
from contracts.services import contract_activate, contract_create, rate_card_line_save
from core.models import Organization
from orders.services import order_create, order_issue
from staffing.identity import check_character, id_number_digest, mask_id_number
from staffing.models import StaffMember
from worklogs.services import worklog_open, worklog_save
from worklogs.workbook import read_upload, template_workbook

ROWS = 10_000
MONTH = date(2026, 10, 1)


def _world():
    # Measured without the archive: its contract takes effect without a signed copy.
    buyer = Organization.objects.create(
        name="基准采购方", kind="buyer", requires_signed_contract=False
    )
    vendor = Organization.objects.create(name="基准供应商", kind="vendor")
    contract = contract_create(
        code="BENCH-1",
        name="基准合同",
        buyer=buyer,
        vendor=vendor,
        signed_on=date(2026, 1, 1),
        ceiling_incl_tax=Decimal("900000000.00"),
    )
    rate_card_line_save(
        line=RateCardLine(
            contract=contract,
            role="技术支持",
            level="高级",
            estimated_quantity=Decimal("1000"),
            cap_price_excl_tax=Decimal("1221.45"),
            price_excl_tax=Decimal("1221.45"),
        )
    )
    contract_activate(contract=contract)
    staff = []
    for serial in range(ROWS):
        first17 = f"5101{serial:08d}{serial % 100000:05d}"
        number = first17 + check_character(first17)
        staff.append(
            StaffMember(
                vendor=vendor,
                contract=contract,
                name=f"员工{serial}",
                phone="13800000000",
                id_number_digest=id_number_digest(number),
                id_number_masked=mask_id_number(number),
                education="本科",
                years_experience=8,
                role="技术支持",
                level="高级",
                start_date=date(2026, 1, 1),
                status=StaffMember.Status.ACTIVE,  # approved (2.9)
            )
        )
    StaffMember.objects.bulk_create(staff, batch_size=2000)
    order = order_create(
        contract=contract,
        name="基准订单",
        service_start=date(2026, 2, 1),
        service_end=date(2026, 12, 31),
        lines=[{"role": "技术支持", "level": "高级", "planned_quantity": "100"}],
    )
    return order_issue(order=order)


def _filled(order) -> bytes:
    book = load_workbook(io.BytesIO(template_workbook(order, MONTH, {})))
    for row in book.active.iter_rows(min_row=5):
        row[6].value = 17.5
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run() -> dict:
    order = _world()
    content = _filled(order)

    started = time.perf_counter()
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    floor_rows = sum(1 for _ in book.active.iter_rows(values_only=True))
    book.close()
    floor_s = time.perf_counter() - started

    started = time.perf_counter()
    lines = read_upload(SimpleUploadedFile("log.xlsx", content))
    log = worklog_open(order=order, month=MONTH)
    worklog_save(log=log, lines=lines)
    import_s = time.perf_counter() - started
    assert log.lines.count() == ROWS

    return {
        "import_rows": ROWS,
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(ROWS / import_s),
        "import_floor_rows_per_s": round(floor_rows / floor_s),
    }
