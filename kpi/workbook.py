"""004's monthly reports as workbooks: an order's reports one row a month, and one month as a
two-column 指标/数值 sheet that the vendor fills in and uploads back.

The upload reads the first sheet's rows below a header row holding “指标” and “数值”: a row
names a figure by its label as the portal writes it (or its field name, e.g. `views`) and
gives a whole number. The live figures are computed from the month's sessions, so their rows
are skipped; a figure without a row keeps its value. Every bad row is named at once and
nothing is saved."""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.numbers import NumberError, parse_whole
from core.xlsx import WorkbookError, cell_text, open_workbook, sheet_rows, write_cell
from kpi.models import KpiReport
from kpi.services import FIGURE_DIGITS

FIGURES = [name for name, _code in KpiReport.FIGURES]
LABEL, VALUE = "指标", "数值"
MAX_ROWS = 200  # one row a figure, with room for notes


def _label(name) -> str:
    return str(KpiReport._meta.get_field(name).verbose_name)


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def order_workbook(order, reports) -> bytes:
    """One row a month: its status, every figure as a number, due date, submitted at, late."""
    with translation.override("zh-hans"):
        headers = [
            _("Month"),
            _("Status"),
            *map(_label, FIGURES),
            _("Due by"),
            _("Submitted at"),
            _("Late"),
        ]
        rows = [
            [
                f"{report.month:%Y-%m}",
                report.get_status_display(),
                *(getattr(report, name) for name in FIGURES),
                report.due_on,
                _naive(report.submitted_at),
                _("yes") if report.is_late else _("no"),
            ]
            for report in reports
        ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = order.number[:31]
    for column, header in enumerate(headers, start=1):
        write_cell(sheet, 1, column, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 14
    formats = {
        3 + FIGURES.index("live_hours"): "0.0",
        len(headers) - 2: "yyyy-mm-dd",
        len(headers) - 1: "yyyy-mm-dd hh:mm",
    }
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, row, column, value)
            cell.number_format = formats.get(column, cell.number_format)
    sheet.freeze_panes = "C2"
    return _bytes(workbook)


def _naive(moment):
    """A local time as Excel holds it (no time zone)."""
    return moment and timezone.localtime(moment).replace(tzinfo=None)


def month_workbook(report: KpiReport) -> bytes:
    """The month's figures as 指标/数值 rows, the live ones marked as computed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report.month:%Y-%m}"
    with translation.override("zh-hans"):
        write_cell(sheet, 1, 1, LABEL).font = Font(bold=True)
        write_cell(sheet, 1, 2, VALUE).font = Font(bold=True)
        write_cell(sheet, 1, 3, _("Note")).font = Font(bold=True)
        for row, name in enumerate(FIGURES, start=2):
            write_cell(sheet, row, 1, _label(name))
            write_cell(sheet, row, 2, getattr(report, name))
            if name in KpiReport.LIVE_FIGURES:
                write_cell(sheet, row, 3, _("computed from the live sessions"))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["C"].width = 24
    return _bytes(workbook)


def read_month_upload(upload) -> dict:
    """The entered figures of an uploaded 指标/数值 sheet by field name; a WorkbookError
    naming every bad row otherwise."""
    with translation.override("zh-hans"):
        names = {_label(name): name for name in FIGURES} | {name: name for name in FIGURES}
    figures, problems = {}, []
    workbook = open_workbook(upload, max_rows=MAX_ROWS)
    try:
        rows = sheet_rows(workbook.active, max_rows=MAX_ROWS)
        for _number, values in rows:
            texts = [cell_text(value) for value in values]
            if texts[:2] == [LABEL, VALUE]:
                break
        else:
            raise WorkbookError(
                _("No header row with “指标” and “数值” in columns A and B."), field="file"
            )
        for number, values in rows:
            label, value = [*values, None, None][:2]
            label = cell_text(label)
            if not label and cell_text(value) == "":
                continue
            where = _("Row %(row)s") % {"row": number}
            name = names.get(label)
            if name is None:
                problems.append(
                    _("%(where)s: “%(label)s” is no figure of the report.")
                    % {"where": where, "label": label}
                )
                continue
            if name in KpiReport.LIVE_FIGURES:
                continue  # computed from the month's sessions
            try:
                figures[name] = parse_whole(value, max_digits=FIGURE_DIGITS) or 0
            except NumberError as error:
                problems.append(
                    _("%(where)s, %(figure)s: %(message)s")
                    % {"where": where, "figure": label, "message": error}
                )
    finally:
        workbook.close()
    if problems:
        raise WorkbookError(
            _("The file was not imported: %(count)s problems.") % {"count": len(problems)},
            field="file",
            messages=problems,
        )
    return figures
