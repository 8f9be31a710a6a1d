"""The order form as procurement uses it (issue 19): any number of lines, live prices from the
contract's rate card, the ceiling enforced on save, history that records only real changes,
confirmations that say what an action does, amounts typed with thousands separators."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from contracts.services import contract_activate
from orders.models import Order, OrderLine, PaymentPlanItem
from tests.factories import ContractFactory, rate_card
from tests.orders.test_pages import order_form

pytestmark = pytest.mark.django_db

# The factory's rate card at 6%: 产品/平台服务 高级 849.06 → 900.00, 中级 754.72 → 800.00,
# 初级 471.70 → 500.00;
# 技术支持 高级 1221.45 → 1294.74, 中级 977.50 → 1036.15, 初级 586.50 → 621.69.
CARD = [
    ("产品/平台服务|高级", "900.00"),
    ("产品/平台服务|中级", "800.00"),
    ("产品/平台服务|初级", "500.00"),
    ("技术支持|高级", "1294.74"),
    ("技术支持|中级", "1036.15"),
    ("技术支持|初级", "621.69"),
]


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def lines(*rows):
    """The formset's fields for (role|level, quantity) rows."""
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for index, (line, quantity) in enumerate(rows):
        data[f"lines-{index}-line"] = line
        data[f"lines-{index}-planned_quantity"] = quantity
    return data


def saved_form(client, order):
    """The edit form's fields as the page renders them (what "save unchanged" posts)."""
    from tests.test_date_inputs import form_with

    html = client.get(f"/orders/{order.pk}/edit/").content.decode()
    return form_with(html, "service_start")


def history_counts(order):
    return (
        Order.history.filter(id=order.pk).count(),
        OrderLine.history.filter(order_id=order.pk).count(),
        PaymentPlanItem.history.filter(order_id=order.pk).count(),
    )


@pytest.fixture
def order(procurement, active_contract):
    browser(procurement).post("/orders/new/", order_form(active_contract))
    return Order.objects.get()


def test_the_prices_of_the_chosen_contract_come_as_json(procurement, active_contract):
    answer = browser(procurement).get(
        f"/orders/prices/?contract={active_contract.pk}&start=2026-02-01"
    )

    assert answer.status_code == 200
    body = answer.json()
    assert [(line["key"], line["price"]) for line in body["lines"]] == CARD
    assert (body["ceiling"], body["free"]) == ("17627800.00", "17627800.00")


def test_the_prices_follow_the_rate_in_force_on_the_service_start(procurement, contract):
    from contracts.services import tax_rate_add

    tax_rate_add(
        contract=rate_card(contract), effective_from=date(2026, 7, 1), rate=Decimal("0.09")
    )
    url = f"/orders/prices/?contract={contract.pk}&start="
    client = browser(procurement)

    assert client.get(url + "2026-06-30").json()["lines"][0]["price"] == "900.00"
    assert client.get(url + "2026-07-01").json()["lines"][0]["price"] == "925.48"  # 849.06 × 1.09


def test_another_buyers_contract_has_no_prices_and_vendors_none_at_all(
    procurement, vendor_pm, active_contract
):
    from core.models import User
    from tests.factories import BuyerFactory, UserFactory

    stranger = UserFactory(role=User.Role.PROCUREMENT, organization=BuyerFactory())
    url = f"/orders/prices/?contract={active_contract.pk}"

    assert browser(stranger).get(url).status_code == 404
    assert browser(procurement).get("/orders/prices/?contract=x").status_code == 404
    assert browser(vendor_pm).get(url).status_code == 403


def test_an_order_takes_any_number_of_lines_typed_with_thousands_separators(
    procurement, active_contract
):
    rows = [(key, "1,000") for key, _price in CARD] + [("产品/平台服务|高级", "12.5")]
    data = {
        **order_form(active_contract),
        **lines(*rows),
        "plan-0-amount_incl_tax": "1,000,000.00",
        "plan-0-ratio": "0.1",
    }

    response = browser(procurement).post("/orders/new/", data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    order = Order.objects.get()
    assert order.lines.count() == 7
    # 1000 × (900 + 800 + 500 + 1294.74 + 1036.15 + 621.69) = 5,152,580.00; 12.5 × 900 = 11,250.00
    assert order.planned_amount == Decimal("5163830.00")
    assert order.payment_plan.get().amount_incl_tax == Decimal("1000000.00")


def test_more_lines_than_any_form_takes_are_refused(procurement, active_contract):
    data = {**order_form(active_contract), **lines(*[("产品/平台服务|高级", "1")] * 501)}

    response = browser(procurement).post("/orders/new/", data)

    assert response.status_code == 200
    assert not Order.objects.exists()


def test_a_line_over_the_ceiling_is_refused_by_name_and_nothing_is_saved(
    procurement, buyer, vendor
):
    contract = contract_activate(
        contract=rate_card(
            ContractFactory(buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal("50000.00"))
        )
    )
    # 40 × 900.00 = 36,000.00, then + 20 × 800.00 = 52,000.00 > 50,000.00 at the second line.
    data = {
        **order_form(contract, **{"plan-0-amount_incl_tax": "", "plan-0-stage": ""}),
        **lines(("产品/平台服务|高级", "40"), ("产品/平台服务|中级", "20")),
    }

    page = browser(procurement).post("/orders/new/", data).content.decode()

    assert (
        "第 2 行使订单计划金额达到 52000.00，超过合同可用额度 50000.00"
        "（上限 50000.00 − 已结算 0.00 − 已占用 0.00），未保存。"
    ) in page
    assert not Order.objects.exists()
    assert 'value="40"' in page  # what was typed is still there


def test_saving_an_order_unchanged_records_nothing(procurement, order):
    client = browser(procurement)
    before = history_counts(order)

    response = client.post(f"/orders/{order.pk}/edit/", saved_form(client, order))

    assert response.status_code == 302
    assert history_counts(order) == before
    detail = client.get(f"/orders/{order.pk}/").content.decode()
    assert "已删除" not in detail


def test_a_save_that_changed_nothing_is_not_shown(procurement, order):
    from orders.selectors import order_history

    shown = len(order_history(order))
    order.save()  # as every save did before saves were compared

    assert Order.history.filter(id=order.pk, history_type="~").exists()
    assert len(order_history(order)) == shown


def test_a_changed_line_is_recorded_as_that_change_only(procurement, order):
    client = browser(procurement)
    data = saved_form(client, order)
    assert data["lines-0-line"] == ["产品/平台服务|高级"]
    data["lines-0-planned_quantity"] = ["45"]  # was 41.5
    data["lines-1-line"] = [""]  # 技术支持 初级 removed
    data["lines-2-line"] = ["技术支持|中级"]
    data["lines-2-planned_quantity"] = ["2"]
    data["plan-0-amount_incl_tax"] = ["42,572.30"]  # 45 × 900 + 2 × 1036.15

    response = client.post(f"/orders/{order.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    changes = [
        (record.history_type, record.role, record.level)
        for record in OrderLine.history.filter(order_id=order.pk).order_by("history_id")
    ][2:]
    assert sorted(changes) == [
        ("+", "技术支持", "中级"),
        ("-", "技术支持", "初级"),
        ("~", "产品/平台服务", "高级"),
    ]
    assert [item.history_type for item in PaymentPlanItem.history.filter(order_id=order.pk)] == [
        "~",
        "+",
    ]
    order.refresh_from_db()
    assert order.planned_amount == Decimal("42572.30")
    detail = client.get(f"/orders/{order.pk}/").content.decode()
    assert "<s>41.5</s> → 45.0" in detail
    assert "<s>49162.11</s> → 42572.30" in detail


def test_issuing_completing_and_cancelling_say_what_they_do(procurement, order, active_contract):
    client = browser(procurement)

    draft = client.get(f"/orders/{order.pk}/").content.decode()
    # 17,627,800.00 − 49,162.11 = 17,578,637.89 free once issued.
    assert (
        f"确认向{active_contract.vendor.name}下达订单 {order.number}？下达后将占用合同 "
        f"{active_contract.code} 上限 49,162.11 元，剩余可用 17,578,637.89 元"
    ) in draft
    assert f"确认取消草稿订单 {order.number}？草稿未占用合同额度" in draft
    client.post(f"/orders/{order.pk}/issue/")

    issued = client.get(f"/orders/{order.pk}/").content.decode()
    assert (
        f"确认取消订单 {order.number}？该订单仍占用的 49,162.11 元将释放回合同 "
        f"{active_contract.code}，释放后合同剩余可用 17,627,800.00 元"
    ) in issued
    assert f"确认完成订单 {order.number}？该订单仍占用的 49,162.11 元" in issued
    assert "此操作不可撤销" in issued
