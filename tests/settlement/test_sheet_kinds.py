"""A sheet says its kind (a month of work, a milestone, an adjustment) and carries the
references of its kind only; its lines say what they count. A fixed-price order's milestones
are settled on their own page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from demo.fixed_price import fixed_price_contract
from settlement.models import SettlementSheet
from settlement.services import payment_sheet_compute, sheet_adjust, sheet_confirm, sheets_compute
from tests.pages import browser
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db
Kind = SettlementSheet.Kind


@pytest.fixture
def kpi_order(buyer, vendor):
    """Seed 004's issued order, paid by milestone (service 2026-01 to 2026-12)."""
    _contract, order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="AYQ-2026-004",
        signed_on=date(2026, 1, 1),
        service_start=date(2026, 1, 1),
    )
    return order


def signed_month(order, procurement, vendor_pm):
    sheets_compute(order_ids=[order.pk], month=OCTOBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(order=order), actor=vendor_pm)
    return sheet_confirm(sheet=sheet, actor=procurement)


def test_a_month_and_its_adjustment_say_their_kind(worked_example, procurement, vendor_pm):
    sheet = signed_month(worked_example, procurement, vendor_pm)
    adjustment = sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-100.00"), reason="多计")

    assert (sheet.kind, adjustment.kind) == (Kind.MONTH, Kind.ADJUSTMENT)
    assert (str(sheet), str(adjustment)) == (
        f"{worked_example.number} 2026-10",
        f"{worked_example.number} 2026-10 调整",
    )


def test_an_adjustment_page_shows_its_amount_and_asks_what_its_kind_does(
    worked_example, procurement, vendor_pm
):
    sheet = signed_month(worked_example, procurement, vendor_pm)
    adjustment = sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-100.00"), reason="多计")

    page = browser(vendor_pm).get(f"/settlements/{adjustment.pk}/").content.decode()
    assert "调整金额（含税）" in page and "-¥100.00" in page
    assert "计算基数：Σ" not in page  # a month's base × score means nothing for an adjustment
    assert (
        "确认本结算单：应付含税 -100.00 元（金额为采购方提出的调整金额及理由，其他内容不变）。"
        "确认后，结算单提交甲方签署。确定确认吗？"
    ) in page


def test_a_sheet_carries_only_the_references_of_its_kind(worked_example, kpi_order):
    sheets_compute(order_ids=[worked_example.pk], month=OCTOBER)
    month = SettlementSheet.objects.get(order=worked_example)
    milestone = payment_sheet_compute(item=kpi_order.payment_plan.get(due_after_months=0))
    assert milestone.kind == Kind.MILESTONE

    for sheet, wrong in [
        (month, {"kind": Kind.ADJUSTMENT}),  # an adjustment names the sheet it adjusts
        (month, {"payment_item": milestone.payment_item}),
        (milestone, {"kind": Kind.MONTH}),
        (milestone, {"worklog": month.worklog}),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            SettlementSheet.objects.filter(pk=sheet.pk).update(**wrong)


def test_the_api_answers_each_line_by_item_and_quantity_and_as_before(
    api, procurement, worked_example
):
    sheets_compute(order_ids=[worked_example.pk], month=OCTOBER)
    sheet = SettlementSheet.objects.get()

    body = api(procurement).get(f"/api/v1/settlements/{sheet.pk}/").json()

    assert body["kind"] == "month"
    assert [
        (line["role"], line["days"], line["item"], line["quantity"]) for line in body["lines"]
    ] == [
        ("产品/平台服务", "41.5", "产品/平台服务", "41.5"),
        ("技术支持", "19.0", "技术支持", "19.0"),
    ]
    listed = api(procurement).get("/api/v1/settlements/").json()["results"]
    assert listed == [body]


def test_procurement_settles_a_milestone_from_the_orders_milestone_page(
    kpi_order, procurement, vendor_pm, other_vendor_pm
):
    item = kpi_order.payment_plan.get(due_after_months=0)
    page = f"/orders/{kpi_order.pk}/milestones/"
    settle = f"/orders/{kpi_order.pk}/milestones/{item.pk}/settle/"
    assert settle in browser(procurement).get(page).content.decode()
    assert settle not in browser(vendor_pm).get(page).content.decode()
    assert browser(other_vendor_pm).get(page).status_code == 404
    assert browser(vendor_pm).post(settle).status_code == 403

    answer = browser(procurement).post(settle)

    sheet = SettlementSheet.objects.get(payment_item=item)
    assert answer.url == f"/settlements/{sheet.pk}/"
    assert f'href="/settlements/{sheet.pk}/"' in browser(vendor_pm).get(page).content.decode()
    assert page in browser(procurement).get(f"/orders/{kpi_order.pk}/kpi/").content.decode()
