"""The monthly log as a workbook: a template pre-filled with the order's staff (or its
deliveries, 002), and its upload."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.calendar import any_provisional, working_days
from core.numbers import parse_whole
from core.xlsx import cell_text, open_workbook, sheet_rows, write_cell
from orders.models import Order
from worklogs.lines import (
    DAY_COLUMNS,
    DELIVERY_COLUMNS,
    Cell,
    DeliveryInput,
    LineInput,
    WorkLogError,
    given,
)
from worklogs.selectors import staff_active_in

NUMBER = "序号"  # each sheet's first column, the row's number
HEADERS = (NUMBER, *(column.header for column in DAY_COLUMNS))
DELIVERY_HEADERS = (NUMBER, *(column.header for column in DELIVERY_COLUMNS))
# The columns a line's fields are read from (a message points at the cell).
FIELDS = {column.name: column.header for column in given(DAY_COLUMNS)}
DAYS_COLUMN = HEADERS.index(FIELDS["days"]) + 1
SHOWN = 30  # a value quoted in a message, up to this many characters
HEADER_ROW = 4
# Rows of the sheet, its 4 header rows included: a line per staff member of one order, twice
# the 10,000 lines the bench imports.
MAX_ROWS = 20_000


def _workbook(month: date, title: str, intro: list[str], headers, widths, rows, formats):
    """A one-sheet workbook laid out like the template: title, intro lines, a header row
    (HEADER_ROW), then `rows`; `formats` maps a column to its number format."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    write_cell(sheet, 1, 1, title).font = Font(bold=True, size=14)
    for row, text in enumerate(intro, start=2):
        write_cell(sheet, row, 1, text)
    for column, header in enumerate(headers, start=1):
        cell = write_cell(sheet, HEADER_ROW, column, header)
        cell.font, cell.border = Font(bold=True), border
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center")
    for row, values in enumerate(rows, start=HEADER_ROW + 1):
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, row, column, value)
            cell.border = border
            cell.number_format = formats.get(column, cell.number_format)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return workbook, sheet


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook(order: Order, month: date, current: dict[int, tuple]) -> bytes:
    """附件: 人天填报表 for an order and month; `current` holds the (days, remark) already
    entered by staff member."""
    staff = staff_active_in(order, month)
    workbook, _sheet = _workbook(
        month,
        "人天填报表",
        [
            f"订单：{order.number} {order.name}",
            f"月份：{month:%Y-%m}　本月工作日 {working_days(month)} 天"
            f"{'（暂定）' if any_provisional([month]) else ''}　"
            "人天按 0.5 天递增；请勿修改员工编号。",
        ],
        HEADERS,
        (6, 10, 12, 16, 8, 22, 10, 24),
        [
            (n, m.pk, m.name, m.role, m.level, m.id_number_masked, *current.get(m.pk, (None, "")))
            for n, m in enumerate(staff, start=1)
        ],
        {DAYS_COLUMN: "0.0"},
    )
    return _bytes(workbook)


def delivery_workbook(order: Order, month: date, deliveries) -> bytes:
    """交付记录表 for a per-item order and month (002): the deliveries already entered, and a
    list of the contract's priced items in the 产品项目 column."""
    items = list(order.contract.item_prices())
    workbook, sheet = _workbook(
        month,
        "交付记录表",
        [
            f"订单：{order.number} {order.name}",
            f"月份：{month:%Y-%m}　每个产品、每个包裹一行；质保重制件数只记录、不结算。",
        ],
        DELIVERY_HEADERS,
        (6, 24, 10, 22, 14, 24),
        [
            (n, line.item, line.quantity, line.tracking_ref, line.qa_claims, "")
            for n, line in enumerate(deliveries, start=1)
        ],
        {},
    )
    choices = DataValidation(type="list", formula1='"' + ",".join(items) + '"', allow_blank=True)
    choices.add(f"B{HEADER_ROW + 1}:B{MAX_ROWS}")
    sheet.add_data_validation(choices)
    return _bytes(workbook)


def _data_rows(upload, needed: tuple[str, ...], optional: tuple[str, ...] = ()):
    """(row number, {header: value}, {header: Cell}) of an uploaded template's rows below its
    header row, the first row naming every header in `needed` (`optional` ones are read when
    the sheet has them); blank rows skipped."""
    workbook = open_workbook(upload, max_rows=MAX_ROWS)
    try:
        sheet = workbook.active
        rows = sheet_rows(sheet, max_rows=MAX_ROWS)
        for _number, values in rows:
            texts = [cell_text(value) for value in values]
            if all(header in texts for header in needed):
                at = {h: texts.index(h) for h in (*needed, *optional) if h in texts}
                break
        else:
            raise WorkLogError(
                _("No header row with %(headers)s: use the downloaded template.")
                % {"headers": "、".join(f"“{header}”" for header in needed)},
                field="file",
            )
        letters = {header: get_column_letter(index + 1) for header, index in at.items()}
        for number, values in rows:
            cells = {header: _cell(values, index) for header, index in at.items()}
            if any(cell_text(value) for value in cells.values()):
                yield (
                    number,
                    cells,
                    {
                        header: Cell(sheet.title, number, letter, header, _shown(cells[header]))
                        for header, letter in letters.items()
                    },
                )
    finally:
        workbook.close()


def _shown(value) -> str:
    """A cell's value as the user typed it, quoted in a message (a long one cut short)."""
    text = cell_text(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _refuse(problems) -> None:
    if problems:
        raise WorkLogError(
            _("The file was not imported: %(count)s problems.") % {"count": len(problems)},
            field="file",
            messages=problems,
        )


def read_upload(upload) -> list[LineInput]:
    """The lines of an uploaded template: a line per row with days or a remark (the template
    lists everyone on the roster; a row left blank is someone who did not work). A cell that is
    no number is not refused here: the service names it with every other problem, at once."""
    lines = []
    staff, days, remark = (FIELDS[name] for name in ("staff", "days", "remark"))
    row = _("Row %(row)s")  # translated once: per row, gettext cost as much as the rules
    for number, values, cells in _data_rows(upload, (staff, days), optional=(remark,)):
        text = cell_text(values.get(remark))
        if cell_text(values[days]) == "" and not text:
            continue
        line = LineInput(
            None,
            None,
            row % {"row": number},
            remark=text,
            cells={field: cells[header] for field, header in FIELDS.items() if header in cells},
        )
        try:
            line.staff_id = parse_whole(values[staff], max_digits=18)
        except ValueError as error:
            line.unreadable["staff"] = str(error)
        else:
            if line.staff_id is None:
                line.unreadable["staff"] = _("give the 员工编号 of the template")
        line.read_days(values[days])
        lines.append(line)
    return lines


def read_delivery_upload(upload) -> list[DeliveryInput]:
    """The deliveries of an uploaded 交付记录表; the rules are the service's, a cell that is no
    whole number refuses the file here, naming its row."""
    header = {column.name: column.header for column in given(DELIVERY_COLUMNS)}
    lines, problems = [], []
    for number, cells, _cells in _data_rows(upload, tuple(header.values())):
        where = _("Row %(row)s") % {"row": number}
        try:
            quantity, claims = (
                parse_whole(cells[header[name]], max_digits=9) for name in ("quantity", "qa_claims")
            )
        except ValueError as error:
            problems.append(_("%(where)s: %(message)s") % {"where": where, "message": error})
            continue
        lines.append(
            DeliveryInput(
                cell_text(cells[header["item"]]),
                quantity,
                cell_text(cells[header["tracking_ref"]]),
                claims or 0,
                where,
            )
        )
    _refuse(problems)
    return lines


def _cell(values, index):
    return values[index] if index < len(values) else None
