"""The seed's own 附件3 (报价表), as 003_3eebc66f0f118986.txt prints it, built as a workbook."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

LEVELS = ("高级", "中级", "初级")
# Role, estimated person-days, caps excl. and incl. tax per level, written as the seed writes them.
SEED_TABLE = [
    ("产品/平台服务", (1250, 500, 250), (849.06, 754.72, 471.70), ("900.00", "800.00", "500.00")),
    ("活动/内容支撑", (1250, 1250, 250), (849.06, 754.72, 471.70), ("900.00", "800.00", "500.00")),
    ("用户/数据运营", (1250, 1250, 250), (849.06, 754.72, 471.70), ("900.00", "800.00", "500.00")),
    ("场景/渠道运营", (2000, 1500, 250), (849.06, 754.72, 471.70), ("900.00", "800.00", "500.00")),
    ("设计/制作支撑", (2000, 500, 250), (849.06, 754.72, 471.70), ("900.00", "800.00", "500.00")),
    ("运维支撑", (2000, 500, 250), (849.06, 754.72, 471.70), ("900.00", "800.00", "500.00")),
    ("技术支持", (1650, 1100, 687), (1221.45, 977.5, 586.5), ("1294.74", "1036.15", "621.69")),
]
HEADER = [
    "岗位职责",
    "级别",
    "预估工作量",
    "不含税单价\n最高限价",
    "含税单价最高限价",
    "不含税单价",
    "含税单价",
    "增值税税率",
    "不含税总价（元）",
    "含税总价（元）",
]
UNITS = [
    "",
    "",
    "（人/天）",
    "（元/人天）",
    "（元/人天）",
    "（元/人天）",
    "（元/人天）",
    "",
    "",
    "",
]


def seed_rows(agreed_at_cap=False):
    """The 21 data rows; the role only on the first row of its block, 6% on the first row."""
    rows = []
    for role, quantities, caps_excl, caps_incl in SEED_TABLE:
        for index, level in enumerate(LEVELS):
            rows.append(
                [
                    role if index == 0 else None,
                    level,
                    quantities[index],
                    caps_excl[index],
                    float(caps_incl[index]),
                    caps_excl[index] if agreed_at_cap else None,
                    float(caps_incl[index]) if agreed_at_cap else None,
                    "6%" if not rows else None,
                    None,
                    None,
                ]
            )
    return rows


def annex3_workbook(rows=None, *, agreed_at_cap=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["报价表"])
    sheet.append(["项目名称：咪咕音乐2026年定制化服务支撑项目"])
    sheet.append(HEADER)
    sheet.append(UNITS)
    data = seed_rows(agreed_at_cap) if rows is None else rows
    for row in data:
        sheet.append(row)
    first = 5
    for block in range(len(data) // 3):
        start = first + block * 3
        sheet.merge_cells(start_row=start, start_column=1, end_row=start + 2, end_column=1)
    sheet.append(["合计"])
    sheet.append(["备注："])
    sheet.append(
        ["（3）本项目设置含税单价最高限价和含税总价最高限价，含税总价最高限价为1762.78万元。"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="附件3-报价表.xlsx"):
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
