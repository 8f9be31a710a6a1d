"""The archive in Chromium: on a 390 px phone the vendor's PM files 赵敏's missing
confidentiality undertaking from her page (a .pdf that is really an image is refused on the
form first), the flag goes and the paper downloads under its Chinese name; on the desktop
procurement downloads the contract's zip and finds the signed contract, the undertaking and
the ledger in it. Nothing sticks out of the phone's screen."""

import io
import zipfile

import pytest
from django.core.management import call_command

from contracts.models import FrameworkContract
from staffing.models import StaffMember
from tests.e2e.conftest import login, shot, wider_than_screen

PDF = b"%PDF-1.4\n% signed and scanned\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def paper(name, content):
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_vendor_files_an_undertaking_and_procurement_zips_the_contract(
    live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    staff = StaffMember.objects.get(name="赵敏")
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")

    phone = login(browser, live_server, "yunqi_pm", phone=True)
    phone.goto(f"{live_server.url}/staff/{staff.pk}/")
    panel = phone.locator("#documents")
    assert "缺少：人员保密承诺书" in panel.inner_text()
    assert wider_than_screen(phone) == []
    panel.locator("input[type=file]").set_input_files(paper("赵敏保密承诺书.pdf", PNG))
    panel.locator("button.primary").click()
    phone.wait_for_url(f"**/documents/new/staff/{staff.pk}/")
    assert phone.locator(".error-text").inner_text() == "文件内容不是 .pdf 文件。"
    assert wider_than_screen(phone) == []
    shot(phone, "documents-refused-phone")

    phone.locator("input[type=file]").set_input_files(paper("赵敏保密承诺书.pdf", PDF))
    phone.fill("input[name=dated]", "2026-01-05")
    phone.locator("button.primary").click()
    phone.wait_for_url(f"**/staff/{staff.pk}/")
    assert "已添加文件 赵敏保密承诺书.pdf（第 1 版）。" in phone.locator(".messages").inner_text()
    assert "缺少" not in phone.locator("#documents").inner_text()
    with phone.expect_download() as download:
        phone.locator("#documents a", has_text="赵敏保密承诺书.pdf").click()
    assert download.value.suggested_filename == "赵敏保密承诺书.pdf"
    assert download.value.path().read_bytes() == PDF
    assert wider_than_screen(phone) == []
    shot(phone, "documents-staff-phone")

    desktop = login(browser, live_server, "caigou")
    desktop.goto(f"{live_server.url}/contracts/{contract.pk}/")
    shot(desktop, "documents-contract-desktop")
    with desktop.expect_download() as download:
        desktop.click("text=下载合同档案")
    assert download.value.suggested_filename == "MGYY-2026-003-档案.zip"
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert f"框架合同/{contract}/签署的合同 v1 框架协议MGYY-2026-003（双方盖章）.pdf" in names
    assert "人员/赵敏（设计／制作支撑 初级）/人员保密承诺书 v1 赵敏保密承诺书.pdf" in names
    # What the portal prints comes after the papers: the orders (附件6), scores (附件2), the
    # ledger and signed sheets (附件7), the invoices and payments.
    assert (
        "结算台账-MGYY-2026-003.xlsx" in names and "附件6 委托订单/MGYY-2026-003-001.pdf" in names
    )
    assert names[-1] == "发票与付款-MGYY-2026-003.xlsx"
