"""A month's live sessions as a workbook (直播记录表): downloaded filled with the sessions
recorded, uploaded back to replace them. Numbers stay numbers, days and times stay dates."""

import io
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.numbers import parse_whole
from core.xlsx import cell_text, open_workbook, sheet_rows, write_cell
from kpi.models import Platform
from kpi.services import KpiError
from orders.models import Order

HEADERS = ("日期", "平台", "开始时间", "时长（分钟）", "观看人数", "直播链接")
FIELDS = ("date", "platform", "start", "minutes", "viewers", "link")
PLATFORMS = {Platform.DOUYIN: "抖音", Platform.CHANNELS: "视频号"}
PLATFORM_OF = {name: value for value, name in PLATFORMS.items()} | {
    "微信视频号": Platform.CHANNELS,
    **{value: value for value in Platform.values},
}
HEADER_ROW = 3
MAX_ROWS = 500  # a month has a few dozen sessions at most
FORMATS = {"date": "yyyy-mm-dd", "start": "hh:mm", "minutes": "0", "viewers": "0"}


def sessions_workbook(order: Order, month: date, sessions) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    write_cell(sheet, 1, 1, "直播记录表").font = Font(bold=True, size=14)
    write_cell(
        sheet,
        2,
        1,
        f"订单：{order.number}　月份：{month:%Y-%m}　平台填“抖音”或“视频号”；"
        "上传后替换本月全部直播记录。",
    )
    for column, header in enumerate(HEADERS, start=1):
        write_cell(sheet, HEADER_ROW, column, header).font = Font(bold=True)
    for row, session in enumerate(sessions, start=HEADER_ROW + 1):
        values = {
            "date": session.date,
            "platform": PLATFORMS[session.platform],
            "start": session.start,
            "minutes": session.minutes,
            "viewers": session.viewers,
            "link": session.link,
        }
        for column, name in enumerate(FIELDS, start=1):
            cell = write_cell(sheet, row, column, values[name])
            cell.number_format = FORMATS.get(name, cell.number_format)
    for letter, width in zip("ABCDEF", (12, 10, 10, 14, 12, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_sessions(upload) -> list[tuple[str, dict]]:
    """(where, typed values) of each filled row below the header row. A cell that cannot be
    read is left empty for the service to name, with every other problem at once."""
    workbook = open_workbook(upload, max_rows=MAX_ROWS)
    try:
        rows = sheet_rows(workbook.active, max_rows=MAX_ROWS)
        for _number, values in rows:
            texts = [cell_text(value) for value in values]
            if all(header in texts for header in HEADERS):
                at = [texts.index(header) for header in HEADERS]
                break
        else:
            raise KpiError(
                _("No header row with %(headers)s: use the downloaded template.")
                % {"headers": "、".join(f"“{header}”" for header in HEADERS)},
                field="file",
            )
        found = []
        for number, values in rows:
            cells = [values[index] if index < len(values) else None for index in at]
            if any(cell_text(value) for value in cells):
                data = dict(zip(FIELDS, cells, strict=True))
                found.append((_("Row %(row)s") % {"row": number}, _typed(data)))
        return found
    finally:
        workbook.close()


def _typed(cells: dict) -> dict:
    return {
        "date": _day(cells["date"]),
        "platform": PLATFORM_OF.get(cell_text(cells["platform"])),
        "start": _time(cells["start"]),
        "minutes": _whole(cells["minutes"]),
        "viewers": _whole(cells["viewers"]),
        "link": cell_text(cells["link"]),
    }


def _day(value):
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(cell_text(value))
    except ValueError:
        return None


def _time(value):
    """An empty start is allowed; text that is no time is kept for the service to refuse."""
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    try:
        return time.fromisoformat(cell_text(value)) if cell_text(value) else None
    except ValueError:
        return cell_text(value)


def _whole(value):
    try:
        return parse_whole(value, max_digits=10)
    except ValueError:
        return None
