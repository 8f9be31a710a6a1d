"""Person-day logs in the browser: the monthly grid saves, submits and is approved, and the
to-dos list missing and waiting logs."""

from datetime import date

import pytest
from django.utils import timezone

from core.dates import add_months
from tests.pages import browser
from tests.worklogs.conftest import issued_order
from worklogs.models import WorkLog

pytestmark = pytest.mark.django_db


def test_the_monthly_grid_saves_submits_and_is_approved(vendor_pm, procurement, order, staff):
    vendor = browser(vendor_pm)
    url = f"/orders/{order.pk}/worklog/2026-10/"
    page = vendor.get(url).content.decode()
    assert "本月 18 个工作日" in page
    assert "员工1" in page

    refused = vendor.post(
        url, {f"days-{staff[0].pk}": "19", f"name-{staff[0].pk}": "员工1", "save": ""}
    ).content.decode()
    assert "员工1 在 2026-10 将有 19 天，超过本月 18 个工作日" in refused
    assert not WorkLog.objects.filter(lines__isnull=False).exists()

    vendor.post(url, {f"days-{staff[0].pk}": "18", f"days-{staff[1].pk}": "17.5", "submit": ""})
    log = WorkLog.objects.get()
    assert (log.status, log.total_days) == ("submitted", 35.5)
    queue = browser(procurement).get("/worklogs/?status=submitted").content.decode()
    assert order.number in queue
    browser(procurement).post(f"/worklogs/{log.pk}/approve/")
    log.refresh_from_db()
    assert log.status == "approved"
    history = browser(procurement).get(url).content.decode()
    assert "变更记录" in history and "caigou" in history


def test_the_to_do_lists_missing_and_waiting_logs(vendor_pm, procurement, active_contract, staff):
    today = timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    running = issued_order(
        active_contract, name="在服务订单", start=date(2026, 1, 5), end=date(2026, 12, 31)
    )
    done = issued_order(
        active_contract, name="已提交订单", start=date(2026, 1, 5), end=date(2026, 12, 31)
    )
    log = WorkLog.objects.create(order=done, month=last_month, status="submitted")

    vendor_page = browser(vendor_pm).get("/").content.decode()
    buyer_page = browser(procurement).get("/").content.decode()

    for page in (vendor_page, buyer_page):
        assert (
            running.number in page
        )  # its log is missing: the vendor writes it, procurement chases
    # A submitted log waits on procurement alone: the vendor can do nothing about it.
    assert f">{log}</a>" in buyer_page
    assert f">{log}</a>" not in vendor_page
    assert "待提交的工作量记录" in vendor_page


def test_another_vendors_log_pages_are_404(other_vendor_pm, vendor_pm, order, staff):
    browser(vendor_pm).post(
        f"/orders/{order.pk}/worklog/2026-10/", {f"days-{staff[0].pk}": "1", "submit": ""}
    )
    log = WorkLog.objects.get()
    stranger = browser(other_vendor_pm)

    for url in (
        f"/orders/{order.pk}/worklog/",
        f"/orders/{order.pk}/worklog/2026-10/",
        f"/orders/{order.pk}/worklog/2026-10/template/",
    ):
        assert stranger.get(url).status_code == 404, url
    for url in (
        f"/orders/{order.pk}/worklog/2026-10/upload/",
        f"/worklogs/{log.pk}/approve/",
        f"/worklogs/{log.pk}/return/",
        f"/worklogs/{log.pk}/reopen/",
    ):
        assert stranger.post(url).status_code == 404, url
    assert order.number not in stranger.get("/worklogs/").content.decode()
