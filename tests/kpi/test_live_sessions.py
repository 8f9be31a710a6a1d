"""Seed 004's live sessions counted one by one: a session of 1 h 59 min is no 场, 单场观看人数
scores the share of counted sessions with 800 viewers, and a year's score follows from its
sessions (figures worked by hand). Sessions are kept over the API, on the page and by Excel
import (all or nothing), only while their month's report is the vendor's to edit; weeks below
3 sessions are a note, and the sessions are evidence in the period's PDF."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from assessment.documents import assessment_pdf
from demo.fixed_price import approved_reports
from kpi.models import KpiReport, LiveSession
from kpi.services import kpi_assess, kpi_report_save, kpi_report_submit
from kpi.sessions import live_session_save, short_weeks
from tests.kpi.test_milestones import month_figures
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

# A year of reports at the baselines of the videos, views and followers; the live sessions:
# January to July one of 2 hours with 3,000 viewers, August to October one of 2 hours with
# 500, November one of 1 h 59 min with 5,500 and December none.
YEAR = [month_figures(15, 100000, 1000)] * 12
YEAR_SESSIONS = [[(120, 3000)]] * 7 + [[(120, 500)]] * 3 + [[(119, 5500)], []]


def session(order, day="2026-01-05", **values):
    data = {"order": order.pk, "date": day, "platform": "douyin", "minutes": 130}
    return data | {"viewers": 900, "link": "https://live.douyin.com/1"} | values


def test_a_year_of_sessions_scores_by_hand(kpi_order, procurement):
    approved_reports(kpi_order, YEAR, procurement, sessions=YEAR_SESSIONS)

    november = KpiReport.objects.get(month=date(2026, 11, 1))
    # 1 h 59 min is no 场 and qualifies for nothing; its hours (1.983 → 2.0) and viewers count.
    assert (november.live_sessions, november.live_hours, november.viewers) == (
        0,
        Decimal("2.0"),
        5500,
    )
    assert november.qualifying_sessions == 0

    score = kpi_assess(order=kpi_order, months=12)

    points = {entry.indicator.code: entry.score for entry in score.entries.all()}
    # videos 180/180, views 1,200,000, followers 12,000: full marks 15, 15, 20;
    # 直播场次 10 of 144: 15 − 0.1 × 134 = 1.60; 直播时长 10 × 2.0 + 2.0 = 22.0 of 288:
    # 15 − 0.5 × 266 < 0 → 0.00; 单场观看人数 7 of the 10 counted ≥ 800: 10 × 7/10 = 7.00;
    # 月度累计场观 7 × 3,000 + 3 × 500 + 5,500 = 28,000 of 280,000: 10 × 0.1 = 1.00.
    assert (points["sessions"], points["hours"]) == (Decimal("1.60"), Decimal("0.00"))
    assert (points["viewers_share"], points["viewers"]) == (Decimal("7.00"), Decimal("1.00"))
    assert score.total_score == Decimal("59.60")  # 15 + 15 + 20 + 1.60 + 0 + 7.00 + 1.00

    text = pdf_text(assessment_pdf(score))
    assert "直播记录（直播场次、直播时长、单场观看人数的依据）" in text
    assert "2026-11-02抖音19:301:595500否否" in text


def test_sessions_over_the_api(api, kpi_order, vendor_pm, other_vendor_pm, procurement):
    vendor = api(vendor_pm)

    created = vendor.post("/api/v1/live-sessions/", session(kpi_order, minutes=119))
    assert created.status_code == 201, created.json()
    assert (created.json()["counts"], created.json()["qualifies"]) == (False, False)
    vendor.post("/api/v1/live-sessions/", session(kpi_order, "2026-02-02", platform="channels"))
    pk = created.json()["id"]

    listed = vendor.get(f"/api/v1/live-sessions/?order={kpi_order.pk}&month=2026-02").json()
    assert [row["platform"] for row in listed["results"]] == ["channels"]
    assert vendor.get("/api/v1/live-sessions/?platform=douyin").json()["count"] == 1
    assert api(procurement).get("/api/v1/live-sessions/").json()["count"] == 2
    assert api(procurement).post("/api/v1/live-sessions/", session(kpi_order)).status_code == 403

    other = api(other_vendor_pm)
    assert other.get("/api/v1/live-sessions/").json()["count"] == 0
    for answer in (
        other.get(f"/api/v1/live-sessions/{pk}/"),
        other.patch(f"/api/v1/live-sessions/{pk}/", {"viewers": 1}),
        other.delete(f"/api/v1/live-sessions/{pk}/"),
    ):
        assert answer.status_code == 404
    assert other.post("/api/v1/live-sessions/", session(kpi_order)).status_code == 400

    for bad, field in (
        ({"minutes": 1441}, "时长（分钟）"),
        ({"date": "2027-01-04"}, "不在服务期"),
        ({"link": "javascript:alert(1)"}, "link"),
    ):
        answer = vendor.post("/api/v1/live-sessions/", session(kpi_order, **bad))
        assert answer.status_code == 400 and field in str(answer.json()), answer.json()

    patched = vendor.patch(f"/api/v1/live-sessions/{pk}/", {"minutes": 120}, format="json")
    assert patched.json()["counts"] is True


def test_a_submitted_month_keeps_its_sessions(api, kpi_order, vendor_pm):
    vendor = api(vendor_pm)
    pk = vendor.post("/api/v1/live-sessions/", session(kpi_order)).json()["id"]
    report = kpi_report_save(order=kpi_order, month=date(2026, 1, 1), figures={})
    assert (report.live_sessions, report.qualifying_sessions) == (1, 1)

    # A draft follows its sessions at once.
    vendor.post("/api/v1/live-sessions/", session(kpi_order, "2026-01-07", viewers=799))
    report.refresh_from_db()
    assert (report.live_sessions, report.qualifying_sessions, report.viewers) == (2, 1, 1699)

    kpi_report_submit(report=report)
    refused = vendor.post("/api/v1/live-sessions/", session(kpi_order, "2026-01-09"))
    assert refused.status_code == 409
    assert "2026-01 的报告已提交，其直播记录不能再修改。" in str(refused.json())
    assert vendor.delete(f"/api/v1/live-sessions/{pk}/").status_code == 409
    moved = vendor.patch(f"/api/v1/live-sessions/{pk}/", {"date": "2026-02-02"}, format="json")
    assert moved.status_code == 409
    assert LiveSession.objects.count() == 2


def _upload(client, order, rows):
    """The downloaded workbook with `rows` written below its header, uploaded back."""
    page = f"/orders/{order.pk}/kpi/2026-03/"
    workbook = load_workbook(io.BytesIO(client.get(page + "sessions.xlsx").content))
    sheet = workbook.active
    for number, values in enumerate(rows, start=4):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "直播记录.xlsx"
    return client.post(page + "sessions/import/", {"file": buffer}, follow=True)


def test_a_month_is_imported_whole_or_not_at_all(kpi_order, vendor_pm):
    client = Client()
    client.force_login(vendor_pm)
    live_session_save(
        order=kpi_order,
        data={"date": date(2026, 3, 2), "platform": "douyin", "minutes": 60, "viewers": 10},
    )

    bad = _upload(
        client,
        kpi_order,
        [
            (date(2026, 3, 3), "抖音", "19:30", 150, 1200, ""),
            (date(2026, 4, 1), "快手", "25:00", 0, -5, "ftp://x"),
        ],
    )
    text = bad.content.decode()
    assert bad.status_code == 400
    for problem in (
        "第5行“日期”：2026-04-01 不在 2026-03 内",
        "第5行“平台”：请选择抖音或视频号",
        "第5行“开始时间”：开始时间请按 时:分 填写，或留空",
        "第5行“时长（分钟）”：请填写 1 至 1440 之间的分钟数",
        "第5行“观看人数”：请填写不小于 0 的整数观看人数",
        "第5行“链接”：请填写直播链接（以 http:// 或 https:// 开头）",
    ):
        assert problem in text, problem
    assert list(LiveSession.objects.values_list("minutes", flat=True)) == [60]

    good = _upload(
        client,
        kpi_order,
        [
            (date(2026, 3, 3), "抖音", "19:30", 150, 1200, "https://live.douyin.com/2"),
            ("2026-03-05", "视频号", None, 119, 900, ""),
        ],
    )
    assert "已导入 2 条直播记录。" in good.content.decode()
    # The file replaced the month: the 60-minute session of 2 March is gone.
    assert list(LiveSession.objects.values_list("date", "minutes", "platform")) == [
        (date(2026, 3, 3), 150, "douyin"),
        (date(2026, 3, 5), 119, "channels"),
    ]
    sheet = load_workbook(
        io.BytesIO(client.get(f"/orders/{kpi_order.pk}/kpi/2026-03/sessions.xlsx").content)
    ).active
    assert [cell.value for cell in sheet[5]][1:5] == ["视频号", None, 119, 900]


def test_weeks_below_three_sessions_are_a_note(kpi_order, vendor_pm, other_vendor_pm):
    # Week of 2 – 8 February: three sessions, but one of 1 h 59 min; 9 – 15: three of 2 hours.
    days = [2, 4, 6, 9, 11, 13]
    for day in days:
        live_session_save(
            order=kpi_order,
            data={
                "date": date(2026, 2, day),
                "platform": "douyin",
                "minutes": 119 if day == 4 else 120,
                "viewers": 900,
            },
        )

    weeks = short_weeks(kpi_order, date(2026, 2, 1))
    # 2 – 8 February has 2; 16 – 22 and 23 – 1 March (Thursday 26 February) have none.
    assert [(week.monday, week.counted) for week in weeks] == [
        (date(2026, 2, 2), 2),
        (date(2026, 2, 16), 0),
        (date(2026, 2, 23), 0),
    ]
    client = Client()
    client.force_login(vendor_pm)
    page = client.get(f"/orders/{kpi_order.pk}/kpi/2026-02/sessions/").content.decode()
    assert "提示采购人：服务要求每周直播 3 场（可根据活动灵活调整，不扣分）。" in page
    assert "02-02–02-08（2 场）" in page
    other = Client()
    other.force_login(other_vendor_pm)
    assert other.get(f"/orders/{kpi_order.pk}/kpi/2026-02/sessions/").status_code == 404


def test_the_vendor_adds_and_deletes_a_session_on_the_page(kpi_order, vendor_pm):
    client = Client()
    client.force_login(vendor_pm)
    page = f"/orders/{kpi_order.pk}/kpi/2026-01/sessions/"
    form = {"date": "2026-01-05", "platform": "channels", "start": "20:00", "minutes": "150"}

    refused = client.post(page, form | {"viewers": "很多"})
    assert "观看人数：“很多”无法识别" in refused.content.decode()
    assert not LiveSession.objects.exists()

    saved = client.post(page, form | {"viewers": "950", "link": ""}, follow=True)
    assert "直播记录已保存。" in saved.content.decode()
    assert "2:30" in saved.content.decode()
    pk = LiveSession.objects.get().pk
    client.post(f"/orders/{kpi_order.pk}/live-sessions/{pk}/delete/")
    assert not LiveSession.objects.exists()
