"""附件3 (报价表) as a workbook: read one laid out like the seed's, write one the same way."""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from contracts.models import RateCardLine
from core.money import with_tax
from core.numbers import parse_decimal
from core.xlsx import cell_text, sheet_rows, write_cell

# Header text (whitespace removed) → the column it names; first match wins.
HEADERS = (
    ("role", lambda text: text == "岗位职责"),
    ("level", lambda text: text == "级别"),
    ("unit", lambda text: text == "单位"),
    ("quantity", lambda text: text.startswith("预估工作量")),
    ("cap_excl", lambda text: text.startswith("不含税单价") and "限价" in text),
    ("cap_incl", lambda text: text.startswith("含税单价") and "限价" in text),
    ("price_excl", lambda text: text.startswith("不含税单价")),
    ("price_incl", lambda text: text.startswith("含税单价")),
    ("rate", lambda text: text.startswith("增值税税率")),
)
REQUIRED = ("role", "level", "quantity", "cap_excl")
# 附件3 fills 31 rows (title, headers, 21 lines, 合计, notes); a rate card six times as long fits.
MAX_ROWS = 200
# The model field a rule of RateCardLine.problems() names → the column it is read from.
FIELD_COLUMNS = {
    "role": "role",
    "level": "level",
    "unit": "unit",
    "estimated_quantity": "quantity",
    "cap_price_excl_tax": "cap_excl",
    "price_excl_tax": "price_excl",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ParsedRateCard:
    lines: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _normalize(value) -> str:
    return "".join(cell_text(value).split())


def _find_header(rows):
    for number, values in rows:
        texts = [_normalize(value) for value in values]
        columns = {}
        for index, text in enumerate(texts):
            for key, matches in HEADERS:
                if text and key not in columns and matches(text):
                    columns[key] = index
                    break
        if "role" in columns and "level" in columns:
            return number, columns, texts
    return None, {}, []


def _parse_rate(value):
    text = cell_text(value)
    if text.endswith("%"):
        share = parse_decimal(text[:-1], max_digits=14, decimal_places=4)
        return None if share is None else share / 100
    return parse_decimal(value, max_digits=14, decimal_places=4)


class _Row:
    """One sheet row, read column by column; every problem is kept with its cell named."""

    def __init__(self, number, values, columns, labels):
        self.number, self.values, self.columns, self.labels = number, values, columns, labels
        self.errors = []

    def raw(self, key):
        index = self.columns.get(key)
        return self.values[index] if index is not None and index < len(self.values) else None

    def text(self, key):
        return _normalize(self.raw(key))

    def error(self, key, message):
        self.errors.append(RowError(self.number, self.labels.get(key, key), message))

    def decimal(self, key, *, required=False, places=2):
        try:
            number = parse_decimal(self.raw(key), max_digits=14, decimal_places=places)
        except ValueError as error:
            self.error(key, str(error))
            return None
        if number is None and required:
            self.error(key, _("is empty"))
        return number

    def is_blank(self):
        """The units row under the header, or an empty row."""
        if self.text("role") or self.text("level"):
            return False
        try:
            return parse_decimal(self.raw("quantity"), max_digits=14, decimal_places=2) is None
        except ValueError:
            return True

    def rate_of(self, rate, schedule):
        """The rate the row's tax-inclusive prices are checked at: the one the row states,
        when it is one of the contract's rates (a workbook priced after a change of rate),
        else `rate`, the rate in force when the contract was signed."""
        if "rate" not in self.columns:
            return rate
        try:
            found = _parse_rate(self.raw("rate"))
        except ValueError as error:
            self.error("rate", str(error))
            return rate
        if found is None:
            return rate
        if found not in schedule:
            self.error(
                "rate",
                _("%(found)s is not one of the contract's rates %(rates)s")
                % {"found": f"{found:.2%}", "rates": "、".join(f"{r:.2%}" for r in schedule)},
            )
            return rate
        return found

    def check_derived(self, incl_key, excl, rate):
        """A tax-inclusive figure in the file must be the one derived from its exclusive price."""
        given = self.decimal(incl_key) if incl_key in self.columns else None
        if given is not None and given != with_tax(excl, rate):
            self.error(
                incl_key,
                _("%(given)s is not %(excl)s × (1 + %(rate)s) = %(expected)s")
                % {
                    "given": given,
                    "excl": excl,
                    "rate": f"{rate:.2%}",
                    "expected": with_tax(excl, rate),
                },
            )


def parse_rate_card(
    sheet, *, rate: Decimal, schedule: list[Decimal], default_unit: str
) -> ParsedRateCard:
    """Every line of the sheet, or every problem with the row, column and reason named. Its
    prices are checked at `rate`, or at the rate of `schedule` a row states."""
    result = ParsedRateCard()
    rows = sheet_rows(sheet, max_rows=MAX_ROWS)
    header_row, columns, header_texts = _find_header(rows)
    if header_row is None:
        result.errors.append(RowError(1, _("header"), _("no header row with 岗位职责 and 级别")))
        return result
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        result.errors.append(
            RowError(
                header_row,
                _("header"),
                _("missing columns: %(names)s") % {"names": ", ".join(missing)},
            )
        )
        return result
    labels = {
        key: f"{get_column_letter(index + 1)}（{header_texts[index]}）"
        for key, index in columns.items()
    }

    role = ""
    seen = {}
    for number, values in rows:
        row = _Row(number, values, columns, labels)
        if row.text("role").startswith(("合计", "备注")):
            break
        if row.is_blank():
            continue
        role = row.text("role") or role  # the seed names a role once per block of levels
        level, unit = row.text("level"), row.text("unit") or default_unit
        if not role:
            row.error("role", _("no role before this line"))
        quantity = row.decimal("quantity", required=True)
        cap_excl = row.decimal("cap_excl", required=True)
        price_excl = row.decimal("price_excl")
        row_rate = row.rate_of(rate, schedule)
        if cap_excl is not None:
            row.check_derived("cap_incl", cap_excl, row_rate)
        if price_excl is not None:
            row.check_derived("price_incl", price_excl, row_rate)
        if (role, level) in seen:
            row.error(
                "level",
                _("%(role)s %(level)s already stands on row %(row)s")
                % {"role": role, "level": level, "row": seen[(role, level)]},
            )
        seen.setdefault((role, level), number)
        if not row.errors:
            fields = {
                "role": role,
                "level": level,
                "unit": unit,
                "estimated_quantity": quantity,
                "cap_price_excl_tax": cap_excl,
                "price_excl_tax": price_excl,
            }
            for field, message in RateCardLine(**fields).problems(rate):
                row.error(FIELD_COLUMNS[field], message)
            if not row.errors:
                result.lines.append(fields)
        result.errors.extend(row.errors)
    if not result.lines and not result.errors:
        result.errors.append(RowError(header_row, _("header"), _("no rate-card lines under it")))
    return result


EXPORT_HEADERS = (
    ("岗位职责", ""),
    ("级别", ""),
    ("预估工作量", "unit"),
    ("不含税单价\n最高限价", "price"),
    ("含税单价最高限价", "price"),
    ("不含税单价", "price"),
    ("含税单价", "price"),
    ("增值税税率", ""),
    ("不含税总价（元）", ""),
    ("含税总价（元）", ""),
)
UNIT_CAPTIONS = {
    RateCardLine.Unit.PERSON_DAY: ("（人/天）", "（元/人天）"),
    RateCardLine.Unit.ITEM: ("（件）", "（元/件）"),
    RateCardLine.Unit.LUMP_SUM: ("（项）", "（元/项）"),
}
NOTES = (
    "备注：",
    "（1）税率：增值税税率特指增值税扣税凭证上显示的税率，按税率调整时，不含税价格不变。",
    "（2）不含税总价（元）=不含税单价（元/人天）*预估工作量（人/天）；含税价=不含税价*（1+税率）。"
    "报价过程按照四舍五入原则最多保留两位小数。",
    "（3）应答报价超过最高限价的，其应答将被否决。",
)


def rate_card_workbook(contract) -> bytes:
    """The rate card in the 附件3 layout, every figure a value (no formula)."""
    estimate = contract.estimate
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报价表"
    width = len(EXPORT_HEADERS)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
    money = "#,##0.00"

    write_cell(sheet, 1, 1, "报价表").font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = centered
    write_cell(sheet, 2, 1, f"项目名称：{contract.name}（{contract.code}）")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    unit = estimate.lines[0].unit if estimate.lines else RateCardLine.Unit.PERSON_DAY
    quantity_caption, price_caption = UNIT_CAPTIONS[unit]
    for column, (title, caption) in enumerate(EXPORT_HEADERS, start=1):
        write_cell(sheet, 3, column, title)
        below = {"unit": quantity_caption, "price": price_caption}.get(caption, "")
        write_cell(sheet, 4, column, below)
        for row in (3, 4):
            cell = sheet.cell(row, column)
            cell.font, cell.alignment, cell.border = bold, centered, border
            cell.fill = PatternFill("solid", fgColor="EEF2F7")

    row = 5
    block_start, block_role = row, None
    for line in estimate.lines:
        if line.role != block_role:
            if block_role is not None and row - 1 > block_start:
                sheet.merge_cells(
                    start_row=block_start, start_column=1, end_row=row - 1, end_column=1
                )
            block_start, block_role = row, line.role
            write_cell(sheet, row, 1, line.role)
        values = (
            None,
            line.level,
            line.estimated_quantity,
            line.cap_price_excl_tax,
            line.cap_price_incl_tax,
            line.price_excl_tax,
            line.price_incl_tax,
            estimate.rate,
            line.estimate_excl_tax,
            line.estimate_incl_tax,
        )
        for column, cell_value in enumerate(values, start=1):
            cell = (
                sheet.cell(row, column)
                if cell_value is None
                else write_cell(sheet, row, column, cell_value)
            )
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=column == 1)
            if column in (4, 5, 6, 7, 9, 10):
                cell.number_format = money
            if column == 8:
                cell.number_format = "0%"
        row += 1
    if block_role is not None and row - 1 > block_start:
        sheet.merge_cells(start_row=block_start, start_column=1, end_row=row - 1, end_column=1)

    totals = {
        1: "合计",
        3: estimate.total_quantity,
        9: estimate.total_excl_tax,
        10: estimate.total_incl_tax,
    }
    for column in range(1, width + 1):
        cell = write_cell(sheet, row, column, totals.get(column))
        cell.font, cell.border = bold, border
        if column in (9, 10):
            cell.number_format = money
    for offset, note in enumerate(NOTES, start=2):
        write_cell(sheet, row + offset, 1, note)
        sheet.merge_cells(
            start_row=row + offset, start_column=1, end_row=row + offset, end_column=width
        )
    for column, column_width in enumerate((16, 8, 12, 14, 14, 12, 12, 10, 16, 16), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    sheet.freeze_panes = "A5"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
