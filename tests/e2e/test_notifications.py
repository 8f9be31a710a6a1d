"""The bell in Chromium (issue 23): 云启's PM sees their unread count; procurement, in a browser
of its own, returns October's log through its page; the PM's next page counts one more, the
inbox lists the return with its reason, and opening it reads it and lands on the log. Also the
inbox and the settings page on a desktop and a 390 px phone, screenshots taken.

The count moving needs the hand-off wired to `notify` (worklogs' return tells the vendor's PMs
`log_returned`): it passes once that wiring is in."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from notifications.models import Notification
from orders.models import Order
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen


def bell(page) -> tuple[str, str]:
    link = page.locator("a.bell")
    count = link.locator(".bell-count")
    return link.get_attribute("aria-label"), count.inner_text() if count.is_visible() else ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_vendors_bell_counts_the_returned_log(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(number="MGYY-2026-003-001")
    unread = Notification.objects.filter(user__username="yunqi_pm", read_at=None).count()
    assert unread == 2  # the demo's: a score to confirm, a rectification to answer

    vendor = login(browser, live_server, "yunqi_pm")
    assert bell(vendor) == (f"通知（{unread} 条未读）", str(unread))
    shot(vendor, "notifications-bell")

    buyer = login(browser, live_server, "caigou")  # a context of its own: its own session
    buyer.goto(f"{live_server.url}/orders/{order.pk}/worklog/2026-10/")
    buyer.on("dialog", lambda dialog: dialog.accept())
    buyer.fill("form[data-step=return] input[name=reason]", "10月28日王磊的人天与考勤不符")
    buyer.click("form[data-step=return] button")
    buyer.wait_for_selector("text=10月28日王磊的人天与考勤不符")

    vendor.reload()
    assert bell(vendor) == (f"通知（{unread + 1} 条未读）", str(unread + 1))
    vendor.click("a.bell")
    vendor.wait_for_url(f"{live_server.url}/notifications/")
    first = vendor.locator("#notifications tbody tr").first
    assert "10月28日王磊的人天与考勤不符" in first.inner_text()
    assert first.get_attribute("class") == "unread"
    first.locator("button.text-link").click()
    vendor.wait_for_url(f"{live_server.url}/orders/{order.pk}/worklog/2026-10/")
    assert bell(vendor) == (f"通知（{unread} 条未读）", str(unread))
    assert not VIOLATIONS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_inbox_and_the_settings(live_server, browser, phone):
    call_command("load_demo", stdout=io.StringIO())
    where = "phone" if phone else "desktop"
    page = login(browser, live_server, "caigou", phone=phone)
    assert bell(page) == ("通知（3 条未读）", "3")
    shot(page, f"notifications-bell-{where}")

    page.click("a.bell")
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.locator("#notifications tbody tr.unread").count() == 3
    assert page.locator("#notifications tbody tr.read").count() == 1
    assert wider_than_screen(page) == []
    shot(page, f"notifications-inbox-{where}")

    page.click("nav.tabs a:has-text('未读')")
    page.wait_for_url("**/notifications/?unread=true")
    expect(page.locator("#notifications tbody tr")).to_have_count(3)
    page.locator("#notifications tbody tr").first.locator("button:has-text('标为已读')").click()
    expect(page.locator("#notifications tbody tr")).to_have_count(2)
    assert bell(page) == ("通知（2 条未读）", "2")
    page.click("button:has-text('全部标为已读')")
    page.wait_for_selector("text=已将 2 条通知标为已读。")
    assert bell(page) == ("通知（0 条未读）", "")
    assert "没有未读通知" in page.locator("#notifications").inner_text()

    page.goto(f"{live_server.url}/notifications/preferences/")
    assert page.locator("input[name=bank_account_changed][value=off]").count() == 0
    page.check("input[name=log_due][value=digest]")
    page.check("input[name=order_issued][value=off]")
    assert wider_than_screen(page) == []
    shot(page, f"notifications-preferences-{where}")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=通知设置已保存。")
    assert page.locator("input[name=log_due][value=digest]").is_checked()
    assert page.locator("input[name=order_issued][value=off]").is_checked()
    assert not VIOLATIONS
