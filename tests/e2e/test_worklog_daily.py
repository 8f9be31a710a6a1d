"""A vendor PM's November in Chromium (issue 19): the template downloaded from the page, filled in
with some rows left blank, a remark, three bad cells; every problem read at once with its
worksheet, row, column and value; fixed and uploaded again; then days typed on a 390 px phone,
a person's cap by the date they started, and the submission confirmed."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from orders.models import Order
from staffing.services import staff_create
from tests.e2e.conftest import VIOLATIONS, login, shot, wider_than_screen
from tests.factories import approved, id_number
from worklogs.models import WorkLog

NOVEMBER = date(2026, 11, 1)


def cells(page, selector):
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator(selector).all()
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_vendor_pm_fills_in_november(live_server, browser, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(number="MGYY-2026-003-001")
    url = f"{live_server.url}/orders/{order.pk}/worklog/2026-11/"
    vendor = login(browser, live_server, "yunqi_pm")
    vendor.goto(url)

    with vendor.expect_download() as download:
        vendor.click("a:has-text('下载模板')")
    path = tmp_path / "人天-2026-11.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    # Rows 5–13 list the roster: 刘洋, 王磊, 吴婷, 周杰, 陈静, 杨帆, 孟琪 (the design order's,
    # demo/portfolio.py), 赵敏, 孙浩. November 2026 has 21 working days. Rows 11–13 stay blank:
    # they are no problem.
    assert [sheet[f"C{row}"].value for row in range(5, 14)] == [
        "刘洋", "王磊", "吴婷", "周杰", "陈静", "杨帆", "孟琪", "赵敏", "孙浩",
    ]  # fmt: skip
    sheet["G5"], sheet["H5"] = 20, "11月30日调休一天"
    sheet["G6"] = 1.3
    sheet["G7"] = "abc"
    sheet["G8"] = 99
    sheet["G9"], sheet["G10"] = 21, 18.5
    book.save(path)
    vendor.set_input_files("input[type=file]", str(path))
    vendor.click("button:has-text('上传')")

    vendor.wait_for_selector("text=共 3 处问题")
    assert cells(vendor, "table.upload-problems tbody tr") == [
        ["2026-11", "6", "G 人天", "1.3", "1.3 不是 ≥ 0 且以 0.5 递增的天数"],
        ["2026-11", "7", "G 人天", "abc", "“abc”不是数字：请只用数字书写，如 1250.50。"],
        [
            "2026-11",
            "8",
            "G 人天",
            "99",
            "周杰 在 2026-11 将有 99 天，超过本月 21 个工作日（其他订单已填 0 天）",
        ],
    ]
    shot(vendor, "worklog-upload-problems")
    assert not WorkLog.objects.filter(order=order, month=NOVEMBER).exclude(lines=None).exists()

    sheet["G6"], sheet["G7"], sheet["G8"] = 1.5, 19, 21
    book.save(path)
    vendor.click("a:has-text('返回本月填报')")
    vendor.set_input_files("input[type=file]", str(path))
    vendor.click("button:has-text('上传')")
    vendor.wait_for_selector("text=已导入 6 行")
    liu = order.contract.staff.get(name="刘洋")
    assert vendor.input_value(f"input[name=remark-{liu.pk}]") == "11月30日调休一天"
    log = WorkLog.objects.get(order=order, month=NOVEMBER)
    # 20 + 1.5 + 19 + 21 + 21 + 18.5
    assert log.total_days == Decimal("101.0")
    assert log.lines.get(staff=liu).remark == "11月30日调休一天"
    shot(vendor, "worklog-vendor-desktop")

    # A newcomer from Friday 20 November: 20, 23–27 and 30 November are 1 + 5 + 1 = 7 days.
    zhang = approved(
        staff_create(
            contract=order.contract,
            id_number=id_number(901),
            name="张三",
            phone="13812345678",
            education="本科",
            years_experience=6,
            role="产品/平台服务",
            level="高级",
            start_date=date(2026, 11, 20),
        )
    )
    phone = login(browser, live_server, "yunqi_pm", phone=True)
    phone.goto(url)
    assert wider_than_screen(phone) == []
    row = phone.locator(f"#staff-{zhang.pk}")
    assert "最多 7 天（11月20日起到岗）" in row.inner_text()
    phone.fill(f"input[name=days-{zhang.pk}]", "21")
    phone.click("button[name=save]")
    phone.wait_for_selector("text=未保存：共 1 处问题。")
    assert "张三 2026年11月在本订单最多 7 个工作日（11月20日起到岗）" in row.inner_text()
    assert not log.lines.filter(staff=zhang).exists()
    assert wider_than_screen(phone) == []
    shot(phone, "worklog-vendor-phone-problem")

    phone.fill(f"input[name=days-{zhang.pk}]", "7")
    box = phone.locator(f"input[name=days-{zhang.pk}]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # typed without scrolling sideways
    phone.click("button[name=save]")
    phone.wait_for_selector("text=工作量记录已保存")
    assert log.lines.get(staff=zhang).days == Decimal("7")
    shot(phone, "worklog-vendor-phone")

    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    phone.click("button[name=submit]")
    phone.wait_for_selector("text=工作量记录已提交")
    assert asked == ["按本页填写的人天提交采购审批吗？提交后不能再修改，除非采购退回。"]
    log.refresh_from_db()
    assert (log.status, log.total_days) == ("submitted", Decimal("108.0"))  # 101 + 7
    assert VIOLATIONS == []
