"""What waits on procurement, and acting on many at once, in Debian's Chromium: the vendor
disputes a score and procurement finds it on its to-do; procurement approves the submitted
logs, accepts 002's September from its to-do and signs the confirmed sheets in bulk, reading
each one's result and the confirmation's total; then reads who did it on the activity page,
filtered by person."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessment.models import Assessment
from core.models import User
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen
from worklogs.models import WorkLog


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_todos_bulk_actions_and_activity(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    caigou = User.objects.get(username="caigou")
    score = Assessment.objects.get(status=Assessment.Status.PUBLISHED)
    score_path = f"/orders/{score.order_id}/assessment/{score.month:%Y-%m}/"

    # The vendor disputes its published score.
    vendor = login(browser, live_server, "yunqi_pm")
    vendor.goto(f"{live_server.url}{score_path}")
    vendor.fill("input[name=reason]", "9月12日的故障系平台原因，不应扣分")
    vendor.click("button:has-text('提出异议')")
    vendor.wait_for_selector("text=9月12日的故障系平台原因，不应扣分")
    score.refresh_from_db()
    assert score.status == Assessment.Status.DISPUTED

    # Procurement finds it on its to-do and opens it from there.
    buyer = login(browser, live_server, "caigou")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    buyer.on("dialog", answer)
    disputed = buyer.locator("section.card", has_text="乙方有异议、待处理的考核")
    assert disputed.locator(".badge").first.inner_text() == "1"
    assert "9月12日的故障系平台原因，不应扣分" in disputed.inner_text()
    shot(buyer, "dashboard-procurement-desktop")
    disputed.locator(f"a[href='{score_path}']").click()
    buyer.wait_for_url(f"{live_server.url}{score_path}")
    assert "9月12日的故障系平台原因，不应扣分" in buyer.inner_text(".message.error")

    # The two submitted logs (003's October days, 002's October deliveries), approved at once
    # from the to-do's bulk link.
    submitted = list(  # as the bulk page lists them: by month, then order number
        WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).order_by("month", "order__number")
    )
    assert len(submitted) == 2
    buyer.goto(f"{live_server.url}/")
    logs = buyer.locator("section.card", has_text="待审批的工作量记录")
    logs.locator("a:has-text('批量处理')").click()
    buyer.wait_for_url(f"{live_server.url}/worklogs/approve-many/")
    buyer.uncheck("input.select-all")
    assert buyer.inner_text(".bulk-summary") == "已选 0 项"
    assert buyer.is_disabled("form.bulk button")
    buyer.check("input.select-all")
    assert buyer.inner_text(".bulk-summary") == "已选 2 项"
    buyer.click("form.bulk button")
    buyer.wait_for_selector("#bulk-results")
    assert dialogs[-1] == "确定批准这 2 条工作量记录吗？每条都按单独批准时的规则逐一校验。"
    results = buyer.locator("#bulk-results tbody tr")
    assert results.count() == 2
    for row, log in zip(results.all(), submitted, strict=True):
        assert row.locator("td").nth(0).inner_text() == str(log)
        assert row.locator("td").nth(1).inner_text() == "已批准"
    assert "成功 2 项，未成功 0 项" in buyer.inner_text("#bulk-results")
    for log in submitted:
        log.refresh_from_db()
        assert (log.status, log.approved_by) == (WorkLog.Status.APPROVED, caigou)

    # The vendors confirm their September sheets; procurement signs both from the list.
    drafts = SettlementSheet.objects.filter(status=SettlementSheet.Status.DRAFT).exclude(
        contract__code="AYQ-2025-004"
    )
    ready = [
        sheet_confirm(sheet=s, actor=User.objects.get(username=pm))
        for s, pm in [
            (drafts.get(contract__code="MGYY-2026-003"), "yunqi_pm"),
            (drafts.get(contract__code="MGYY-2026-002"), "zhiyin_pm"),
        ]
    ]
    # 003's September: 19.5 × 800.00 + 20 × 900.00 + 21 × 621.69 + 18 × 1,294.74 = 69,960.81,
    # at a score of 92.50: 64,713.749… → 64,713.75, less the demo's decided 7.2 penalty of
    # 6,000.00 (demo/penalties.py): 58,713.75. 002's September: 18 × 300 + 11 × 200
    # + 240 × 10 + 90 × 15 + 315 × 5 + 54 × 20 = 14,005.00, at 97.00: 13,584.85.
    # Together 72,298.60.
    assert [s.payable_incl_tax for s in ready] == [Decimal("58713.75"), Decimal("13584.85")]
    # 002's September is signed only once accepted (验收): its to-do leads to the order's page,
    # where procurement records it.
    buyer.goto(f"{live_server.url}/")
    buyer.locator("section.card", has_text="签署前待验收的工作").locator("a").first.click()
    buyer.wait_for_url(re.compile(rf".*/orders/{ready[1].order_id}/#acceptances"))
    buyer.select_option("#acceptance-form select[name=work]", "2026-09")
    buyer.fill("#acceptance-form textarea[name=note]", "9月交付件数与签收记录核对一致。")
    buyer.click("#acceptance-form button")
    buyer.wait_for_selector("text=MGYY-2026-002-001 2026-09 已验收。")
    buyer.goto(f"{live_server.url}/settlements/")
    buyer.click("a:has-text('批量签署结算单')")
    buyer.wait_for_url(f"{live_server.url}/settlements/sign-many/")
    assert buyer.inner_text(".bulk-summary") == "已选 2 张，合计 ¥72,298.60"
    shot(buyer, "bulk-sign-desktop")
    buyer.click("form.bulk button")
    buyer.wait_for_selector("#bulk-results")
    assert dialogs[-1] == (
        "确定签署这 2 张结算单、合计 ¥72,298.60 吗？签署后金额计入各合同的已结算额度，不可撤销。"
    )
    assert [c.inner_text() for c in buyer.locator("#bulk-results tbody td:nth-child(2)").all()] == [
        "已签署",
        "已签署",
    ]
    assert "共签署 ¥72,298.60" in buyer.inner_text("#bulk-results")
    for sheet in ready:
        sheet.refresh_from_db()
        assert (sheet.status, sheet.signed_by) == (SettlementSheet.Status.SIGNED, caigou)
    call_command("ledger_check")

    # Who did it: the activity page, filtered by person.
    buyer.click("nav a:has-text('操作动态')")
    buyer.wait_for_url(f"{live_server.url}/activity/")
    buyer.select_option("select[name=person]", label=str(caigou))
    buyer.click("form.filters button:has-text('筛选')")
    buyer.wait_for_url(re.compile(r".*person=\d+.*"))
    rows = buyer.locator("table.activity tbody tr")
    texts = [row.inner_text() for row in rows.all()]
    assert texts and all("张采购" in text for text in texts)
    assert any(str(ready[0]) in t and "已签署" in t for t in texts)
    assert any(str(submitted[0]) in t and "已批准" in t for t in texts)
    assert not any(str(score.order.number) in t and "有异议" in t for t in texts)  # the vendor's
    shot(buyer, "activity-desktop")

    # The same pages on a phone.
    phone = login(browser, live_server, "caigou", phone=True)
    shot(phone, "dashboard-procurement-phone")
    assert wider_than_screen(phone) == []
    phone.goto(f"{live_server.url}/settlements/sign-many/")
    assert wider_than_screen(phone) == []
    phone.goto(f"{live_server.url}/activity/?person={caigou.pk}")
    assert phone.locator("table.activity tbody tr").count() == len(texts)
    shot(phone, "activity-phone")
    assert wider_than_screen(phone) == []
    assert VIOLATIONS == []
