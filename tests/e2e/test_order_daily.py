"""A procurement officer's order in Debian's Chromium (issue 19): a new order with seven lines
made and one removed, priced live as she types; saved, edited and saved unchanged (dates kept,
no history noise); issued after reading what issuing will reserve. Screenshots of the form and
the order on a desktop and a 390 px phone land in tests/e2e/screenshots/."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from contracts.models import FrameworkContract
from orders.models import Order, OrderLine, PaymentPlanItem
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen

# The demo's 003 rate card at 6%: caps 849.06 → 900.00, 754.72 → 800.00, 471.70 → 500.00;
# 技术支持 586.50 → 621.69; 技术支持 高级 at supplementary agreement 1's price from October 2026,
# 1,132.08 → 1,200.00.
LINES = [
    ("产品/平台服务|高级", "20", "¥900.00", "¥18,000.00"),  # 20 × 900.00
    ("活动/内容支撑|中级", "15.5", "¥800.00", "¥12,400.00"),  # 15.5 × 800.00
    ("技术支持|高级", "10", "¥1,200.00", "¥12,000.00"),  # 10 × 1,200.00
    ("技术支持|初级", "12.5", "¥621.69", "¥7,771.13"),  # 12.5 × 621.69 = 7,771.125, half up
    ("设计/制作支撑|初级", "1,000", "¥500.00", "¥500,000.00"),  # typed with a separator
    ("运维支撑|中级", "3", "¥800.00", "¥2,400.00"),  # 3 × 800.00
]
# 18,000.00 + 12,400.00 + 12,000.00 + 7,771.13 + 500,000.00 + 2,400.00
TOTAL = Decimal("552571.13")


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def history(order):
    return (
        Order.history.filter(id=order.pk).count(),
        OrderLine.history.filter(order_id=order.pk).count(),
        PaymentPlanItem.history.filter(order_id=order.pk).count(),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_procurement_makes_edits_and_issues_an_order(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    per_item = FrameworkContract.objects.get(code="MGYY-2026-002")
    free = contract.free_amount  # the demo's ceiling less what it settled and reserved

    page = login(browser, live_server, "caigou")
    page.goto(f"{live_server.url}/orders/")
    page.click("text=新建订单")
    page.fill("input[name=name]", "春节活动运营支撑")
    page.fill("input[name=service_start]", "2026-12-07")
    page.fill("input[name=service_end]", "2026-12-31")
    page.fill("textarea[name=service_items]", "春节活动策划、设计与运维值守")
    page.select_option("select[name=contract]", str(contract.pk))
    option = "select[name=lines-0-line] option[value='产品/平台服务|高级']"
    page.wait_for_selector(option, state="attached")
    assert page.inner_text("#contract-free") == yuan(free)

    # Four more lines make seven; the second is removed again.
    for _ in range(4):
        page.click("#add-line")
    assert page.locator("tbody tr:has([data-remove])").count() == 7
    page.click("tbody tr:nth-child(2) [data-remove]")
    rows = page.locator("#order-lines tbody tr")
    assert rows.count() == 6
    # A screen reader names each row's fields by their row, numbered again after the removal.
    assert [rows.nth(n).locator("select").get_attribute("aria-label") for n in (1, 5)] == [
        "第2行 岗位及级别",
        "第6行 岗位及级别",
    ]
    assert rows.nth(5).locator("input").get_attribute("aria-label") == "第6行 人天"
    for index, (line, quantity, _price, _amount) in enumerate(LINES):
        page.select_option(f"select[name=lines-{index}-line]", line)
        page.fill(f"input[name=lines-{index}-planned_quantity]", quantity)
    for index, (_line, _quantity, price, amount) in enumerate(LINES):
        assert rows.nth(index).locator("[data-price]").inner_text() == price
        assert rows.nth(index).locator("[data-amount]").inner_text() == amount
    assert page.inner_text("#lines-total") == yuan(TOTAL)
    assert page.inner_text("#order-total") == yuan(TOTAL)
    assert page.inner_text("#left-free") == yuan(free - TOTAL)

    # Changing the contract keeps what was typed; choosing it again prices it again.
    page.select_option("select[name=contract]", str(per_item.pk))
    expect(page.locator("#lines-total")).to_have_text("¥0.00")
    page.select_option("select[name=contract]", str(contract.pk))
    expect(page.locator("#lines-total")).to_have_text(yuan(TOTAL))
    assert page.input_value("input[name=name]") == "春节活动运营支撑"
    assert page.input_value("input[name=lines-4-planned_quantity]") == "1,000"
    shot(page, "order-form-desktop")
    page.click("button:has-text('保存草稿')")
    page.wait_for_selector("text=已保存")

    order = Order.objects.get(name="春节活动运营支撑")
    assert order.planned_amount == TOTAL
    assert sorted((line.role, line.level, line.planned_amount) for line in order.lines.all()) == [
        ("产品/平台服务", "高级", Decimal("18000.00")),
        ("技术支持", "初级", Decimal("7771.13")),
        ("技术支持", "高级", Decimal("12000.00")),
        ("活动/内容支撑", "中级", Decimal("12400.00")),
        ("设计/制作支撑", "初级", Decimal("500000.00")),
        ("运维支撑", "中级", Decimal("2400.00")),
    ]
    assert "552,571.13" in page.inner_text(".stats")

    # Edited and saved unchanged: the dates are there, nothing is recorded.
    before = history(order)
    page.click("a:has-text('编辑')")
    assert page.input_value("input[name=service_start]") == "2026-12-07"
    assert page.input_value("input[name=service_end]") == "2026-12-31"
    expect(page.locator("#lines-total")).to_have_text(yuan(TOTAL))
    page.click("button:has-text('保存草稿')")
    page.wait_for_selector("text=已保存")
    order.refresh_from_db()
    assert (order.service_start, order.service_end) == (date(2026, 12, 7), date(2026, 12, 31))
    assert history(order) == before
    assert "已删除" not in page.inner_text("section:has(h2:has-text('变更记录'))")

    # Issuing says what it reserves before it does.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("button:has-text('下达')")
    page.wait_for_selector("text=已下达")
    assert asked == [
        f"确认向{contract.vendor.name}下达订单 {order.number}？下达后将占用合同 MGYY-2026-003 "
        f"上限 {TOTAL:,.2f} 元，剩余可用 {free - TOTAL:,.2f} 元；乙方随即可以看到该订单，"
        "订单不能再修改。"
    ]
    order.refresh_from_db()
    contract.refresh_from_db()
    assert order.status == Order.Status.ISSUED  # its service starts on 7 December
    assert contract.free_amount == free - TOTAL
    shot(page, "order-detail-desktop")

    phone = login(browser, live_server, "caigou", phone=True)
    phone.goto(f"{live_server.url}/orders/{order.pk}/")
    assert wider_than_screen(phone) == []
    shot(phone, "order-detail-phone")
    phone.goto(f"{live_server.url}/orders/new/?contract={contract.pk}")
    phone.wait_for_selector(option, state="attached")
    phone.fill("input[name=lines-0-planned_quantity]", "2")
    phone.select_option("select[name=lines-0-line]", "产品/平台服务|高级")
    expect(phone.locator("#order-total")).to_have_text("¥1,800.00")  # 2 × 900.00
    assert wider_than_screen(phone) == []
    shot(phone, "order-form-phone")
    assert VIOLATIONS == []
