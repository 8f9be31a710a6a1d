"""The monthly cycle end to end in Debian's Chromium: the vendor uploads a log, procurement
approves and scores it, the settlement is computed with a progress bar, both sides confirm,
finance downloads the PDF and the ledger. Screenshots of each main page land in
tests/e2e/screenshots/ (ignored by git) to be looked at."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core.models import User
from orders.models import Order
from settlement.models import SettlementSheet
from tests.e2e.conftest import VIOLATIONS, login, shot
from tests.factories import BuyerFactory
from worklogs.workbook import template_workbook

NOVEMBER = date(2026, 11, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_monthly_cycle(live_server, browser, celery_worker, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(number="MGYY-2026-003-001")
    month_url = f"{live_server.url}/orders/{order.pk}/worklog/2026-11/"

    # The vendor PM fills in the template and uploads it.
    vendor = login(browser, live_server, "yunqi_pm")
    vendor.on("dialog", lambda dialog: dialog.accept())  # the actions ask for confirmation
    shot(vendor, "vendor-dashboard")
    book = load_workbook(io.BytesIO(template_workbook(order, NOVEMBER, {})))
    for row in book.active.iter_rows(min_row=5):
        row[6].value = 20
    upload = tmp_path / "人天-2026-11.xlsx"
    book.save(upload)
    vendor.goto(month_url)
    vendor.set_input_files("input[type=file]", str(upload))
    vendor.click("button:has-text('上传')")
    vendor.wait_for_selector("text=已导入")
    vendor.click("button[name=submit]")
    vendor.wait_for_selector("text=工作量记录已提交")
    shot(vendor, "vendor-worklog")

    # Procurement approves, scores and publishes.
    buyer = login(browser, live_server, "caigou")
    buyer.on("dialog", lambda dialog: dialog.accept())  # the actions ask for confirmation
    shot(buyer, "procurement-dashboard")
    buyer.goto(month_url)
    buyer.click("button:has-text('批准')")
    buyer.wait_for_selector("text=工作量记录已批准")
    buyer.goto(f"{live_server.url}/orders/{order.pk}/assessment/2026-11/")
    buyer.fill("input[name^=value-]", "46")
    # Row 0 holds the demo's failed rectification (支撑能力, −0.50); the complaint goes below it.
    buyer.select_option("select[name=incident-1-indicator]", index=2)  # 投诉事故
    buyer.fill("input[name=incident-1-date]", "2026-11-12")
    buyer.fill("input[name=incident-1-description]", "需求响应超时被投诉")
    assert buyer.inner_text("#total") == "94.50"  # 46 + 19.50 + 9 + 10 + 10, shown as typed
    shot(buyer, "procurement-scoring")
    buyer.click("button[name=publish]")
    buyer.wait_for_selector("text=考核结果已发布")

    # The vendor confirms the score (确认书).
    vendor.goto(f"{live_server.url}/orders/{order.pk}/assessment/2026-11/")
    vendor.click("button:has-text('确认考核结果')")
    vendor.wait_for_selector("text=您已确认考核结果")

    # Procurement computes November; the progress bar follows the task.
    buyer.goto(f"{live_server.url}/settlements/")
    buyer.fill("#compute input[name=month]", "2026-11")
    with buyer.expect_navigation(timeout=60_000):
        buyer.click("#compute button")
    sheet = SettlementSheet.objects.get(order=order, month=NOVEMBER)
    shot(buyer, "settlements")

    # Both sides confirm.
    vendor.goto(f"{live_server.url}/settlements/{sheet.pk}/")
    vendor.click("button:has-text('乙方确认')")
    vendor.wait_for_selector("text=结算单已确认")
    buyer.goto(f"{live_server.url}/settlements/{sheet.pk}/")
    buyer.click("button:has-text('甲方确认并签署')")
    buyer.wait_for_selector("text=结算单已签署")
    shot(buyer, "settlement-signed")
    sheet.refresh_from_db()
    assert sheet.status == "signed"
    assert str(sheet.payable_incl_tax) == str(sheet.uncapped_incl_tax)

    # Finance downloads the PDF and the ledger.
    finance = login(browser, live_server, "caiwu")
    shot(finance, "finance-dashboard")
    finance.goto(f"{live_server.url}/settlements/{sheet.pk}/")
    with finance.expect_download() as pdf:
        finance.click("text=下载 PDF")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    finance.goto(f"{live_server.url}/settlements/")
    with finance.expect_download() as ledger:
        finance.click("text=下载结算台账")
    book = load_workbook(io.BytesIO(Path(ledger.value.path()).read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[-1][0] == "合计"
    assert any(row[3] == order.number and row[4] == "2026-11" for row in rows)
    finance.goto(f"{live_server.url}/contracts/{order.contract_id}/")
    finance.wait_for_timeout(500)
    shot(finance, "contract-with-chart")

    # The API's pages come from the portal itself: nothing else is reachable from here.
    finance.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda r: r.abort())
    finance.goto(f"{live_server.url}/api/v1/docs/")
    finance.wait_for_selector(".swagger-ui .info .title")
    shot(finance, "api-docs")
    assert VIOLATIONS == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_month_of_deliveries_in_the_browser(live_server, browser):
    """002: the vendor PM types November's parcels on the page, a bad line is named in Chinese
    and nothing is saved, then the month is submitted and approved."""
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(number="MGYY-2026-002-001")
    month_url = f"{live_server.url}/orders/{order.pk}/worklog/2026-11/"

    vendor = login(browser, live_server, "zhiyin_pm")
    vendor.on("dialog", lambda dialog: dialog.accept())  # the actions ask for confirmation
    vendor.goto(month_url)
    vendor.select_option("select[name=item-0]", "3D手办打印（彩膜）")
    vendor.fill("input[name=quantity-0]", "14")
    vendor.fill("input[name=tracking-0]", "SF1408311001")
    vendor.fill("input[name=claims-0]", "1")
    vendor.select_option("select[name=item-1]", "钥匙扣")
    vendor.fill("input[name=quantity-1]", "30")
    vendor.click("button[name=submit]")
    vendor.wait_for_selector("text=请填写包裹的快递单号")
    assert not order.worklogs.filter(month=NOVEMBER).exists()
    vendor.fill("input[name=tracking-1]", "ZTO751920001")
    vendor.click("button[name=submit]")
    vendor.wait_for_selector("text=工作量记录已提交")
    assert vendor.inner_text("tfoot").split()[-1] == "44"
    shot(vendor, "vendor-deliveries")

    buyer = login(browser, live_server, "caigou")
    buyer.on("dialog", lambda dialog: dialog.accept())  # the actions ask for confirmation
    buyer.goto(month_url)
    buyer.click("button:has-text('批准')")
    buyer.wait_for_selector("text=工作量记录已批准")
    shot(buyer, "procurement-deliveries")
    log = order.worklogs.get(month=NOVEMBER)
    assert (log.status, log.total_quantity) == ("approved", 44)
    assert VIOLATIONS == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_interrupted_job_says_so_and_may_be_started_again(live_server, browser, celery_worker):
    """tasks.js when the job's state answers INTERRUPTED (here by the browser's route: a real
    worker is killed in tests/settlement/test_task_faults.py)."""
    User.objects.create_user(
        "caigou",
        password="portal-demo-2026",
        role=User.Role.PROCUREMENT,
        organization=BuyerFactory(),
    )
    buyer = login(browser, live_server, "caigou")
    states = "**/api/v1/tasks/*/"
    interrupted = {"state": "INTERRUPTED", "progress": None, "result": None}
    buyer.route(states, lambda route: route.fulfill(json=interrupted))
    buyer.goto(f"{live_server.url}/settlements/")
    buyer.fill("#compute input[name=month]", "2026-11")
    buyer.click("#compute button")
    buyer.wait_for_selector("#compute .task-state.error-text")
    assert buyer.inner_text("#compute .task-state") == "任务已中断（处理进程已停止），请重新运行"
    shot(buyer, "task-interrupted")

    buyer.unroute(states)
    with buyer.expect_navigation(timeout=60_000):  # it ends this time: the page reloads
        buyer.click("#compute button")
