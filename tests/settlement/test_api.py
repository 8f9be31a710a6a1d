"""Settlement through the API: computing a month on a worker, the sign-off, invoice and payment
flow, a signed sheet immutable, the PDF, the ledger and the zip, and another vendor's sheets
unseen."""

import io
import json
import os
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.renderers import JSONRenderer

from core.models import User
from settlement.api import SheetSerializer
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list
from settlement.services import settlements_compute
from tests.conftest import wait_for_task
from tests.factories import UserFactory
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_user(buyer):
    return UserFactory(username="caiwu2", role=User.Role.FINANCE, organization=buyer)


def compute():
    """October's sheets, computed in-process (the API's compute/ and its task are tested on a
    real worker above)."""
    settlements_compute(month=OCTOBER)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_compute_answers_202_and_a_worker_reports_its_result(
    api, procurement, worked_example, celery_worker
):
    response = api(procurement).post(
        "/api/v1/settlements/compute/", {"month": "2026-10"}, format="json"
    )

    assert response.status_code == 202
    task = wait_for_task(api(procurement), response.json()["task_id"])
    assert task == {
        "state": "SUCCESS",
        "progress": None,
        "result": {
            "month": "2026-10",
            "orders": 1,
            "computed": 1,
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "skipped": [],
            "failed": [],
            "summary": "2026-10：新建结算单 1 张，更新 0 张，无变化 0 张；跳过 0 个订单。",
        },
    }
    sheet = SettlementSheet.objects.get()
    body = api(procurement).get(f"/api/v1/settlements/{sheet.pk}/").json()
    assert (
        body["month"],
        body["base_amount"],
        body["payable_incl_tax"],
        body["payable_excl_tax"],
        body["tax_amount"],
        body["status"],
    ) == ("2026-10", "49162.1100", "45474.95", "42900.90", "2574.05", "draft")


def test_the_sign_off_invoice_and_payment_flow(
    api, procurement, vendor_pm, finance_user, worked_example, clock
):
    """The sheet's own `invoice/` and `pay/`, as old clients post them (now finance's)."""
    clock(date(2026, 11, 10))
    compute()
    sheet = SettlementSheet.objects.get().pk
    url = f"/api/v1/settlements/{sheet}"

    assert api(procurement).post(f"{url}/confirm/").status_code == 409  # the vendor first
    assert api(vendor_pm).post(f"{url}/confirm/").json()["status"] == "vendor_confirmed"
    signed = api(procurement).post(f"{url}/confirm/").json()
    assert signed["status"] == "signed"
    assert signed["invoice_due_by"]
    wrong = api(vendor_pm).post(
        f"{url}/invoice/", {"number": "INV-1", "invoiced_on": "2026-11-10", "amount": "45474.94"}
    )
    assert wrong.status_code == 400
    invoiced = (  # finance's, received the day it is issued (a vendor's waits for its receipt)
        api(finance_user)
        .post(
            f"{url}/invoice/",
            {"number": "INV-1", "invoiced_on": "2026-11-10", "amount": "45474.95"},
        )
        .json()
    )
    # 30 working days after 10 November 2026: 22 December 2026.
    assert (invoiced["status"], invoiced["payment_due_by"]) == ("invoiced", "2026-12-22")
    assert api(vendor_pm).post(f"{url}/pay/", {"paid_on": "2026-12-01"}).status_code == 403
    paid = api(finance_user).post(f"{url}/pay/", {"paid_on": "2026-12-01"}).json()
    assert paid["status"] == "paid"


def test_a_signed_sheet_refuses_every_change(
    api, procurement, vendor_pm, worked_example, admin_client
):
    compute()
    sheet = SettlementSheet.objects.get()
    api(vendor_pm).post(f"/api/v1/settlements/{sheet.pk}/confirm/")
    api(procurement).post(f"/api/v1/settlements/{sheet.pk}/confirm/")
    url = f"/api/v1/settlements/{sheet.pk}/"

    assert api(procurement).patch(url, {"payable_incl_tax": "1"}).status_code == 405
    assert api(procurement).put(url, {}).status_code == 405
    assert api(procurement).delete(url).status_code == 405
    assert api(procurement).post(f"{url}confirm/").status_code == 409
    assert (
        admin_client.post(
            f"/admin/settlement/settlementsheet/{sheet.pk}/change/", {"payable_incl_tax": "1"}
        ).status_code
        == 403
    )
    reopen = api(procurement).post(f"/api/v1/worklogs/{sheet.worklog_id}/reopen/", {"reason": "x"})
    assert reopen.status_code == 409
    sheet.refresh_from_db()
    assert sheet.payable_incl_tax == Decimal("45474.95")


def test_the_pdf_reads_back_with_the_annex7_headings_and_capitals(api, procurement, worked_example):
    compute()
    sheet = SettlementSheet.objects.get()

    response = api(procurement).get(f"/api/v1/settlements/{sheet.pk}/pdf/")

    text = pdf_text(response.content)
    for expected in (
        "结算单",
        "一、订单信息",
        "二、订单执行情况",
        "三、依据框架协议考核（扣款）情况",
        "四、依据框架协议结算情况",
        "五、其他需要说明的事项",
        "框架协议剩余金额",
        "￥45,474.95元",
        "人民币肆万伍仟肆佰柒拾肆元玖角伍分",
        "42,900.90",
        "2,574.05",
        "92.50",
        "安全考核",
        "框架协议下的所有结算单金额累加不得超过框架协议总金额",
    ):
        assert expected in text, expected


def test_the_ledger_opens_and_adds_up(api, procurement, worked_example):
    compute()

    response = api(procurement).get("/api/v1/settlements/export/?month=2026-10&status=draft")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    data, subtotal, total = rows[:-2], rows[-2], rows[-1]
    assert (subtotal[0], subtotal[6], total[0]) == ("小计", "草稿", "合计")
    assert subtotal[11] == total[11]
    assert (
        Decimal(str(total[11])) == sum(Decimal(str(row[11])) for row in data) == Decimal("45474.95")
    )
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_another_vendors_sheets_are_invisible(api, procurement, other_vendor_pm, worked_example):
    compute()
    sheet = SettlementSheet.objects.get()
    client = api(other_vendor_pm)

    for method, suffix in [
        ("get", ""),
        ("get", "pdf/"),
        ("get", "history/"),
        ("post", "confirm/"),
        ("post", "invoice/"),
    ]:
        assert (
            getattr(client, method)(f"/api/v1/settlements/{sheet.pk}/{suffix}").status_code == 404
        )
    assert client.get("/api/v1/settlements/").json()["count"] == 0
    ledger = load_workbook(io.BytesIO(client.get("/api/v1/settlements/export/").content)).active
    assert ledger.max_row == 2  # the header and an empty totals row
    refused = client.post("/api/v1/settlements/compute/", {"month": "2026-10"})
    assert refused.status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_finance_downloads_many_pdfs_as_one_zip(
    api, procurement, finance_user, worked_example, other_vendor_pm, celery_worker, settings
):
    import zipfile

    settlements_compute(month=OCTOBER)
    started = api(finance_user).post("/api/v1/settlements/pdf-zip/?month=2026-10&status=draft")
    task_id = started.json()["task_id"]

    assert started.status_code == 202
    assert wait_for_task(api(finance_user), task_id)["result"] == {"count": 1, "failed": []}
    download = api(finance_user).get(f"/api/v1/settlements/pdf-zip/{task_id}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [f"结算单-{worked_example.number}-2026-10.pdf"]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")
    assert api(other_vendor_pm).get(f"/api/v1/settlements/pdf-zip/{task_id}/").status_code == 404
    # Procurement of finance's buyer follows the task, but the zip is finance's alone.
    assert api(procurement).get(f"/api/v1/tasks/{task_id}/").json()["state"] == "SUCCESS"
    assert api(procurement).get(f"/api/v1/settlements/pdf-zip/{task_id}/").status_code == 404


def test_the_admin_neither_adds_nor_reverts_sheets(admin_client, worked_example):
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get()

    assert admin_client.get("/admin/settlement/settlementsheet/add/").status_code == 403
    assert (
        admin_client.get(f"/admin/settlement/settlementsheet/{sheet.pk}/history/").status_code
        == 200
    )
    assert (
        admin_client.post(
            f"/admin/settlement/settlementsheet/{sheet.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_list_answers_what_the_serializer_answers(api):
    """The list reads plain rows for speed; every sheet reads as its detail serializer shows it
    (signed, invoiced and paid sheets of the demo, with dates, times and lines)."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = User.objects.get(username="caigou")
    listed = api(user).get("/api/v1/settlements/?page_size=100").json()["results"]
    sheets = sheet_list(user=user).order_by("-month", "-order_id", "id")
    assert [row["id"] for row in listed] == [sheet.pk for sheet in sheets]
    assert {row["status"] for row in listed} >= {"paid", "invoiced", "signed", "draft"}
    serialized = json.loads(JSONRenderer().render(SheetSerializer(sheets, many=True).data))
    assert listed == serialized
