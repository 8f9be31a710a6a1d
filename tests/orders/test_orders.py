"""Commissioned orders (附件6): numbered per contract, priced at the rate card, issued within the
free amount (reserving it), released when completed or cancelled, and another vendor's is 404."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from contracts.models import FrameworkContract
from contracts.services import tax_rate_add
from orders.models import Order
from orders.services import OrderError, order_create, order_issue

pytestmark = pytest.mark.django_db

LINES = [
    {"role": "产品/平台服务", "level": "高级", "planned_quantity": "41.5"},
    {"role": "技术支持", "level": "初级", "planned_quantity": "19"},
]


def payload(contract, **overrides):
    fields = {
        "contract": contract.pk,
        "name": "会员运营支撑",
        "service_start": "2026-02-01",
        "service_end": "2026-06-30",
        "buyer_contact_name": "张采购",
        "vendor_contact_email": "pm@example.com",
        "service_items": "运营支撑",
        "lines": LINES,
        "payment_plan": [],
    }
    return {**fields, **overrides}


def create(client, contract, **overrides):
    return client.post("/api/v1/orders/", payload(contract, **overrides), format="json")


def test_orders_are_numbered_per_contract_and_priced_at_the_rate_card(
    api, procurement, active_contract
):
    client = api(procurement)
    first = create(client, active_contract)
    second = create(client, active_contract, name="第二批")

    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["number"], body["batch"], body["status"]) == (
        f"{active_contract.code}-001",
        1,
        "draft",
    )
    assert second.json()["number"] == f"{active_contract.code}-002"
    assert [(line["unit_price_incl_tax"], line["planned_amount"]) for line in body["lines"]] == [
        ("900.00", "37350.00"),
        ("621.69", "11812.11"),
    ]
    assert body["planned_amount"] == "49162.11"
    assert body["assessment_and_settlement"] == "按照框架协议执行"


def test_lines_are_priced_at_the_rate_in_force_on_the_service_start(api, procurement, contract):
    from contracts.services import contract_activate
    from tests.factories import rate_card

    tax_rate_add(
        contract=rate_card(contract), effective_from=date(2026, 7, 1), rate=Decimal("0.09")
    )
    contract_activate(contract=contract)

    later = create(
        api(procurement), contract, service_start="2026-07-01", service_end="2026-09-30"
    ).json()

    assert [line["unit_price_incl_tax"] for line in later["lines"]] == ["925.48", "639.29"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_start": "2025-12-01"}, "service_start"),
        ({"service_end": "2027-02-01"}, "service_start"),
        ({"lines": [{"role": "直播运营", "level": "高级", "planned_quantity": "1"}]}, "lines"),
        ({"lines": [{"role": "技术支持", "level": "高级", "planned_quantity": "0"}]}, "lines"),
        (
            {
                "payment_plan": [
                    {"stage": "首付", "amount_incl_tax": "10000.00", "ratio": "0.6"},
                    {"stage": "尾款", "amount_incl_tax": "10000.00", "ratio": "0.5"},
                ]
            },
            "payment_plan",
        ),
        (
            {"payment_plan": [{"stage": "全款", "amount_incl_tax": "60000.00", "ratio": "1"}]},
            "payment_plan",
        ),
    ],
)
def test_bad_orders_are_refused_and_nothing_is_saved(
    api, procurement, active_contract, overrides, field
):
    response = create(api(procurement), active_contract, **overrides)

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Order.objects.exists()


def test_issuing_reserves_the_plan_and_records_the_executed_amount(
    api, procurement, active_contract
):
    client = api(procurement)
    first = create(client, active_contract).json()
    second = create(client, active_contract).json()

    issued = client.post(f"/api/v1/orders/{first['id']}/issue/")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["status"] == "in_service"
    assert issued.json()["executed_amount_at_issue"] == "0.00"
    later = client.post(f"/api/v1/orders/{second['id']}/issue/").json()
    assert later["executed_amount_at_issue"] == "49162.11"

    contract = client.get(f"/api/v1/contracts/{active_contract.pk}/").json()
    assert contract["committed_total"] == "98324.22"
    assert contract["free_amount"] == "17529475.78"


def test_an_order_beyond_the_free_amount_is_refused_with_the_amounts_named(
    api, procurement, buyer, vendor
):
    from contracts.services import contract_activate
    from tests.factories import ContractFactory, rate_card

    contract = contract_activate(
        contract=rate_card(
            ContractFactory(buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal("60000.00"))
        )
    )
    client = api(procurement)
    first = create(client, contract).json()
    second = create(client, contract).json()
    client.post(f"/api/v1/orders/{first['id']}/issue/")

    refused = client.post(f"/api/v1/orders/{second['id']}/issue/")

    assert refused.status_code == 400
    assert refused.json() == {
        "planned_amount": [
            "订单计划金额 49162.11 超过合同可用额度 10837.89"
            "（上限 60000.00 − 已结算 0.00 − 已占用 49162.11）。"
        ]
    }
    assert Order.objects.get(pk=second["id"]).status == "draft"


def test_cancelling_and_completing_release_the_reservation(api, procurement, active_contract):
    client = api(procurement)
    cancelled = create(client, active_contract).json()["id"]
    completed = create(client, active_contract).json()["id"]
    for order in (cancelled, completed):
        client.post(f"/api/v1/orders/{order}/issue/")

    assert client.post(f"/api/v1/orders/{cancelled}/cancel/").json()["status"] == "cancelled"
    assert client.post(f"/api/v1/orders/{completed}/complete/").json()["status"] == "completed"
    active_contract.refresh_from_db()
    assert active_contract.committed_total == Decimal("0.00")
    assert client.post(f"/api/v1/orders/{cancelled}/issue/").status_code == 409


def test_an_order_needs_an_active_contract(procurement, contract):
    from tests.factories import rate_card

    order = order_create(
        contract=rate_card(contract),
        name="x",
        service_start=date(2026, 2, 1),
        service_end=date(2026, 3, 1),
        lines=LINES,
    )

    with pytest.raises(OrderError, match="未生效"):
        order_issue(order=order)


def test_an_issued_order_no_longer_changes(api, procurement, active_contract):
    client = api(procurement)
    order = create(client, active_contract).json()["id"]
    client.post(f"/api/v1/orders/{order}/issue/")

    response = client.patch(f"/api/v1/orders/{order}/", {"name": "改名"}, format="json")

    assert response.status_code == 400
    assert "只有草稿" in response.json()["detail"]


def test_a_vendor_pm_reads_its_issued_orders_but_writes_none(
    api, procurement, vendor_pm, active_contract
):
    order = create(api(procurement), active_contract).json()["id"]
    client = api(vendor_pm)

    assert client.get(f"/api/v1/orders/{order}/").status_code == 404  # a draft is the buyer's
    api(procurement).post(f"/api/v1/orders/{order}/issue/")
    assert client.get(f"/api/v1/orders/{order}/").status_code == 200
    assert client.post(f"/api/v1/orders/{order}/cancel/").status_code == 403
    assert create(client, active_contract).status_code == 403


def test_another_vendors_orders_answer_404_on_every_route(
    api, procurement, other_vendor_pm, active_contract
):
    owner = api(procurement)
    order = create(owner, active_contract).json()["id"]
    owner.post(f"/api/v1/orders/{order}/issue/")
    pdf = SimpleUploadedFile("计划.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    owner.post(f"/api/v1/orders/{order}/attachments/", {"file": pdf}, format="multipart")
    attachment = Order.objects.get(pk=order).documents.get().pk
    client = api(other_vendor_pm)
    base = f"/api/v1/orders/{order}"

    for method, suffix in [
        ("get", ""),
        ("get", "pdf/"),
        ("post", "issue/"),
        ("post", "complete/"),
        ("post", "cancel/"),
        ("patch", ""),
        ("post", "attachments/"),
        ("get", f"attachments/{attachment}/"),
    ]:
        assert getattr(client, method)(f"{base}/{suffix}").status_code == 404, suffix
    assert client.get("/api/v1/orders/").json()["count"] == 0
    assert client.get(f"/api/v1/orders/?contract={active_contract.pk}").status_code == 400


def test_attachments_are_checked_by_type_content_and_size(
    api, procurement, vendor_pm, active_contract, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client = api(procurement)
    order = create(client, active_contract).json()["id"]
    url = f"/api/v1/orders/{order}/attachments/"

    def upload(name, content):
        return client.post(url, {"file": SimpleUploadedFile(name, content)}, format="multipart")

    assert upload("说明.pdf", b"%PDF-1.7\n...").status_code == 200
    assert upload("图.png", b"\x89PNG\r\n\x1a\n...").status_code == 200
    assert upload("run.exe", b"MZ...").json() == {
        "file": [
            "请上传 PDF、Office 文件或图片"
            "（.doc .docx .jpeg .jpg .pdf .png .ppt .pptx .xls .xlsx）。"
        ]
    }
    assert upload("fake.pdf", b"<html>").json() == {"file": ["文件内容不是 .pdf 文件。"]}
    assert upload("big.pdf", b"%PDF" + b"0" * 2000).json() == {"file": ["文件超过 1.0\xa0KB。"]}
    stored = Order.objects.get(pk=order).documents.first()
    download = client.get(f"{url}{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7\n..."
    # Kept in the archive as the order's papers, and listed on the order as they were.
    listed = client.get(f"/api/v1/orders/{order}/").json()["attachments"]
    assert [(a["kind"], a["name"], a["size"], a["version"]) for a in listed] == [
        ("order_attachment", "说明.pdf", 12, 1),
        ("order_attachment", "图.png", 11, 1),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_issues_raced_cannot_together_exceed_the_free_amount(buyer, vendor):
    from contracts.services import contract_activate
    from tests.factories import ContractFactory, rate_card

    contract = contract_activate(
        contract=rate_card(
            ContractFactory(buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal("80000.00"))
        )
    )
    orders = [
        order_create(
            contract=contract,
            name=f"并发{n}",
            service_start=date(2026, 2, 1),
            service_end=date(2026, 3, 1),
            lines=LINES,
        )
        for n in range(4)
    ]
    barrier = threading.Barrier(len(orders))
    outcomes = []

    def issue(order):
        barrier.wait()
        try:
            order_issue(order=order)
            outcomes.append("issued")
        except OrderError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    contract = FrameworkContract.objects.get(pk=contract.pk)
    assert sorted(outcomes) == ["issued", "refused", "refused", "refused"]
    assert contract.committed_total == Decimal("49162.11")
    assert Order.objects.filter(status__in=Order.OPEN).count() == 1
