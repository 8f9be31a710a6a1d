"""`contracts/<id>/archive/`: one zip of the current version of every paper of the contract and
of its orders, staff, sheets, invoices and payments, a folder per object, with the ledger of
its signed sheets; sent as it is written, for who sees the contract."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from archive.services import document_add
from tests.archive.conftest import PDF, upload
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def unzipped(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.streaming  # written as it is sent, never whole in memory
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_every_current_paper_and_the_ledger(api, world, procurement):
    contract = world["contract"]["object"]
    document_add(
        target=contract,
        kind="signed_contract",
        upload=upload("合同（重签）.pdf", b"%PDF-1.7 v2"),
        uploaded_by=procurement,
    )
    order, staff = world["order"]["object"], world["staff"]["object"]

    response = api(procurement).get(f"/api/v1/contracts/{contract.pk}/archive/")

    archive = unzipped(response)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{contract.code}-%E6%A1%A3%E6%A1%88.zip"
    )
    sheet = world["sheet"]["object"]
    assert archive.namelist() == [
        f"框架合同/{contract.code} {contract.name}/签署的合同 v2 合同（重签）.pdf",
        f"人员/{staff.name}（产品／平台服务 高级）/人员保密承诺书 v1 staff.pdf",
        f"委托订单/{order.number} {order.name}/订单附件 v1 order.pdf",
        f"整改通知/{world['rectification']['object']}/其他 v1 rectification.pdf",
        f"结算单/{sheet}/验收记录 v1 sheet.pdf",
        "发票/04417829/发票影像 v1 invoice.pdf",
        "付款/记-2026-12-001 1060.00/付款凭证 v1 payment.pdf",
        f"附件6 委托订单/{order.number}.pdf",
        f"附件2 考核表/{order.number} 2026-10.pdf",
        f"结算台账-{contract.code}.xlsx",
        f"附件7 结算单/{sheet}.pdf",
        f"发票与付款-{contract.code}.xlsx",
    ]
    papers, generated = archive.namelist()[:7], archive.namelist()[7:]
    assert archive.read(papers[0]) == b"%PDF-1.7 v2"
    assert all(archive.read(name) == PDF for name in papers[1:])
    ledger = load_workbook(io.BytesIO(archive.read(generated[2]))).active
    # The worked example's sheet, signed: 45,474.95 payable incl. tax (SPEC §3).
    assert [
        (row[3], Decimal(str(row[11]))) for row in ledger.iter_rows(2, 2, values_only=True)
    ] == [(order.number, Decimal("45474.95"))]
    # The papers the portal prints, rendered into the zip: 附件6 with its number, 附件2 with
    # its score (92.5), 附件7 with the payable in capitals (肆万伍仟肆佰柒拾肆元玖角伍分).
    assert order.number in pdf_text(archive.read(generated[0]))
    assert "92.5" in pdf_text(archive.read(generated[1]))
    assert "肆万伍仟肆佰柒拾肆元玖角伍分" in pdf_text(archive.read(generated[3]))
    records = load_workbook(io.BytesIO(archive.read(generated[4]))).active
    assert records.title == "对账"


def test_the_vendor_gets_the_same_zip_from_the_contract_page(world, vendor_pm, client):
    contract = world["contract"]["object"]
    client.force_login(vendor_pm)

    archive = unzipped(client.get(f"/contracts/{contract.pk}/archive/"))

    assert len(archive.namelist()) == 12
