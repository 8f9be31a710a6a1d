"""The documents panel on the pages of a contract, an order, a staff member and a sheet: the
current version of each paper with its older ones, uploader and date, a download through the
checked route; the kinds the object lacks flagged; an upload form for who may add, its
refusals shown on the form with nothing saved."""

import pytest

from archive.models import Document
from archive.services import document_add
from tests.archive.conftest import PDF, upload
from tests.pages import browser
from tests.settlement.conftest import issued
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db


def test_each_page_lists_its_papers_and_their_versions(world, procurement):
    contract = world["contract"]["object"]
    newer = document_add(
        target=contract,
        kind="signed_contract",
        upload=upload("合同（重签）.pdf"),
        uploaded_by=procurement,
        note="补盖骑缝章",
    )
    page = browser(procurement)
    urls = {
        "contract": f"/contracts/{contract.pk}/",
        "order": f"/orders/{world['order']['object'].pk}/",
        "staff": f"/staff/{world['staff']['object'].pk}/",
        "sheet": f"/settlements/{world['sheet']['object'].pk}/",
    }

    for name, url in urls.items():
        html = page.get(url).content.decode()
        assert 'id="documents"' in html, name
    contract_page = page.get(urls["contract"]).content.decode()
    assert f'href="/documents/{newer.pk}/download/">合同（重签）.pdf' in contract_page
    assert "1 个旧版本" in contract_page
    assert f'href="/documents/{world["contract"]["document"].pk}/download/">v1 contract.pdf' in (
        contract_page
    )
    assert "补盖骑缝章" in contract_page
    assert f'href="/contracts/{contract.pk}/archive/"' in contract_page


def test_a_staff_member_without_the_undertaking_is_flagged(vendor_pm, active_contract):
    staff = member(active_contract, 1)
    page = browser(vendor_pm)

    assert "缺少：人员保密承诺书" in page.get(f"/staff/{staff.pk}/").content.decode()
    document_add(target=staff, kind="staff_confidentiality", upload=upload(), uploaded_by=vendor_pm)
    assert "缺少：" not in page.get(f"/staff/{staff.pk}/").content.decode()


def test_the_vendor_files_an_undertaking_from_the_staff_page(vendor_pm, active_contract):
    staff = member(active_contract, 1)
    page = browser(vendor_pm)
    form = page.get(f"/staff/{staff.pk}/").content.decode()
    assert f'action="/documents/new/staff/{staff.pk}/"' in form

    added = page.post(
        f"/documents/new/staff/{staff.pk}/",
        {
            "kind": "staff_confidentiality",
            "dated": "2026-02-01",
            "note": "原件存档",
            "file": upload("王磊保密承诺书.pdf"),
            "next": f"/staff/{staff.pk}/",
        },
        follow=True,
    )

    assert added.redirect_chain == [(f"/staff/{staff.pk}/", 302)]
    assert "已添加文件 王磊保密承诺书.pdf（第 1 版）。" in added.content.decode()
    document = Document.objects.get()
    assert (document.kind, str(document.dated), document.note) == (
        "staff_confidentiality",
        "2026-02-01",
        "原件存档",
    )


def test_a_refused_upload_is_shown_on_the_form_and_nothing_is_saved(vendor_pm, active_contract):
    staff = member(active_contract, 1)

    refused = browser(vendor_pm).post(
        f"/documents/new/staff/{staff.pk}/",
        {
            "kind": "staff_confidentiality",
            "file": upload("承诺书.pdf", b"\x89PNG\r\n"),
            "next": f"/staff/{staff.pk}/",
        },
    )

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "文件内容不是 .pdf 文件。" in html
    assert f'href="/staff/{staff.pk}/"' in html  # back to the page it came from
    assert not Document.objects.exists()


def test_a_new_version_is_chosen_on_the_form(procurement, active_contract):
    order = issued(active_contract)
    first = document_add(
        target=order, kind="order_attachment", upload=upload("需求.pdf"), uploaded_by=procurement
    )

    browser(procurement).post(
        f"/documents/new/order/{order.pk}/",
        {"kind": "other", "replaces": first.pk, "file": upload("需求（二版）.pdf")},
    )

    newer = Document.objects.get(previous=first)
    assert (newer.kind, newer.version, newer.name) == ("order_attachment", 2, "需求（二版）.pdf")


def test_who_may_not_add_sees_no_form_and_is_refused(procurement, vendor_pm, active_contract):
    staff = member(active_contract, 1)
    buyer = browser(procurement)
    vendor = browser(vendor_pm)

    assert "document-upload" not in buyer.get(f"/staff/{staff.pk}/").content.decode()
    assert buyer.post(f"/documents/new/staff/{staff.pk}/", {"file": upload()}).status_code == 403
    assert "document-upload" not in vendor.get(f"/contracts/{active_contract.pk}/").content.decode()
    refused = vendor.post(f"/documents/new/contract/{active_contract.pk}/", {"file": upload()})
    assert refused.status_code == 403
    assert not Document.objects.exists()


def test_a_paper_downloads_from_its_page_link(procurement, active_contract):
    paper = document_add(
        target=active_contract, kind="other", upload=upload("会议纪要.pdf"), uploaded_by=procurement
    )

    download = browser(procurement).get(f"/documents/{paper.pk}/download/")

    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
