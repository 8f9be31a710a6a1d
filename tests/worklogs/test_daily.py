"""What a vendor PM trips over in the month's log (issue 19): the template's blank rows, every
problem of a file at once with its cell, the remark kept, the cap of a person's days by the
order's and the person's dates, the history of what changed, the confirmations."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from staffing.models import StaffMember
from staffing.services import staff_give_notice
from tests.pages import browser
from tests.settlement.conftest import OCTOBER, worked_example  # noqa: F401
from tests.worklogs.conftest import issued_order, member, report_rows
from worklogs.models import WorkLog, WorkLogLine

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


def template(client, order, month="2026-10"):
    return load_workbook(
        io.BytesIO(client.get(f"/orders/{order.pk}/worklog/{month}/template/").content)
    )


def upload(book, name="人天.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def team(active_contract):
    return [member(active_contract, serial) for serial in range(1, 6)]


def test_the_template_uploaded_unchanged_is_no_problem(vendor_pm, order, team):
    vendor = browser(vendor_pm)
    book = template(vendor, order)

    answer = vendor.post(
        f"/orders/{order.pk}/worklog/2026-10/upload/", {"file": upload(book)}, follow=True
    )

    assert answer.status_code == 200
    assert "已导入 0 行" in answer.content.decode()
    assert not WorkLogLine.objects.exists()


def test_every_problem_of_a_file_is_listed_at_once_with_its_cell(vendor_pm, order, team):
    vendor = browser(vendor_pm)
    book = template(vendor, order)
    sheet = book.active
    # Rows 5–9 are the five people; row 8 is left blank (nobody's days, no problem).
    sheet["G5"], sheet["H5"] = 10, "月底请假两天"
    sheet["G6"] = 1.3
    sheet["G7"] = "abc"
    sheet["G9"] = 99

    refused = vendor.post(f"/orders/{order.pk}/worklog/2026-10/upload/", {"file": upload(book)})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "共 3 处问题" in page
    assert report_rows(page) == [
        ["2026-10", "6", "G 人天", "1.3", "1.3 不是 ≥ 0 且以 0.5 递增的天数"],
        ["2026-10", "7", "G 人天", "abc", "“abc”不是数字：请只用数字书写，如 1250.50。"],
        [
            "2026-10",
            "9",
            "G 人天",
            "99",
            "员工5 在 2026-10 将有 99 天，超过本月 18 个工作日（其他订单已填 0 天）",
        ],
    ]
    assert not WorkLog.objects.filter(lines__isnull=False).exists()  # nothing half-saved

    sheet["G6"], sheet["G7"], sheet["G9"] = 1.5, 18, 17
    vendor.post(f"/orders/{order.pk}/worklog/2026-10/upload/", {"file": upload(book)})

    lines = {line.staff.name: (line.days, line.remark) for line in WorkLogLine.objects.all()}
    assert lines == {
        "员工1": (Decimal("10"), "月底请假两天"),
        "员工2": (Decimal("1.5"), ""),
        "员工3": (Decimal("18"), ""),
        "员工5": (Decimal("17"), ""),
    }
    assert WorkLog.objects.get().total_days == Decimal("46.5")  # 10 + 1.5 + 18 + 17
    assert "月底请假两天" in vendor.get(f"/orders/{order.pk}/worklog/2026-10/").content.decode()
    again = template(vendor, order).active
    assert (again["G5"].value, again["H5"].value, again["G8"].value) == (10, "月底请假两天", None)


def test_a_remark_without_days_is_named_not_dropped(vendor_pm, order, team):
    vendor = browser(vendor_pm)
    book = template(vendor, order)
    book.active["H6"] = "本月未到岗"

    refused = vendor.post(f"/orders/{order.pk}/worklog/2026-10/upload/", {"file": upload(book)})

    assert report_rows(refused.content.decode()) == [
        ["2026-10", "6", "G 人天", "（未填写）", "填写了备注，请同时填写人天（未出勤填 0）"]
    ]


def test_the_api_import_and_submit_answer_every_problem(api, vendor_pm, order, team):
    vendor = api(vendor_pm)
    log = vendor.post(
        "/api/v1/worklogs/", {"order": order.pk, "month": "2026-10"}, format="json"
    ).json()["id"]
    book = template(browser(vendor_pm), order)
    book.active["G5"], book.active["G6"], book.active["G7"] = "abc", -2, 1.3
    book.active["H8"] = "备注"

    refused = vendor.post(
        f"/api/v1/worklogs/{log}/import/", {"file": upload(book)}, format="multipart"
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "file": [
            "工作表“2026-10”第 5 行 G 列（人天）填写“abc”："
            "“abc”不是数字：请只用数字书写，如 1250.50。",
            "工作表“2026-10”第 6 行 G 列（人天）填写“-2”：-2 不是 ≥ 0 且以 0.5 递增的天数",
            "工作表“2026-10”第 7 行 G 列（人天）填写“1.3”：1.3 不是 ≥ 0 且以 0.5 递增的天数",
            "工作表“2026-10”第 8 行 G 列（人天）未填写：填写了备注，请同时填写人天（未出勤填 0）",
        ]
    }

    saved = vendor.put(
        f"/api/v1/worklogs/{log}/",
        {"lines": [{"staff": m.pk, "days": "10", "remark": f"备注{m.pk}"} for m in team[:2]]},
        format="json",
    )
    assert [line["remark"] for line in saved.json()["lines"]] == [f"备注{m.pk}" for m in team[:2]]
    # Both people turn out to have started on 16 October: 16, 19–23, 26–30 are 11 working days.
    StaffMember.objects.filter(pk__in=[m.pk for m in team[:2]]).update(
        start_date=date(2026, 10, 16)
    )
    WorkLogLine.objects.update(days=12)

    answer = vendor.post(f"/api/v1/worklogs/{log}/submit/")

    assert answer.status_code == 400
    assert answer.json() == {
        "lines": [
            f"{m.name}：{m.name} 2026年10月在本订单最多 11 个工作日（10月16日起到岗）"
            for m in team[:2]
        ]
    }
    assert WorkLog.objects.get().status == "draft"


def test_a_person_starting_on_20_november_has_7_days_of_it(vendor_pm, active_contract, order):
    # November 2026 from Friday 20th: 20, 23–27 and 30 November = 1 + 5 + 1 = 7 working days
    # (no holiday or make-up day in November on the official calendar; the month has 21).
    zhang = member(active_contract, 20, name="张三", start_date=date(2026, 11, 20))
    vendor = browser(vendor_pm)
    url = f"/orders/{order.pk}/worklog/2026-11/"
    assert "最多 7 天（11月20日起到岗）" in vendor.get(url).content.decode()

    refused = vendor.post(url, {f"days-{zhang.pk}": "21", "save": ""}).content.decode()

    row = re.search(rf'<tr class="has-error" id="staff-{zhang.pk}">(.*?)</tr>', refused, re.S)
    assert "张三 2026年11月在本订单最多 7 个工作日（11月20日起到岗）" in row.group(1)
    assert not WorkLogLine.objects.exists()
    vendor.post(url, {f"days-{zhang.pk}": "7", "save": ""})
    assert WorkLogLine.objects.get().days == Decimal("7")


def test_an_order_serving_21_to_31_december_caps_each_person(api, vendor_pm, active_contract):
    # 21–25 and 28–31 December 2026: 5 + 4 = 9 working days (the month has 23).
    order = issued_order(active_contract, start=date(2026, 12, 21), end=date(2026, 12, 31))
    staying, leaving = member(active_contract, 1), member(active_contract, 2)
    staff_give_notice(member=leaving, notice_date=date(2026, 11, 1), last_day=date(2026, 12, 10))
    vendor = api(vendor_pm)

    refused = vendor.post(
        "/api/v1/worklogs/",
        {
            "order": order.pk,
            "month": "2026-12",
            "lines": [{"staff": m.pk, "days": "23"} for m in (staying, leaving)],
        },
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "lines": [
            "第1行：员工1 2026年12月在本订单最多 9 个工作日（订单12月21日起服务）",
            "第2行：员工2 2026年12月在本订单没有可填报的工作日（订单12月21日起服务，12月10日离场）",
        ]
    }
    book = template(browser(vendor_pm), order, "2026-12")
    book.active["G5"], book.active["G6"] = 9, 0.5
    page = browser(vendor_pm).post(
        f"/orders/{order.pk}/worklog/2026-12/upload/", {"file": upload(book)}
    )
    assert [row[1:3] + row[4:] for row in report_rows(page.content.decode())] == [
        [
            "6",
            "G 人天",
            "员工2 2026年12月在本订单没有可填报的工作日（订单12月21日起服务，12月10日离场）",
        ]
    ]
    assert not WorkLogLine.objects.exists()


def test_submitting_from_the_page_records_only_what_changed(vendor_pm, order, team):
    vendor = browser(vendor_pm)
    url = f"/orders/{order.pk}/worklog/2026-10/"
    vendor.post(url, {f"days-{team[0].pk}": "18", f"days-{team[1].pk}": "10", "save": ""})
    ids = set(WorkLogLine.objects.values_list("pk", flat=True))

    vendor.post(
        url,
        {
            f"days-{team[0].pk}": "18",
            f"days-{team[1].pk}": "9.5",
            f"remark-{team[1].pk}": "周五半天",
            f"days-{team[2].pk}": "3",
            "submit": "",
        },
    )

    assert WorkLog.objects.get().status == "submitted"
    assert ids <= set(WorkLogLine.objects.values_list("pk", flat=True))  # updated in place
    kinds = sorted((record.staff.name, record.history_type) for record in WorkLogLine.history.all())
    assert kinds == [("员工1", "+"), ("员工2", "+"), ("员工2", "~"), ("员工3", "+")]
    page = vendor.get(url).content.decode()
    assert "已删除" not in page
    assert "<s>10.0</s> → 9.5" in page and "周五半天" in page


def test_each_action_says_what_it_will_do(vendor_pm, procurement, order, team):
    url = f"/orders/{order.pk}/worklog/2026-10/"
    page = browser(vendor_pm).get(url).content.decode()
    assert 'data-confirm="按本页填写的人天提交采购审批吗？提交后不能再修改，除非采购退回。"' in page

    browser(vendor_pm).post(url, {f"days-{team[0].pk}": "18", "submit": ""})
    page = browser(procurement).get(url).content.decode()
    assert "批准后，本月记录即成为结算依据" in page
    assert "退回给乙方吗？乙方会看到退回原因" in page

    log = WorkLog.objects.get()
    browser(procurement).post(f"/worklogs/{log.pk}/approve/")
    page = browser(procurement).get(url).content.decode()
    assert (
        'data-confirm="重新打开后，本记录退回乙方（状态变为“已退回”，附上您填写的原因）：'
        '乙方可修改人天后重新提交，须再次批准。本月尚无结算单。"'
    ) in page


def test_reopening_names_the_draft_sheet_that_waits(procurement, worked_example):  # noqa: F811
    from settlement.services import sheets_compute

    sheets_compute(order_ids=[worked_example.pk], month=OCTOBER)
    page = browser(procurement).get(f"/orders/{worked_example.pk}/worklog/2026-10/")

    # SPEC §3's worked example: 45,474.95 payable (tests/settlement works it out).
    assert (
        "本月结算单草稿（应付 ¥45,474.95）在重新批准前不能确认；"
        "乙方确认时将按修改后的人天重新计算。" in page.content.decode()
    )
