"""The monthly log as a workbook: a template pre-filled with the order's staff, and its upload."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from contracts.models import FrameworkContract
from core.calendar import working_days
from core.xlsx import cell_decimal, cell_text, open_workbook, sheet_rows, write_cell
from orders.models import Order
from worklogs.selectors import staff_active_in
from worklogs.services import LineInput, WorkLogError

HEADERS = ("序号", "员工编号", "姓名", "岗位职责", "级别", "身份证号（脱敏）", "人天", "备注")
STAFF_COLUMN, DAYS_COLUMN = 2, 7
HEADER_ROW = 4
# Rows of the sheet, its 4 header rows included: a line per staff member of one order, twice
# the 10,000 lines the bench imports.
MAX_ROWS = 20_000


def template_workbook(order: Order, month: date, current: dict[int, object]) -> bytes:
    """附件: 人天填报表 for an order and month; `current` holds days already entered."""
    if order.contract.settlement_mode == FrameworkContract.SettlementMode.PER_ITEM:
        raise WorkLogError(
            _("Contract %(code)s pays per item: record the month's deliveries.")
            % {"code": order.contract.code}
        )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    write_cell(sheet, 1, 1, "人天填报表").font = Font(bold=True, size=14)
    write_cell(sheet, 2, 1, f"订单：{order.number} {order.name}")
    write_cell(
        sheet,
        3,
        1,
        f"月份：{month:%Y-%m}　本月工作日 {working_days(month)} 天　"
        "人天按 0.5 天递增；请勿修改员工编号。",
    )
    for column, title in enumerate(HEADERS, start=1):
        cell = write_cell(sheet, HEADER_ROW, column, title)
        cell.font, cell.border = bold, border
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center")
    for number, member in enumerate(staff_active_in(order, month), start=1):
        row = HEADER_ROW + number
        values = (
            number,
            member.pk,
            member.name,
            member.role,
            member.level,
            member.id_number_masked,
            current.get(member.pk),
            "",
        )
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, row, column, value)
            cell.border = border
            if column == DAYS_COLUMN:
                cell.number_format = "0.0"
    for column, width in zip("ABCDEFGH", (6, 10, 12, 16, 8, 22, 10, 24), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_upload(upload) -> list[LineInput]:
    """The lines of an uploaded template; a malformed cell refuses the file, naming its row."""
    workbook = open_workbook(upload, max_rows=MAX_ROWS)
    try:
        rows = sheet_rows(workbook.active, max_rows=MAX_ROWS)
        header_row = None
        for number, values in rows:
            texts = [cell_text(value) for value in values]
            if "员工编号" in texts and "人天" in texts:
                header_row = number
                staff_at, days_at = texts.index("员工编号"), texts.index("人天")
                break
        if header_row is None:
            raise WorkLogError(
                _("No header row with 员工编号 and 人天: use the downloaded template."),
                field="file",
            )
        lines, problems = [], []
        for number, values in rows:
            staff, days = _cell(values, staff_at), _cell(values, days_at)
            if cell_text(staff) == "" and cell_text(days) == "":
                continue
            where = _("Row %(row)s") % {"row": number}
            try:
                staff_id = cell_decimal(staff, places=0, max_digits=18)
                quantity = cell_decimal(days, places=1, max_digits=4)
            except ValueError as error:
                problems.append(_("%(where)s: %(message)s") % {"where": where, "message": error})
                continue
            if staff_id is None:
                problems.append(_("%(where)s: the 员工编号 is empty") % {"where": where})
                continue
            lines.append(LineInput(int(staff_id), quantity, where))
    finally:
        workbook.close()
    if problems:
        raise WorkLogError(
            _("The file was not imported: %(count)s problems.") % {"count": len(problems)},
            field="file",
            messages=problems,
        )
    return lines


def _cell(values, index):
    return values[index] if index < len(values) else None
