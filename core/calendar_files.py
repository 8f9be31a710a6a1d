"""A year's notice as a small file: a row per range of days off or make-up working day.

类型 | 开始日期 | 结束日期 | 名称 — 类型 is 放假 (days off; 结束日期 may be left empty for one
day) or 调休上班 (a make-up working day). The same layout is exported: a year's file is its
own template.
"""

import csv
import io
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.calendar import Holiday, holidays_of, workdays_of
from core.errors import DomainError
from core.models import CalendarYear
from core.xlsx import cell_text, open_workbook, sheet_rows, write_cell

HEADERS = ["类型", "开始日期", "结束日期", "名称"]
OFF, WORK = "放假", "调休上班"
MAX_ROWS = 400
MAX_CSV_BYTES = 256 * 1024


class NoticeFileError(DomainError):
    code = "calendar_file"


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(cell_text(value).replace("/", "-"))


def _rows(upload):
    name = (upload.name or "").lower()
    if name.endswith(".csv"):
        if upload.size > MAX_CSV_BYTES:
            raise NoticeFileError(_("The file is larger than 256 KB."), field="file")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise NoticeFileError(_("Save the CSV file as UTF-8."), field="file") from error
        rows = list(csv.reader(io.StringIO(text)))
        if len(rows) > MAX_ROWS:
            raise NoticeFileError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        yield from enumerate(rows, start=1)
        return
    workbook = open_workbook(upload, max_rows=MAX_ROWS)
    try:
        yield from sheet_rows(workbook.active, max_rows=MAX_ROWS)
    finally:
        workbook.close()


def read_notice(upload) -> tuple[list[Holiday], list[date]]:
    """The ranges and make-up days of a notice file, or an error naming every bad row."""
    holidays, workdays, problems, header = [], [], [], False
    for number, values in _rows(upload):
        cells = [cell_text(v) if not isinstance(v, date) else v for v in (*values, "", "", "", "")]
        if not header:
            header = cells[0] == HEADERS[0]
            continue
        kind, start, end, name = cells[:4]
        if not (kind or start or end):
            continue
        try:
            first = _date(start)
            last = _date(end) if end else first
        except ValueError:
            problems.append(_("Row %(row)s: give the dates as YYYY-MM-DD.") % {"row": number})
            continue
        if kind == OFF:
            holidays.append(Holiday(first, last, str(name)[:50]))
        elif kind in (WORK, "上班", "调休"):
            workdays.append(first)
        else:
            problems.append(
                _("Row %(row)s: the type is 放假 or 调休上班, not “%(kind)s”.")
                % {"row": number, "kind": kind}
            )
    if not header:
        problems.insert(
            0, _("No header row 类型 | 开始日期 | 结束日期 | 名称 was found in the first column.")
        )
    if problems:
        raise NoticeFileError(problems[0], field="file", messages=problems)
    return holidays, workdays


def notice_workbook(row: CalendarYear) -> bytes:
    """The year in the import layout: what was published, or the provisional days to correct."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{row.year}年节假日"
    for column, header in enumerate(HEADERS, start=1):
        write_cell(sheet, 1, column, header)
    line = 2
    for holiday in holidays_of(row):
        for column, value in enumerate(
            [OFF, holiday.start.isoformat(), holiday.end.isoformat(), holiday.name], start=1
        ):
            write_cell(sheet, line, column, value)
        line += 1
    for day in workdays_of(row):
        for column, value in enumerate([WORK, day.isoformat(), day.isoformat(), ""], start=1):
            write_cell(sheet, line, column, value)
        line += 1
    for column, width in zip("ABCD", (12, 14, 14, 20), strict=True):
        sheet.column_dimensions[column].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
