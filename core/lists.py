"""A list page's columns, declared once: the sortable headers, the `?ordering=` its FilterSet
accepts (so the page, its Excel export and the API list sort alike) and the export itself.

In-house rather than django-tables2: a table there renders its own cells, while ours carry
links, badges and second lines written in the templates; its export goes through tablib
(two more dependencies) and sets no number format per column; its headers and `?sort=`
would be a second definition next to the FilterSet the API already shares with the page.
What is left is small: a column list (label, ordering key, export value, kind), headers as
links (no script, so nothing for the CSP to allow) and an openpyxl sheet with Chinese
headers, money as numbers with two decimals and dates as dates.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import django_filters
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.http import XLSX, attachment
from core.money import quantize
from core.views import filtered, page_of

TEXT, MONEY, NUMBER, PERCENT, DATE = "text", "money", "number", "percent", "date"
FORMATS = {MONEY: "#,##0.00", NUMBER: "#,##0.0#", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}
WHOLE_FORMAT = "#,##0"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WIDTHS = {TEXT: 24, MONEY: 16, NUMBER: 10, PERCENT: 10, DATE: 12}


@dataclass(frozen=True)
class Column:
    """`key` names the column in `?ordering=`; `order` is the field path or expression it sorts
    by (None: not sortable); `value` gives a row's cell in the export (None: page only);
    `page=False` keeps a column out of the page's headers (an export-only column)."""

    key: str
    label: str
    value: object = None
    kind: str = TEXT
    order: object = None
    page: bool = True

    @property
    def numeric(self) -> bool:
        return self.kind in (MONEY, NUMBER, PERCENT)


class SortFilter(django_filters.ChoiceFilter):
    """`?ordering=key` or `-key`, only the table's sortable columns; ties broken by the primary
    key in the same direction, so a page never repeats or skips a row."""

    def __init__(self, table, **kwargs):
        self.table = table
        choices = [
            (f"{sign}{column.key}", format_lazy("{}{}", column.label, arrow))
            for column in table.sortable
            for sign, arrow in (("", " ↑"), ("-", " ↓"))
        ]
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        descending = value.startswith("-")
        column = self.table.column(value.lstrip("-"))
        order = F(column.order) if isinstance(column.order, str) else column.order
        if descending:
            return qs.order_by(order.desc(nulls_last=True), "-pk")
        return qs.order_by(order.asc(nulls_last=True), "pk")


class Table:
    def __init__(self, *columns: Column, title: str):
        self.columns = columns
        self.title = title  # the sheet's and the file's name

    @property
    def sortable(self):
        return [column for column in self.columns if column.order is not None]

    def column(self, key) -> Column:
        return next(column for column in self.columns if column.key == key)

    def ordering_filter(self) -> SortFilter:
        """The filter a FilterSet declares as `ordering`."""
        return SortFilter(self)

    def headers(self, request) -> list[dict]:
        """The page's headers: a sortable one links to ascending, then to descending."""
        current = request.GET.get("ordering", "")
        headers = []
        for column in self.columns:
            if not column.page:
                continue
            header = {"label": column.label, "numeric": column.numeric, "sorted": ""}
            if column.order is not None:
                if current == column.key:
                    header["sorted"], target = "ascending", f"-{column.key}"
                elif current == f"-{column.key}":
                    header["sorted"], target = "descending", column.key
                else:
                    target = column.key
                header["url"] = query_with(request, ordering=target)
            headers.append(header)
        return headers

    def workbook(self, rows) -> bytes:
        """Every row of the selection, not only the page: text as text (never a formula),
        money and numbers as numbers, dates as dates."""
        exported = [column for column in self.columns if column.value is not None]
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(self.title)[:31])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(exported, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.kind]
        bold = Font(bold=True)
        sheet.append([_cell(sheet, str(column.label), TEXT, font=bold) for column in exported])
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=2000)
        for row in rows:
            sheet.append([_cell(sheet, column.value(row), column.kind) for column in exported])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def download(self, rows):
        filename = f"{self.title}-{timezone.localdate():%Y-%m-%d}.xlsx"
        return attachment(self.workbook(rows), filename, XLSX)


def _cell(sheet, value, kind, font=None):
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    elif kind == MONEY and value is not None:
        value = quantize(value)
    elif kind == TEXT and value is not None and not isinstance(value, str):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=..." stays text: no spreadsheet runs it
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = FORMATS[DATE]
    elif isinstance(value, int):
        cell.number_format = WHOLE_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = FORMATS.get(kind, FORMATS[NUMBER])
    if font is not None:
        cell.font = font
    return cell


def query_with(request, **changes) -> str:
    """The page's query string with `changes` (None removes a key), always without `page`:
    a new sort or an export starts from the first row."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}"


def list_context(request, table: Table, filterset, *, size: int) -> dict:
    """What a list template shows: the filter and its problems, the page, the headers, and
    the link to the export of the same selection in the same order."""
    rows, problems = filtered(filterset)
    return {
        "filter": filterset,
        "filter_problems": problems,
        "rows": rows,
        "page": page_of(request, rows, size),
        "columns": table.headers(request),
        "export_url": query_with(request, export="xlsx"),
    }


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def list_response(request, table: Table, filterset, template: str, *, size: int, context=None):
    """A list page, or its Excel export when asked (`?export=xlsx`); a filter with problems
    shows them with status 400 and sends no file."""
    listed = list_context(request, table, filterset, size=size)
    if wants_export(request) and not listed["filter_problems"]:
        return table.download(listed["rows"])
    return render(
        request,
        template,
        {**listed, **(context or {})},
        status=400 if listed["filter_problems"] else 200,
    )
