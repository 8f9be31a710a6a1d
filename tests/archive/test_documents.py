"""A paper is checked as 附件6's attachments always were (a PDF, Office file or image by its
content, within the size limit) before anything is stored, is of a kind its object takes, is
filed by who may change that object, carries its SHA-256, and a new upload of a single paper
is its next version with the old one kept and still downloadable."""

from datetime import date, timedelta

import pytest

from archive.models import Document
from archive.selectors import missing_kinds
from archive.services import document_add
from tests.archive.conftest import PDF, upload
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db

# `sha256sum` of PDF, computed outside Python.
PDF_SHA256 = "503bcac25f41a51235e0bea89dc916441fdd1aa6b474d2b289c3d7b410b32700"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def add(client, **fields):
    return client.post("/api/v1/documents/", fields, format="multipart")


def test_a_file_is_checked_by_its_content_size_and_type_before_anything_is_stored(
    api, procurement, active_contract, settings, media
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client = api(procurement)

    def refusal(name, content):
        response = add(client, contract=active_contract.pk, file=upload(name, content))
        assert response.status_code == 400
        return response.json()

    assert refusal("合同.pdf", PNG) == {"file": ["文件内容不是 .pdf 文件。"]}
    assert refusal("大.pdf", b"%PDF" + b"0" * 2000) == {"file": ["文件超过 1.0\xa0KB。"]}
    assert refusal("setup.exe", b"MZ\x90\x00") == {
        "file": [
            "请上传 PDF、Office 文件或图片"
            "（.doc .docx .jpeg .jpg .pdf .png .ppt .pptx .xls .xlsx）。"
        ]
    }
    assert Document.objects.count() == 0
    assert not media.exists() or not any(media.rglob("*.*"))
    assert (
        add(client, contract=active_contract.pk, file=upload("盖章页.png", PNG)).status_code == 201
    )


def test_a_paper_is_shown_with_its_name_size_digest_and_download(api, procurement, active_contract):
    response = add(
        api(procurement),
        contract=active_contract.pk,
        kind="signed_contract",
        dated="2026-01-01",
        note="双方盖章",
        file=upload("框架合同（签署版）.pdf"),
    )

    assert response.status_code == 201
    row = response.json()
    document = Document.objects.get()
    assert row == {
        "id": document.pk,
        "contract": active_contract.pk,
        "order": None,
        "staff": None,
        "acceptance": None,
        "rectification": None,
        "sheet": None,
        "invoice": None,
        "payment": None,
        "kind": "signed_contract",
        "name": "框架合同（签署版）.pdf",
        "size": len(PDF),
        "sha256": PDF_SHA256,
        "dated": "2026-01-01",
        "note": "双方盖章",
        "version": 1,
        "previous": None,
        "is_current": True,
        "uploaded_by": procurement.pk,
        "uploaded_by_name": str(procurement),
        "uploaded_at": row["uploaded_at"],
        "download": f"/api/v1/documents/{document.pk}/download/",
    }


def test_a_download_is_the_file_under_its_own_name_never_sniffed(api, procurement, active_contract):
    client = api(procurement)
    document = add(client, contract=active_contract.pk, file=upload("框架合同.pdf")).json()

    download = client.get(document["download"])

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%A1%86%E6%9E%B6%E5%90%88%E5%90%8C.pdf"
    )


def test_a_single_paper_uploaded_again_is_its_next_version_the_old_one_kept(
    api, procurement, active_contract
):
    client = api(procurement)
    first = add(client, contract=active_contract.pk, kind="signed_contract", file=upload())
    second = add(
        client,
        contract=active_contract.pk,
        kind="signed_contract",
        file=upload("重签.pdf", b"%PDF-1.7 second"),
    )

    assert second.json()["version"] == 2
    assert second.json()["previous"] == first.json()["id"]
    old = client.get(f"/api/v1/documents/{first.json()['id']}/")
    assert old.json()["is_current"] is False
    assert b"".join(client.get(old.json()["download"]).streaming_content) == PDF
    current = client.get(f"/api/v1/documents/?contract={active_contract.pk}&current=1").json()
    assert [row["id"] for row in current["results"]] == [second.json()["id"]]
    assert client.get("/api/v1/documents/?current=0").json()["count"] == 1


def test_papers_an_object_holds_several_of_stand_side_by_side_until_one_is_replaced(
    api, procurement, active_contract
):
    client = api(procurement)
    one = add(client, contract=active_contract.pk, kind="amendment", file=upload("补充协议一.pdf"))
    two = add(client, contract=active_contract.pk, kind="amendment", file=upload("补充协议二.pdf"))
    assert [one.json()["version"], two.json()["version"]] == [1, 1]

    replaced = client.post(
        f"/api/v1/documents/{one.json()['id']}/new-version/",
        {"file": upload("补充协议一（修订）.pdf"), "note": "改正笔误"},
        format="multipart",
    )
    again = client.post(
        f"/api/v1/documents/{one.json()['id']}/new-version/",
        {"file": upload("又一版.pdf")},
        format="multipart",
    )

    assert replaced.status_code == 201
    assert (replaced.json()["version"], replaced.json()["previous"]) == (2, one.json()["id"])
    assert replaced.json()["kind"] == "amendment"
    assert again.status_code == 409
    assert again.json() == {"replaces": ["补充协议一.pdf 已有更新的版本：请替换那一版。"]}


def test_an_object_takes_its_own_kinds_and_one_object_at_a_time(api, vendor_pm, active_contract):
    client = api(vendor_pm)
    staff = member(active_contract, 1)

    wrong = add(client, staff=staff.pk, kind="signed_contract", file=upload())
    none = add(client, file=upload())
    both = add(client, staff=staff.pk, contract=active_contract.pk, file=upload())

    assert wrong.json() == {"kind": ["人员可附的文件类型：人员保密承诺书、其他。"]}
    assert none.json() == both.json() == {"detail": NAME_ONE}


NAME_ONE = (
    "请指明文件所属的一个对象："
    "contract, staff, order, acceptance, rectification, sheet, invoice, payment。"
)


def test_the_date_of_a_paper_is_not_in_the_future(api, procurement, active_contract):
    tomorrow = date.today() + timedelta(days=2)
    response = add(
        api(procurement), contract=active_contract.pk, dated=tomorrow.isoformat(), file=upload()
    )

    assert response.json() == {"dated": ["文件日期不能晚于今天。"]}


def test_a_staff_member_lacks_the_undertaking_until_it_is_filed(vendor_pm, active_contract):
    staff = member(active_contract, 1)
    assert missing_kinds(staff) == ["staff_confidentiality"]

    document_add(target=staff, kind="staff_confidentiality", upload=upload(), uploaded_by=vendor_pm)

    assert missing_kinds(staff) == []


def test_who_files_papers_on_what(api, world, procurement, vendor_pm, finance):
    """The buyer's procurement its contracts, orders, rectifications and sheets; the vendor its
    orders, rectifications, its people and its invoices; finance sheets, invoices and payments.
    Another role may read a paper (403 when it tries to add one, not 404: it sees the object)."""
    may = {
        procurement: {"contract", "order", "rectification", "sheet"},
        vendor_pm: {"order", "rectification", "staff", "invoice"},
        finance: {"sheet", "invoice", "payment"},
    }
    for user, allowed in may.items():
        client = api(user)
        for name, paper in world.items():
            response = add(client, **{name: paper["object"].pk, "file": upload()})
            assert response.status_code == (201 if name in allowed else 403), (user, name)
            version = client.post(
                f"/api/v1/documents/{paper['document'].pk}/new-version/",
                {"file": upload()},
                format="multipart",
            )
            assert version.status_code in ((201, 409) if name in allowed else (403,))
