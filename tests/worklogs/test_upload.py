"""The log's .xlsx template uploaded back: all or nothing, every bad row named."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tests.worklogs.conftest import member, report_rows
from worklogs.models import WorkLog, WorkLogLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty(active_contract):
    return [member(active_contract, serial) for serial in range(1, 51)]


def filled_template(client, order, days):
    content = client.get(f"/orders/{order.pk}/worklog/2026-10/template/").content
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    for row, value in zip(sheet.iter_rows(min_row=5), days, strict=True):
        row[6].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("人天.xlsx", buffer.getvalue())


def test_an_upload_with_one_bad_row_of_fifty_saves_nothing_and_names_it(vendor_pm, order, fifty):
    client = Client()
    client.force_login(vendor_pm)
    days = [10] * 50
    days[36] = 0.3

    response = client.post(
        f"/orders/{order.pk}/worklog/2026-10/upload/",
        {"file": filled_template(client, order, days)},
    )

    assert response.status_code == 400
    assert report_rows(response.content.decode()) == [
        ["2026-10", "41", "G 人天", "0.3", "0.3 不是 ≥ 0 且以 0.5 递增的天数"]
    ]
    assert not WorkLogLine.objects.exists()


def test_a_good_upload_saves_every_row(vendor_pm, order, fifty):
    client = Client()
    client.force_login(vendor_pm)

    response = client.post(
        f"/orders/{order.pk}/worklog/2026-10/upload/",
        {"file": filled_template(client, order, [17.5] * 50)},
        follow=True,
    )

    assert "已导入 50 行" in response.content.decode()
    assert WorkLog.objects.get().total_days == Decimal("875.0")


def test_the_api_import_names_bad_cells(api, vendor_pm, order, fifty):
    client = Client()
    client.force_login(vendor_pm)
    days = [10] * 50
    days[0], days[1] = "十", -1
    upload = filled_template(client, order, days)
    log = (
        api(vendor_pm)
        .post("/api/v1/worklogs/", {"order": order.pk, "month": "2026-10"}, format="json")
        .json()["id"]
    )

    response = api(vendor_pm).post(
        f"/api/v1/worklogs/{log}/import/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    # Both at once: the cell that is no number and the number that breaks a rule.
    assert response.json() == {
        "file": [
            "工作表“2026-10”第 5 行 G 列（人天）填写“十”："
            "“十”不是数字：请只用数字书写，如 1250.50。",
            "工作表“2026-10”第 6 行 G 列（人天）填写“-1”：-1 不是 ≥ 0 且以 0.5 递增的天数",
        ]
    }


def test_a_file_that_is_not_a_workbook_is_refused(api, vendor_pm, order, staff):
    log = (
        api(vendor_pm)
        .post("/api/v1/worklogs/", {"order": order.pk, "month": "2026-10"}, format="json")
        .json()["id"]
    )

    response = api(vendor_pm).post(
        f"/api/v1/worklogs/{log}/import/",
        {"file": SimpleUploadedFile("a.xlsx", b"not a zip")},
        format="multipart",
    )

    assert response.json() == {"file": ["文件不是 Excel 工作簿（.xlsx）。"]}


def test_cells_typed_as_exponents_or_nan_are_named_problems(vendor_pm, order, fifty):
    """Text typed in a cell goes through the forms' parser: "1e1" is not taken as 10."""
    client = Client()
    client.force_login(vendor_pm)
    days = [10] * 50
    days[:4] = ["1e1000000", "NaN", "1e1", "sNaN"]

    response = client.post(
        f"/orders/{order.pk}/worklog/2026-10/upload/",
        {"file": filled_template(client, order, days)},
    )

    assert response.status_code == 400
    assert report_rows(response.content.decode()) == [
        ["2026-10", str(row), "G 人天", typed, f"“{typed}”不是数字：请只用数字书写，如 1250.50。"]
        for row, typed in enumerate(days[:4], start=5)
    ]
    assert not WorkLogLine.objects.exists()
