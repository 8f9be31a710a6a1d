"""The working-day calendar past 2026: official years as before, 2027 provisional until its
notice is published, every bad notice refused, and what publishing changes listed."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from contracts.services import contract_activate
from core.calendar import (
    Holiday,
    add_workdays,
    calendar_publish,
    calendar_year,
    nth_workday,
    working_days,
)
from core.models import CalendarFinding, CalendarYear
from dashboard.selectors import dashboard
from tests.factories import ContractFactory, rate_card
from tests.worklogs.conftest import issued_order, member
from worklogs.lines import LineInput, WorkLogError
from worklogs.models import WorkLog
from worklogs.services import worklog_open, worklog_save

pytestmark = pytest.mark.django_db

# Today's counts, month by month, from the State Council's notices (chinese-calendar 1.11).
OFFICIAL = {
    2020: (17, 20, 22, 22, 19, 21, 23, 21, 23, 17, 21, 23),
    2021: (20, 17, 23, 22, 19, 21, 22, 22, 22, 17, 22, 23),
    2022: (21, 16, 23, 21, 20, 21, 21, 23, 21, 18, 22, 22),
    2023: (18, 20, 23, 20, 21, 21, 21, 23, 20, 19, 22, 21),
    2024: (22, 18, 21, 22, 21, 19, 23, 22, 21, 19, 21, 22),
    2025: (19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23),
    2026: (21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23),
}
# 2027 provisional: weekdays less 元旦 (Fri 1 Jan), 除夕 and 春节 with its observed days
# (Fri 5, Mon 8 – Wed 10 Feb), 清明 (Mon 5 Apr), 劳动节 (Mon 3, Tue 4 May), 端午 (Wed 9 Jun),
# 中秋 (Wed 15 Sep), 国庆 (Fri 1, Mon 4, Tue 5 Oct).
PROVISIONAL_2027 = (20, 16, 23, 21, 19, 21, 22, 22, 21, 18, 22, 23)

NEW_YEAR = Holiday(date(2027, 1, 1), date(2027, 1, 1), "元旦")
SPRING = Holiday(date(2027, 2, 5), date(2027, 2, 10), "春节")
# The rest of the provisional year's days off, as a notice would list them too.
LATER = [
    Holiday(date(2027, 4, 5), date(2027, 4, 5), "清明节"),
    Holiday(date(2027, 5, 1), date(2027, 5, 4), "劳动节"),
    Holiday(date(2027, 6, 9), date(2027, 6, 9), "端午节"),
    Holiday(date(2027, 9, 15), date(2027, 9, 15), "中秋节"),
    Holiday(date(2027, 10, 1), date(2027, 10, 5), "国庆节"),
]
# A notice that keeps the provisional days off and makes Saturday 20 February a working day.
MAKE_UP = {"holidays": [NEW_YEAR, SPRING, *LATER], "workdays": [date(2027, 2, 20)]}
# A notice that gives Monday 4 January off as well.
LONGER_NEW_YEAR = {
    "holidays": [Holiday(date(2027, 1, 1), date(2027, 1, 4), "元旦"), SPRING, *LATER],
    "workdays": [],
}


def publish(actor, year=2027, reason="", **notice):
    return calendar_publish(
        number=year,
        notice_number="国办发明电〔2026〕9号",
        notice_date=date(2026, 11, 20),
        reason=reason,
        actor=actor,
        **notice,
    )


def test_the_2020_to_2026_counts_are_unchanged():
    for year, counts in OFFICIAL.items():
        assert tuple(working_days(date(year, m, 1)) for m in range(1, 13)) == counts, year
        assert calendar_year(year).status == "official"


def test_2027_is_built_provisional_from_the_statutory_holidays():
    assert tuple(working_days(date(2027, m, 1)) for m in range(1, 13)) == PROVISIONAL_2027
    row = CalendarYear.objects.get(year=2027)
    assert row.status == "provisional"
    assert row.source.startswith("暂定") and "holidays" in row.source
    assert {"start": "2027-02-06", "end": "2027-02-10", "name": "春节"} in row.holidays
    assert calendar_year(2027).pk == row.pk  # built once


def test_deadlines_across_new_year_and_spring_festival_on_the_provisional_calendar():
    # Invoice: signed Thu 24 Dec 2026; 25, 28–31 Dec (5), 1 Jan off, 4–8 Jan (10).
    assert add_workdays(date(2026, 12, 24), 10) == date(2027, 1, 8)
    # 30 days from Mon 21 Dec 2026: 22–31 Dec (8), January's 20 (28), Mon 1 and Tue 2 Feb.
    assert add_workdays(date(2026, 12, 21), 30) == date(2027, 2, 2)
    # Payment: invoice received Wed 20 Jan 2027; 21–29 Jan (7), 1–4 Feb (11), 5–10 Feb off,
    # 11–26 Feb (23), 1–5 Mar (28), Mon 8 and Tue 9 Mar.
    assert add_workdays(date(2027, 1, 20), 30) == date(2027, 3, 9)
    # January's log is due by February's 5th working day: 1–4 Feb, then Thu 11 Feb.
    assert nth_workday(date(2027, 2, 1), 5) == date(2027, 2, 11)


def test_a_make_up_saturday_raises_its_month_by_one(procurement):
    assert working_days(date(2027, 2, 1)) == 16

    publication = publish(procurement, **MAKE_UP)

    assert working_days(date(2027, 2, 1)) == 17
    assert working_days(date(2027, 1, 1)) == 20
    assert [(c.month, c.working_days) for c in publication.changes] == [
        (date(2027, 2, 1), (16, 17))
    ]
    row = CalendarYear.objects.get(year=2027)
    assert (row.status, row.source) == ("official", "国办发明电〔2026〕9号（2026-11-20）")
    # Saturday 20 February now counts: the payment falls due a day earlier.
    assert add_workdays(date(2027, 1, 20), 30) == date(2027, 3, 8)
    assert add_workdays(date(2026, 12, 24), 10) == date(2027, 1, 8)


@pytest.fixture
def contract_into_2027(buyer, vendor):
    """Signed 1 June 2026: its term runs to 31 May 2027."""
    contract = ContractFactory(buyer=buyer, vendor=vendor, signed_on=date(2026, 6, 1))
    rate_card(contract)
    return contract_activate(contract=contract)


def test_a_january_2027_log_is_accepted_on_the_provisional_calendar(contract_into_2027):
    order = issued_order(contract_into_2027, start=date(2026, 7, 1), end=date(2027, 5, 31))
    person = member(contract_into_2027, 1, start_date=date(2026, 6, 1))
    log = worklog_open(order=order, month=date(2027, 1, 1))

    worklog_save(log=log, lines=[LineInput(person.pk, Decimal("20"), person.name)])

    assert log.total_days == Decimal("20")
    with pytest.raises(WorkLogError) as error:
        worklog_save(log=log, lines=[LineInput(person.pk, Decimal("20.5"), person.name)])
    assert error.value.messages == [
        "员工1：员工1 在 2027-01 将有 20.5 天，超过本月 20 个工作日（其他订单已填 0 天）"
    ]


def test_an_order_ending_on_4_january_takes_one_day_of_it(contract_into_2027):
    order = issued_order(contract_into_2027, start=date(2026, 7, 1), end=date(2027, 1, 4))
    person = member(contract_into_2027, 1, start_date=date(2026, 6, 1))
    log = worklog_open(order=order, month=date(2027, 1, 1))

    with pytest.raises(WorkLogError) as error:
        worklog_save(log=log, lines=[LineInput(person.pk, Decimal("2"), person.name)])

    assert error.value.messages == [
        "员工1：员工1 2027年1月在本订单最多 1 个工作日（订单服务至1月4日）"
    ]
    worklog_save(log=log, lines=[LineInput(person.pk, Decimal("1"), person.name)])


def test_publishing_a_day_off_flags_the_log_that_now_exceeds_it(contract_into_2027, procurement):
    order = issued_order(contract_into_2027, start=date(2026, 7, 1), end=date(2027, 5, 31))
    person = member(contract_into_2027, 1, start_date=date(2026, 6, 1))
    log = worklog_open(order=order, month=date(2027, 1, 1))
    worklog_save(log=log, lines=[LineInput(person.pk, Decimal("20"), person.name)])

    publication = publish(procurement, **LONGER_NEW_YEAR)

    assert working_days(date(2027, 1, 1)) == 19
    assert [f.text for f in publication.findings] == [
        f"工作量记录 {order.number} 2027-01（草稿）：员工1 本单 20 天、当月共 20 天，"
        "按已发布的日历本单最多 19 天、当月 19 个工作日。"
    ]
    assert publication.findings[0].buyer_id == contract_into_2027.buyer_id
    # Nothing changed by itself.
    log = WorkLog.objects.get(pk=log.pk)
    assert (log.status, log.total_days) == ("draft", Decimal("20"))


BAD_NOTICES = [
    (
        {"holidays": [NEW_YEAR], "workdays": [date(2027, 2, 22)]},
        "2027-02-22 是工作日：调休上班日是调换休息日上班的星期六或星期日。",
    ),
    (
        {"holidays": [Holiday(date(2026, 12, 31), date(2027, 1, 1), "元旦")], "workdays": []},
        "放假 2026-12-31 – 2027-01-01 元旦 不在 2027 年内。",
    ),
    (
        {
            "holidays": [SPRING, Holiday(date(2027, 2, 10), date(2027, 2, 12), "春节")],
            "workdays": [],
        },
        "放假 2027-02-05 – 2027-02-10 春节 与 2027-02-10 – 2027-02-12 春节 重叠。",
    ),
]


@pytest.mark.parametrize(("notice", "message"), BAD_NOTICES)
def test_a_bad_notice_is_refused_and_nothing_is_saved(procurement, notice, message):
    from core.calendar import CalendarError

    with pytest.raises(CalendarError) as error:
        publish(procurement, **notice)

    assert error.value.messages == [message]
    assert calendar_year(2027).status == "provisional"


def test_an_official_year_changes_only_with_a_reason_kept_in_history(procurement):
    from core.calendar import CalendarError, holidays_of

    row = calendar_year(2026)
    notice = {"holidays": holidays_of(row), "workdays": [date(2026, 1, 4), date(2026, 2, 14)]}
    with pytest.raises(CalendarError) as error:
        publish(procurement, year=2026, **notice)
    assert error.value.messages == ["2026 年已是正式日历：修改须说明原因。"]

    publish(procurement, year=2026, reason="撤销2月28日调休（示例）", **notice)

    assert working_days(date(2026, 2, 1)) == 15
    latest = CalendarYear.history.filter(year=2026).order_by("-history_date").first()
    assert latest.history_change_reason == "撤销2月28日调休（示例）"
    assert latest.history_user == procurement


def api_notice(**overrides):
    return {
        "holidays": [
            "2027-01-01",
            {"start": "2027-02-05", "end": "2027-02-10", "name": "春节"},
            *(h.as_json() for h in LATER),
        ],
        "workdays": ["2027-02-20"],
        "notice_number": "国办发明电〔2026〕9号",
        "notice_date": "2026-11-20",
        **overrides,
    }


def test_the_api_reads_any_year_and_procurement_publishes(api, procurement, vendor_pm, finance):
    body = api(vendor_pm).get("/api/v1/calendar/2027/").json()
    assert body["status"] == "provisional"
    assert body["working_days_by_month"]["1"] == 20 and body["working_days_by_month"]["2"] == 16
    assert "2027-02-05" in body["holidays"] and body["workdays"] == []
    assert body["source"].startswith("暂定")
    assert api(vendor_pm).get("/api/v1/calendar/1990/").status_code == 200
    assert api(vendor_pm).get("/api/v1/calendar/2100/").status_code == 200
    assert api(vendor_pm).get("/api/v1/calendar/1989/").status_code == 404
    assert api(vendor_pm).get("/api/v1/calendar/2101/").status_code == 404
    assert api().get("/api/v1/calendar/2027/").status_code == 401

    for user in (vendor_pm, finance):
        assert (
            api(user).put("/api/v1/calendar/2027/", api_notice(), format="json").status_code == 403
        )

    answer = api(procurement).put("/api/v1/calendar/2027/", api_notice(), format="json")

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "official"
    assert body["working_days_by_month"]["2"] == 17
    assert body["workdays"] == ["2027-02-20"]
    assert body["changes"] == [
        {"month": "2027-02", "working_days": [16, 17], "log_due": ["2027-02-11", "2027-02-11"]}
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"workdays": ["2027-02-22"]}, "2027-02-22 是工作日"),
        ({"holidays": [{"start": "2026-12-31", "end": "2027-01-01"}]}, "不在 2027 年内"),
        ({"holidays": ["2027-02-05", {"start": "2027-02-05", "end": "2027-02-10"}]}, "重叠"),
        ({"notice_number": ""}, "通知文号"),
        ({"holidays": [{"start": "2027-02-05"}]}, '"YYYY-MM-DD"'),  # was a 500
        ({"holidays": [["2027-02-05"]]}, '"YYYY-MM-DD"'),
    ],
)
def test_the_api_refuses_a_bad_notice_with_its_message(api, procurement, overrides, message):
    answer = api(procurement).put("/api/v1/calendar/2027/", api_notice(**overrides), format="json")

    assert answer.status_code == 400
    assert message in str(answer.json())
    assert calendar_year(2027).status == "provisional"


def test_the_api_refuses_changing_an_official_year_without_a_reason(api, procurement):
    notice = api_notice(holidays=["2026-01-01"], workdays=[])
    answer = api(procurement).put("/api/v1/calendar/2026/", notice, format="json")

    assert answer.status_code == 400
    assert "须说明原因" in str(answer.json())
    assert working_days(date(2026, 2, 1)) == 16


def page_notice(**overrides):
    return {
        "notice_number": "国办发明电〔2026〕9号",
        "notice_date": "2026-11-20",
        "holidays": "\n".join(
            ["2027-01-01 元旦", "2027-02-05 至 2027-02-10 春节", *(str(h) for h in LATER)]
        ),
        "workdays": "2027-02-20",
        "reason": "",
        **overrides,
    }


def test_procurement_publishes_on_the_page(client, procurement, vendor_pm):
    client.force_login(vendor_pm)
    page = client.get("/calendar/2027/").content.decode()
    assert "暂定" in page and "发布通知" not in page
    assert client.post("/calendar/2027/", page_notice()).status_code == 403

    client.force_login(procurement)
    refused = client.post("/calendar/2027/", page_notice(workdays="2027-02-22"))
    assert "2027-02-22 是工作日" in refused.content.decode()
    assert calendar_year(2027).status == "provisional"

    answer = client.post("/calendar/2027/", page_notice(), follow=True)

    assert "2027年工作日历已发布" in answer.content.decode()
    assert working_days(date(2027, 2, 1)) == 17


def notice_file(rows, kind="xlsx"):
    header = ["类型", "开始日期", "结束日期", "名称"]
    if kind == "csv":
        text = io.StringIO()
        csv.writer(text).writerows([header, *rows])
        return SimpleUploadedFile("notice.csv", text.getvalue().encode("utf-8-sig"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2027年部分节假日安排"])
    for row in (header, *rows):
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("notice.xlsx", output.getvalue())


def test_a_notice_file_is_imported_whole_or_refused_by_row(client, procurement):
    client.force_login(procurement)
    form = {"notice_number": "国办发明电〔2026〕9号", "notice_date": "2026-11-20"}
    bad = notice_file([["放假", "2027-01-01", "", "元旦"], ["补班", "2027-02-20", "", ""]], "csv")

    refused = client.post("/calendar/2027/import/", {**form, "file": bad})

    assert "第 3 行：类型应为 放假 或 调休上班，而不是“补班”。" in refused.content.decode()
    assert calendar_year(2027).status == "provisional"

    good = notice_file(
        [
            ["放假", date(2027, 1, 1), None, "元旦"],
            ["放假", "2027-02-05", "2027-02-10", "春节"],
            *(["放假", h.start.isoformat(), h.end.isoformat(), h.name] for h in LATER),
            ["调休上班", "2027-02-20", None, None],
        ]
    )
    answer = client.post("/calendar/2027/import/", {**form, "file": good})

    assert answer.status_code == 302
    assert working_days(date(2027, 2, 1)) == 17
    exported = client.get("/calendar/2027/export/")
    assert exported.status_code == 200 and exported["Content-Type"].endswith("sheet")


def test_procurement_is_asked_to_publish_next_year_from_november(procurement):
    def items(day):
        todos = {str(t.title): t for t in dashboard(user=procurement, today=day)}
        return [item.url for item in todos["待发布的工作日历"].items]

    assert items(date(2026, 10, 31)) == []
    assert items(date(2026, 11, 1)) == ["/calendar/2027/"]
    publish(procurement, **MAKE_UP)
    assert items(date(2026, 11, 2)) == []


def test_findings_reach_only_their_buyers_procurement(contract_into_2027, procurement):
    from core.calendar import calendar_findings
    from core.models import User
    from tests.factories import BuyerFactory, UserFactory

    order = issued_order(contract_into_2027, start=date(2026, 7, 1), end=date(2027, 5, 31))
    person = member(contract_into_2027, 1, start_date=date(2026, 6, 1))
    log = worklog_open(order=order, month=date(2027, 1, 1))
    worklog_save(log=log, lines=[LineInput(person.pk, Decimal("20"), person.name)])
    publish(procurement, **LONGER_NEW_YEAR)
    stranger = UserFactory(
        username="other", role=User.Role.PROCUREMENT, organization=BuyerFactory(name="另一采购方")
    )

    assert calendar_findings(user=procurement, since=date(2026, 1, 1)).count() == 1
    assert calendar_findings(user=stranger, since=date(2026, 1, 1)).count() == 0
    assert CalendarFinding.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "fields", "message"),
    [
        (2027, {"holidays": "2026-12-31 2027-01-01 元旦"}, "不在 2027 年内"),
        (2027, {"holidays": "2027-02-05 2027-02-10 春节\n2027-02-10 2027-02-12"}, "重叠"),
        (2026, {"holidays": "2026-01-01 元旦", "workdays": ""}, "修改须说明原因"),
    ],
)
def test_the_page_refuses_each_bad_notice(client, procurement, year, fields, message):
    client.force_login(procurement)
    before = working_days(date(year, 2, 1))

    refused = client.post(f"/calendar/{year}/", page_notice(**fields))

    assert refused.status_code == 200 and message in refused.content.decode()
    assert working_days(date(year, 2, 1)) == before


def test_an_administrator_publishes_in_the_admin(client):
    from core.models import User

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    row = calendar_year(2027)

    answer = client.post(f"/admin/core/calendaryear/{row.pk}/change/", page_notice())

    assert answer.status_code == 302
    assert working_days(date(2027, 2, 1)) == 17
    assert CalendarYear.objects.get(year=2027).updated_by == admin


def test_nothing_but_the_calendar_reads_the_package():
    from pathlib import Path

    from django.conf import settings

    readers = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).rglob("*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and "import chinese_calendar" in path.read_text(encoding="utf-8")
    ]
    assert readers == ["core/calendar.py"]
