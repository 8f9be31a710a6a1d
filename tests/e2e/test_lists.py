"""The list pages in Chromium as their users work them: procurement types a vendor's name in
the contract search, sorts by a money column and back, downloads the Excel and reads it; on a
390 px phone every list scrolls inside its own box and nothing sticks out."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from contracts.models import FrameworkContract
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen


def codes(page) -> list[str]:
    return page.locator("#contracts tbody tr td:first-child a").all_inner_texts()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_procurement_searches_sorts_and_exports_the_contracts(live_server, browser, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    page = login(browser, live_server, "caigou")
    page.click("nav >> text=合同")
    page.wait_for_url("**/contracts/")

    # The filters offer "全部" and, for the vendor, vendors only (never 咪咕 itself).
    vendor_options = page.locator("select[name=vendor] option").all_inner_texts()
    assert vendor_options[0] == "全部"
    assert "咪咕音乐有限公司" not in vendor_options

    page.fill("input[name=q]", "云启")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/contracts/?q=*")
    assert sorted(codes(page)) == ["MGYY-2025-001", "MGYY-2026-003"]
    assert set(codes(page)) == set(
        FrameworkContract.objects.filter(vendor__name__contains="云启").values_list(
            "code", flat=True
        )
    )

    # One click sorts the ceiling up, the next one down; the arrow says which.
    header = page.locator("#contracts thead a", has_text="含税上限总价")
    header.click()
    page.wait_for_url("**ordering=ceiling*")
    assert codes(page) == ["MGYY-2025-001", "MGYY-2026-003"]  # 5,000,000.00 < 17,627,800.00
    assert page.get_attribute("#contracts thead th[aria-sort]", "aria-sort") == "ascending"
    page.locator("#contracts thead a", has_text="含税上限总价").click()
    page.wait_for_url("**ordering=-ceiling*")
    assert codes(page) == ["MGYY-2026-003", "MGYY-2025-001"]
    assert page.get_attribute("#contracts thead th[aria-sort]", "aria-sort") == "descending"
    first = page.locator("#contracts tbody tr").first.locator("td")
    assert first.nth(4).inner_text() == "¥17,627,800.00"
    # free = ceiling − settled − reserved by open orders
    #      = 17,627,800.00 − 454,408.27 − 302,877.73 = 16,870,514.00 for the first order,
    #        less the design order's plan (demo/portfolio.py): 200 days × 500.00 = 100,000.00
    #        (61,215.00 settled, 38,785.00 still reserved): 16,770,514.00
    assert first.nth(5).inner_text() == "¥16,770,514.00"
    assert page.locator("input[name=q]").input_value() == "云启"  # the search stays
    shot(page, "lists-contracts-desktop")

    # The Excel holds the same rows in the same order, typed.
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("框架合同-") and path.suffix == ".xlsx"
    header_row, *rows = load_workbook(path).active.iter_rows()
    assert [cell.value for cell in header_row] == [
        "编号",
        "名称",
        "乙方",
        "开始日期",
        "结束日期",
        "含税上限总价",
        "可用额度",
        "状态",
    ]
    assert [row[0].value for row in rows] == ["MGYY-2026-003", "MGYY-2025-001"]
    _code, _name, vendor, start, _end, ceiling, free, status = rows[0]
    assert vendor.value == "成都云启数字科技有限公司（演示）"
    assert start.is_date and start.value == datetime(2026, 1, 5)
    assert ceiling.value == 17627800 and ceiling.number_format == "#,##0.00"
    assert free.value == 16770514 and free.number_format == "#,##0.00"
    assert status.value == "生效中"

    # Finance's settlement list, sorted by the payable amount, largest first.
    finance = login(browser, live_server, "caiwu")
    finance.goto(f"{live_server.url}/settlements/")
    finance.locator("#sheets thead a", has_text="应付含税金额").click()
    finance.locator("#sheets thead a", has_text="应付含税金额").click()
    finance.wait_for_url("**ordering=-payable*")
    amounts = finance.locator("#sheets tbody tr td:nth-child(5)").all_inner_texts()
    # The largest of 咪咕's sheets (云启, June 2026); 安源's 144,000.00 ones are never shown.
    assert amounts[0].startswith("¥68,561.59")
    assert not any(amount.startswith("¥144,000.00") for amount in amounts)
    shot(finance, "lists-settlements-desktop")

    # The roster's actions stay inside their column, on a desktop too.
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    page.goto(f"{live_server.url}/contracts/{contract.pk}/staff/")
    assert page.locator("#roster summary").first.is_visible()
    assert wider_than_screen(page) == []
    shot(page, "lists-roster-desktop")
    assert VIOLATIONS == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_list_fits_a_phone(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    lists = [
        "/contracts/",
        "/orders/",
        "/worklogs/",
        "/settlements/",
        "/assessment-templates/",
        "/calendar/",
        f"/contracts/{contract.pk}/staff/",
    ]
    for username in ("caigou", "yunqi_pm"):
        phone = login(browser, live_server, username, phone=True)
        for url in lists:
            phone.goto(f"{live_server.url}{url}")
            assert wider_than_screen(phone) == [], (username, url)
        if username == "caigou":
            phone.goto(f"{live_server.url}/contracts/")
            shot(phone, "lists-contracts-phone")
            # The columns past the screen are reached by scrolling the table's own box.
            box = phone.locator(".table-box").first
            box.evaluate("box => box.scrollBy(1000, 0)")
            assert box.evaluate("box => box.scrollLeft") > 0
            status = phone.locator("#contracts thead th").last.bounding_box()
            assert status["x"] >= 0 and status["x"] + status["width"] <= 390  # now on screen
            phone.goto(f"{live_server.url}/contracts/{contract.pk}/staff/")
            shot(phone, "lists-roster-phone")
    assert VIOLATIONS == []
