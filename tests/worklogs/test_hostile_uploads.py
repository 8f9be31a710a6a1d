"""A hostile person-day upload answers 400 with its reason, through the API and the page, and
saves nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tests.core import hostile
from worklogs.models import WorkLog, WorkLogLine

pytestmark = pytest.mark.django_db

FORMULA = "第6行 G列是公式：上传只接受数值，请将单元格粘贴为数值后重新上传。"
HOSTILE = {
    "a zip bomb": (lambda: hostile.bomb(), "工作簿解压后的大小异常，已拒绝。"),
    "a zip bomb whose header lies": (
        lambda: hostile.bomb(declared=20_000),
        "工作簿解压后的大小异常，已拒绝。",
    ),
    "a sheet of 200,000 rows": (
        hostile.many_rows,
        "工作表超过 20,000 行，超出了本上传的行数上限。",
    ),
    "a sheet reaching row 1,048,576": (
        hostile.far_row,
        "工作表超过 20,000 行，超出了本上传的行数上限。",
    ),
    "an encrypted workbook": (hostile.encrypted, "文件不是 Excel 工作簿（.xlsx）。"),
    "a .docx renamed": (hostile.docx, "文件不是 Excel 工作簿（.xlsx）。"),
}


def template_with_formula(client, order):
    """The order's own template, its staff filled in, with a formula for the second one's days."""
    content = client.get(f"/orders/{order.pk}/worklog/2026-10/template/").content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    sheet["G5"] = 10
    sheet["G6"] = "=G5+7.5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_(api, user, order, content):
    client = api(user)
    log = client.post("/api/v1/worklogs/", {"order": order.pk, "month": "2026-10"}, format="json")
    return client.post(
        f"/api/v1/worklogs/{log.json()['id']}/import/",
        {"file": SimpleUploadedFile("人天.xlsx", content)},
        format="multipart",
    )


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_api_refuses_a_hostile_workbook_and_saves_nothing(api, vendor_pm, order, staff, kind):
    build, message = HOSTILE[kind]

    response = import_(api, vendor_pm, order, build())

    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert not WorkLogLine.objects.exists()


def test_the_api_refuses_a_formula_naming_its_cell(api, vendor_pm, order, staff):
    client = Client()
    client.force_login(vendor_pm)

    response = import_(api, vendor_pm, order, template_with_formula(client, order))

    assert response.status_code == 400
    assert response.json() == {"file": [FORMULA]}
    assert not WorkLogLine.objects.exists()


def test_the_page_refuses_a_formula_and_a_bomb_and_saves_nothing(vendor_pm, order, staff):
    client = Client()
    client.force_login(vendor_pm)
    url = f"/orders/{order.pk}/worklog/2026-10/upload/"

    formula = client.post(
        url, {"file": SimpleUploadedFile("人天.xlsx", template_with_formula(client, order))}
    )
    bomb = client.post(url, {"file": SimpleUploadedFile("人天.xlsx", hostile.bomb())})

    assert formula.status_code == bomb.status_code == 400
    assert FORMULA in formula.content.decode()
    assert "工作簿解压后的大小异常，已拒绝。" in bomb.content.decode()
    assert not WorkLog.objects.exists()
