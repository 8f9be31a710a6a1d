"""The reports in Chromium on the demo: procurement finds 003's design line overrunning its
附件3 estimate and compares the vendors' spend; finance reads its outlook and spend; each
downloads every report's Excel and finds in it the figures the page shows.

The demo's figures (demo/portfolio.py, demo/data.py), each month's days × the day's price ×
the score:
- 001's quarter (June–August 2025): 19 senior days at 900.00 and 20 junior at 500.00 =
  27,100.00 a month; scored 94, 97.5 and 93.5: 25,474.00 + 26,422.50 + 25,338.50 = 77,235.00;
- 000's (June–August 2026): 20 × 800.00 + 19.5 × 900.00 + 21 × 500.00 = 44,050.00 a month;
  scored 96, 92.5 and 97: 42,288.00 + 40,746.25 + 42,728.50 = 125,762.75;
- 003's design order (July–September 2026): 42 junior days at 500.00 = 21,000.00 a month,
  scored 97, 96.5 and 98: 20,370.00 + 20,265.00 + 20,580.00 = 61,215.00; with the first
  order's 454,408.27, 003 settled 515,623.27;
- so 云启 (003 and 001) 515,623.27 + 77,235.00 = 592,858.27, 星河 (000) 125,762.75 and 智印
  (002) 8,831.30."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.e2e.conftest import VIOLATIONS, login, shot


def workbook_rows(page, link) -> list[tuple]:
    with page.expect_download() as download:
        page.click(link)
    data = open(download.value.path(), "rb").read()  # noqa: SIM115
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def chart_drawn(page) -> bool:
    return page.evaluate("!!Chart.getChart(document.getElementById('report-chart'))")


def table(page, selector) -> list[list[str]]:
    return [
        row.locator("td").all_inner_texts() for row in page.locator(f"{selector} tbody tr").all()
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_procurement_reads_every_report_and_its_excel(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    page = login(browser, live_server, "caigou")
    page.click("nav >> text=报表")
    page.wait_for_url("**/reports/consumption/")
    assert chart_drawn(page)
    row = page.locator("#portfolio tbody tr", has_text="MGYY-2026-003")
    assert "设计/制作支撑 初级" in row.inner_text()
    portfolio = workbook_rows(page, "text=导出 Excel")
    assert portfolio[0][:5] == ("合同编号", "合同", "乙方", "上限", "已结算")
    assert next(r for r in portfolio if r[0] == "MGYY-2026-003")[3:5] == (17627800, 515623.27)

    row.locator("a").first.click()
    page.wait_for_url("**/reports/consumption/?contract=*")
    assert "设计/制作支撑 初级" in page.locator("#overrun-alert").inner_text()
    design = page.locator("#consumption tbody tr", has_text="设计/制作支撑 初级")
    cells = design.locator("td").all_inner_texts()
    # estimated 250, planned 200, approved 162 (65% of 250), settled 126 days and 61,215.00,
    # 282 at the term's end
    assert cells[2:9] == ["250", "200", "162", "64.8%", "126", "¥61,215.00", "282 将超预估"]
    assert chart_drawn(page)
    shot(page, "reports-consumption-003")
    lines = workbook_rows(page, "text=导出 Excel")
    excel = next(r for r in lines if r[0] == "设计/制作支撑 初级")
    # 附件3 note 2: 471.70 × 250 = 117,925.00 excl., × 1.06 = 125,000.50
    assert excel[2:6] + excel[7:] == (250, 125000.5, 200, 162, 126, 61215, 282, "是")

    page.click("nav.tabs >> text=支出")
    page.select_option("select[name=group_by]", "vendor")
    page.fill("input[name=from]", "2025-01")
    page.fill("input[name=to]", "2026-12")
    page.click("button:has-text('显示')")
    page.wait_for_url("**group_by=vendor*")
    settled = {cells[0]: cells[1] for cells in table(page, "#spend")}
    assert settled == {
        "成都云启数字科技有限公司（演示）": "¥592,858.27",
        "成都智印文创科技有限公司（演示）": "¥8,831.30",
        "四川星河新媒体运营有限公司（演示）": "¥125,762.75",
    }
    assert chart_drawn(page)
    shot(page, "reports-spend-vendor")
    spend = workbook_rows(page, "text=导出 Excel")
    assert {r[0]: r[1] for r in spend[1:]} == {
        "成都云启数字科技有限公司（演示）": 592858.27,
        "成都智印文创科技有限公司（演示）": 8831.3,
        "四川星河新媒体运营有限公司（演示）": 125762.75,
    }

    page.click("nav.tabs >> text=供应商表现")
    page.select_option("select[name=vendor]", label="四川星河新媒体运营有限公司（演示）")
    page.click("button:has-text('显示')")
    page.wait_for_url("**vendor=*")
    scores = table(page, "#scores")
    assert [(r[1], r[2]) for r in scores] == [
        ("2026-06", "96.00"),
        ("2026-07", "92.50"),
        ("2026-08", "97.00"),
    ]
    assert chart_drawn(page)
    shot(page, "reports-vendor-scores")
    excel = workbook_rows(page, "text=导出 Excel")
    assert [(r[2], r[4]) for r in excel[1:]] == [
        ("2026-06", 96),
        ("2026-07", 92.5),
        ("2026-08", 97),
    ]
    assert not VIOLATIONS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_finance_reads_its_outlook_and_the_spend(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    page = login(browser, live_server, "caiwu")
    page.goto(f"{live_server.url}/reports/outlook/")
    weeks = table(page, "#weeks")
    assert len(weeks) == 8
    shot(page, "reports-outlook")
    excel = workbook_rows(page, "text=导出 Excel")
    assert excel[0] == ("周起", "周止", "结算单数", "应付")
    assert len(excel) == 9

    page.click("nav.tabs >> text=支出")
    page.select_option("select[name=group_by]", "contract")
    page.fill("input[name=from]", "2025-01")
    page.fill("input[name=to]", "2026-12")
    page.click("button:has-text('显示')")
    page.wait_for_url("**group_by=contract*")
    rows = {cells[0]: cells[1] for cells in table(page, "#spend")}
    assert rows["MGYY-2025-001 2025年AI智创彩铃市场定制化服务支撑项目"] == "¥77,235.00"
    assert (
        rows["MGYY-2025-000 咪咕音乐2025–2026年省侧新媒体运营定制化服务支撑项目"] == "¥125,762.75"
    )
    assert rows["MGYY-2026-003 咪咕音乐2026年定制化服务支撑项目"] == "¥515,623.27"
    excel = workbook_rows(page, "text=导出 Excel")
    assert {r[0]: r[1] for r in excel[1:]}[
        "MGYY-2025-001 2025年AI智创彩铃市场定制化服务支撑项目"
    ] == (77235)
    assert not VIOLATIONS
