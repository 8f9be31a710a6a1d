"""Orders in the browser: procurement creates, issues and downloads an order; a refused form keeps
nothing; the vendor keeps its roster; another vendor's pages are 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from orders.models import Order
from staffing.models import StaffMember
from tests.factories import id_number

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def order_form(contract, **overrides):
    data = {
        "contract": contract.pk,
        "name": "会员运营支撑",
        "service_start": "2026-02-01",
        "service_end": "2026-06-30",
        "assessment_and_settlement": "按照框架协议执行",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-line": "产品/平台服务|高级",
        "lines-0-planned_quantity": "41.5",
        "lines-1-line": "技术支持|初级",
        "lines-1-planned_quantity": "19",
        "plan-TOTAL_FORMS": "1",
        "plan-INITIAL_FORMS": "0",
        "plan-0-stage": "验收后",
        "plan-0-amount_incl_tax": "49162.11",
        "plan-0-ratio": "1",
    }
    return {**data, **overrides}


def test_procurement_creates_issues_and_downloads_an_order_in_the_browser(
    procurement, active_contract
):
    client = browser(procurement)
    assert client.get(f"/orders/new/?contract={active_contract.pk}").status_code == 200

    created = client.post("/orders/new/", order_form(active_contract))

    order = Order.objects.get()
    assert created.status_code == 302
    assert str(order.planned_amount) == "49162.11"
    issued = client.post(f"/orders/{order.pk}/issue/", follow=True).content.decode()
    assert f"订单 {order.number} 已下达" in issued
    assert "肆万玖仟壹佰陆拾贰元壹角壹分" in issued
    contract_page = client.get(f"/contracts/{active_contract.pk}/").content.decode()
    assert "49,162.11" in contract_page
    pdf = client.get(f"/orders/{order.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get("/orders/").status_code == 200


def test_an_order_beyond_the_ceiling_shows_the_amounts_on_the_page(procurement, active_contract):
    client = browser(procurement)
    client.post("/orders/new/", order_form(active_contract))
    order = Order.objects.get()
    # Others reserved the rest of the ceiling while the draft waited.
    active_contract.committed_total = active_contract.ceiling_incl_tax - 100
    active_contract.save()

    page = client.post(f"/orders/{order.pk}/issue/", follow=True).content.decode()

    assert "超过合同可用额度 100.00" in page
    assert Order.objects.get().status == "draft"


def test_a_bad_order_form_keeps_nothing(procurement, active_contract):
    response = browser(procurement).post(
        "/orders/new/",
        order_form(active_contract, **{"plan-0-ratio": "1", "plan-0-amount_incl_tax": "99999999"}),
    )

    assert response.status_code == 200
    assert "超过订单计划金额" in response.content.decode()
    assert not Order.objects.exists()


def test_the_vendor_keeps_its_roster_in_the_browser(vendor_pm, procurement, active_contract):
    client = browser(vendor_pm)
    url = f"/contracts/{active_contract.pk}/staff/"
    assert client.get(url).status_code == 200

    refused = client.post(
        url,
        {
            "name": "王磊",
            "id_number": id_number(1),
            "phone": "13812345678",
            "education": "高中",
            "years_experience": "8",
            "role": "产品/平台服务",
            "level": "高级",
            "start_date": "2026-02-01",
        },
    ).content.decode()
    assert "学历须为专科及以上（现为高中）" in refused
    client.post(
        url,
        {
            "name": "王磊",
            "id_number": id_number(1),
            "phone": "13812345678",
            "education": "本科",
            "years_experience": "4",
            "role": "产品/平台服务",
            "level": "高级",
            "start_date": "2026-02-01",
            "exception_reason": "经验丰富",
        },
    )
    member = StaffMember.objects.get()
    assert member.status == "pending"
    roster = browser(procurement).get(url).content.decode()
    assert "138****5678" in roster
    assert id_number(1) not in roster
    assert "批准例外" in roster
    assert browser(procurement).post(url, {}).status_code == 403
    browser(procurement).post(f"/staff/{member.pk}/approve-exception/", {"reason": "同意"})
    member.refresh_from_db()
    assert member.status == "active"


def test_another_vendors_pages_are_404(other_vendor_pm, procurement, active_contract):
    client = browser(procurement)
    client.post("/orders/new/", order_form(active_contract))
    order = Order.objects.get()
    client.post(f"/orders/{order.pk}/issue/")
    client.post(
        f"/orders/{order.pk}/attachments/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    attachment = order.documents.get()
    from staffing.services import staff_create

    member = staff_create(  # pending: a stranger sees him no more than an approved one
        contract=active_contract,
        id_number=id_number(1),
        name="王磊",
        phone="13812345678",
        education="本科",
        years_experience=9,
        role="产品/平台服务",
        level="高级",
        start_date="2026-02-01",
    )
    stranger = browser(other_vendor_pm)

    for url in (
        f"/orders/{order.pk}/",
        f"/orders/{order.pk}/pdf/",
        f"/orders/{order.pk}/edit/",
        f"/orders/{order.pk}/attachments/{attachment.pk}/",
        f"/contracts/{active_contract.pk}/staff/",
    ):
        assert stranger.get(url).status_code == 404, url
    for url in (
        f"/orders/{order.pk}/issue/",
        f"/orders/{order.pk}/cancel/",
        f"/orders/{order.pk}/attachments/",
        f"/staff/{member.pk}/give-notice/",
        f"/staff/{member.pk}/approve-exception/",
    ):
        assert stranger.post(url).status_code == 404, url
    assert order.number not in stranger.get("/orders/").content.decode()
