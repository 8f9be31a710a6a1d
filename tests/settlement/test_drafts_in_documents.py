"""A sheet not yet signed never passes for a final one: its PDF carries 草稿 / DRAFT on every
page, and the ledger and the zip of PDFs hold only the statuses chosen (signed, invoiced and
paid unless others are), the ledger with a subtotal per status and the total."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.conftest import wait_for_task
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER, approved_log, confirmed_score, issued
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(worked_example, active_contract, procurement, vendor_pm):
    """The worked example's sheet signed (45,474.95) and another order's left a draft:
    12 senior days at 900.00 = 10,800.00, scored 95 (45 + 20 + 10 + 10 + 10, no deduction)
    → 10,260.00 payable, 10,260.00 / 1.06 = 9,679.245… → 9,679.25 excl., 580.75 tax."""
    other = issued(active_contract, name="数据分析")
    approved_log(other, OCTOBER, [(member(active_contract, 7), "12")], procurement)
    confirmed_score(other, OCTOBER, "45", procurement, vendor_pm)
    settlements_compute(month=OCTOBER)
    signed = sheet_confirm(sheet=SettlementSheet.objects.get(order=worked_example), actor=vendor_pm)
    signed = sheet_confirm(sheet=signed, actor=procurement)
    return signed, SettlementSheet.objects.get(order=other)


def ledger_rows(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content)).active
    return [
        (row[0], row[3], row[6], None if row[11] is None else Decimal(str(row[11])))
        for row in book.iter_rows(min_row=2, values_only=True)
    ]


def test_only_an_unsigned_sheets_pdf_says_draft(october, finance):
    signed, draft = october
    client = Client()
    client.force_login(finance)

    draft_text = pdf_text(client.get(f"/settlements/{draft.pk}/pdf/").content, raw=True)
    signed_text = pdf_text(client.get(f"/settlements/{signed.pk}/pdf/").content, raw=True)

    # Drawn once a page: the draft's two pages say it twice.
    assert draft_text.count("草稿DRAFT") == 2
    assert "草稿" not in signed_text and "DRAFT" not in signed_text


def test_the_ledger_holds_signed_sheets_unless_told_otherwise(october, finance, api):
    signed, _draft = october
    client = Client()
    client.force_login(finance)

    default = ledger_rows(client.get("/settlements/ledger/?month=2026-10").content)
    both = ledger_rows(
        client.get("/settlements/ledger/?month=2026-10&status=draft&status=signed").content
    )
    drafts_by_api = ledger_rows(
        api(finance).get("/api/v1/settlements/export/?month=2026-10&status=draft").content
    )

    assert default == [
        (signed.contract.code, signed.order.number, "已签署", Decimal("45474.95")),
        ("小计", None, "已签署", Decimal("45474.95")),
        ("合计", None, None, Decimal("45474.95")),
    ]
    # 10,260.00 + 45,474.95 = 55,734.95
    assert [row for row in both if row[0] in ("小计", "合计")] == [
        ("小计", None, "草稿", Decimal("10260.00")),
        ("小计", None, "已签署", Decimal("45474.95")),
        ("合计", None, None, Decimal("55734.95")),
    ]
    assert drafts_by_api[-1] == ("合计", None, None, Decimal("10260.00"))
    assert api(finance).get("/api/v1/settlements/export/?status=nonsense").status_code == 400


def test_the_list_offers_the_statuses_with_signed_and_later_chosen(october, finance):
    client = Client()
    client.force_login(finance)

    page = client.get("/settlements/").content.decode()

    for value in ("signed", "invoiced", "paid"):
        assert f'name="status" value="{value}" checked' in page
    for value in ("draft", "vendor_confirmed"):
        assert f'name="status" value="{value}">' in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_zip_of_pdfs_holds_the_statuses_chosen(october, finance, api, celery_worker):
    signed, draft = october

    def zipped(query):
        task_id = api(finance).post(f"/api/v1/settlements/pdf-zip/{query}").json()["task_id"]
        assert wait_for_task(api(finance), task_id)["state"] == "SUCCESS"
        download = api(finance).get(f"/api/v1/settlements/pdf-zip/{task_id}/")
        return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()

    assert zipped("?month=2026-10") == [f"结算单-{signed.order.number}-2026-10.pdf"]
    assert zipped("?month=2026-10&status=draft") == [f"结算单-{draft.order.number}-2026-10.pdf"]
