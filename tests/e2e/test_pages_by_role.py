"""Each role's main pages in Debian's Chromium, on a 1360 px desktop and a 390 px phone: each
answers 200 with its heading, nothing on the phone sticks out where it cannot be scrolled to,
and no page logs an error (a missing file included) or breaks the Content-Security-Policy.
The screenshots, <role>-<page>-desktop|phone, land in tests/e2e/screenshots/ to be looked at."""

import io

import pytest
from django.core.management import call_command

from assessment.models import Assessment
from core.models import User
from orders.models import Order
from settlement.models import SettlementSheet
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen
from tests.factories import BuyerFactory, OrganizationFactory

# What each demo login opens in its daily work; {names} are filled in from the demo's data.
COMMON = [
    ("dashboard", "/"),
    ("contracts", "/contracts/"),
    ("orders", "/orders/"),
    ("settlements", "/settlements/"),
]
ACCOUNT = [  # alike for every role: shot for those who use them most
    ("calendar", "/calendar/"),
    ("tokens", "/account/tokens/"),
    ("notifications", "/notifications/"),
    ("notification-settings", "/notifications/preferences/"),
]
REFERENCE = [  # 003, the per-person-day contract
    ("contract", "/contracts/{contract}/"),
    ("roster", "/contracts/{contract}/staff/"),
    ("staff", "/staff/{staff}/"),
    ("order", "/orders/{order}/"),
    ("worklogs", "/worklogs/"),
    ("worklog-months", "/orders/{order}/worklog/"),
    ("worklog", "/orders/{order}/worklog/2026-10/"),
    ("assessments", "/orders/{order}/assessment/"),
    ("assessment", "/orders/{order}/assessment/2026-10/"),
    ("sheet", "/settlements/{sheet}/"),
]
PAGES = {
    "caigou": [
        *COMMON,
        *REFERENCE,
        *ACCOUNT,
        ("contract-new", "/contracts/new/"),
        ("order-new", "/orders/new/"),
        ("approve-many", "/worklogs/approve-many/"),
        ("sign-many", "/settlements/sign-many/"),
        ("activity", "/activity/"),
        ("templates", "/assessment-templates/"),
        ("template", "/assessment-templates/{template}/"),
        ("calendar-year", "/calendar/2026/"),
        ("report-consumption", "/reports/consumption/"),
        ("report-spend", "/reports/spend/"),
        ("report-scores", "/reports/vendor-scores/"),
    ],
    "caiwu": [
        *COMMON,
        ("finance", "/finance/"),
        ("report-outlook", "/reports/outlook/"),
        ("contract", "/contracts/{contract}/"),
        ("order", "/orders/{order}/"),
        ("sheet", "/settlements/{sheet}/"),
        ("activity", "/activity/"),
    ],
    "yunqi_pm": [*COMMON, *REFERENCE, *ACCOUNT],
    "zhiyin_pm": [  # 002, paid per item delivered
        *COMMON,
        ("contract", "/contracts/{items_contract}/"),
        ("order", "/orders/{items_order}/"),
        ("deliveries", "/orders/{items_order}/worklog/2026-10/"),
    ],
    "anyuan": [  # 004, fixed price with milestones and KPIs
        *COMMON,
        ("contract", "/contracts/{kpi_contract}/"),
        ("order", "/orders/{kpi_order}/"),
        ("kpi", "/orders/{kpi_order}/kpi/"),
        ("kpi-month", "/orders/{kpi_order}/kpi/2026-10/"),
        ("sheet", "/settlements/{kpi_sheet}/"),
    ],
    "admin": [
        *COMMON,
        *ACCOUNT,
        ("contract", "/contracts/{contract}/"),
        ("order", "/orders/{order}/"),
        ("calendar-year", "/calendar/2026/"),
    ],
}


def demo_ids():
    order = Order.objects.get(number="MGYY-2026-003-001")
    items_order = Order.objects.get(contract__code="MGYY-2026-002")
    kpi_order = Order.objects.get(contract__code="AYQ-2025-004")
    return {
        "contract": order.contract_id,
        "staff": order.contract.staff.order_by("pk")[0].pk,
        "order": order.pk,
        "sheet": SettlementSheet.objects.filter(order=order).order_by("month")[0].pk,
        "template": Assessment.objects.filter(order=order)[0].template_id,
        "items_contract": items_order.contract_id,
        "items_order": items_order.pk,
        "kpi_contract": kpi_order.contract_id,
        "kpi_order": kpi_order.pk,
        "kpi_sheet": SettlementSheet.objects.filter(order=kpi_order).order_by("pk")[0].pk,
    }


def watch_errors(page) -> list[str]:
    """What the page logs as an error and every answer of 400 or more, a file's included."""
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and errors.append(f"{r.url}: {r.status}"),
    )
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_roles_pages_on_a_desktop_and_a_phone(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    ids = demo_ids()
    problems = []  # every page that is off, to see them all in one run
    for username, pages in PAGES.items():
        for width in ("desktop", "phone"):
            page = login(browser, live_server, username, phone=width == "phone")
            errors = watch_errors(page)
            for name, path in pages:
                where = f"{username}-{name}-{width}"
                answer = page.goto(live_server.url + path.format(**ids))
                if name == "contract":  # its chart is drawn from a fetch after the load
                    page.wait_for_load_state("networkidle")
                heading = page.locator("h1")
                if answer.status != 200 or not heading.count() or not heading.first.inner_text():
                    problems.append(f"{where}: {answer.status} without a heading")
                if width == "phone" and (wide := wider_than_screen(page)):
                    problems.append(f"{where}: wider than the screen: {wide[:5]}")
                shot(page, where)
            problems += errors
            page.context.close()
    assert problems == [], "\n".join(problems)
    assert VIOLATIONS == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_form_shows_each_error_at_its_field(live_server, browser):
    """A contract typed with a bad ceiling comes back on that field, focused, its error beside
    it, and a summary at the top of the form that leads to it."""
    buyer = BuyerFactory()
    OrganizationFactory(name="成都云启数字科技有限公司")
    User.objects.create_user(
        "caigou", password="portal-demo-2026", role=User.Role.PROCUREMENT, organization=buyer
    )
    for phone in (False, True):
        page = login(browser, live_server, "caigou", phone=phone)
        page.goto(f"{live_server.url}/contracts/new/")
        page.fill("input[name=code]", "MGYY-2026-009")
        page.fill("input[name=name]", "演示合同")
        page.select_option("select[name=vendor]", label="成都云启数字科技有限公司")
        page.fill("input[name=signed_on]", "2026-12-01")
        page.fill("input[name=ceiling_incl_tax]", "1e5")
        page.click("button.primary")

        field = page.locator("label.has-error")
        assert field.count() == 1
        assert "上限总价" in field.inner_text()
        error = field.locator(".error-text")
        assert error.inner_text()
        ceiling = page.locator("#id_ceiling_incl_tax").bounding_box()
        below = error.bounding_box()["y"] - ceiling["y"] - ceiling["height"]
        assert 0 <= below < 12  # right under the input
        assert page.evaluate("document.activeElement.name") == "ceiling_incl_tax"
        summary = page.locator(".form-errors")
        assert "共 1 处需要修改" in summary.inner_text()
        assert summary.locator("a").get_attribute("href") == "#id_ceiling_incl_tax"
        if phone:
            assert wider_than_screen(page) == []
        shot(page, f"caigou-contract-errors-{'phone' if phone else 'desktop'}")
        page.context.close()
    assert VIOLATIONS == []
