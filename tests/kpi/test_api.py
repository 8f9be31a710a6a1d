"""Fixed-price KPI contracts (004) through the API: monthly reports by the 5th, periods assessed
on the KPI template, and milestones settled on them."""

import io

import pytest
from openpyxl import load_workbook

from kpi.models import KpiReport
from tests.kpi.test_milestones import AT_80, AT_80_SESSIONS, month_figures

pytestmark = pytest.mark.django_db

FIGURES = month_figures(15, 100000, 1000)


def report(client, order, month="2026-01", **figures):
    body = {"order": order.pk, "month": month, **FIGURES, **figures}
    return client.post("/api/v1/kpi-reports/", body, format="json")


def test_the_vendor_reports_by_the_5th_and_procurement_approves(
    api, kpi_order, vendor_pm, procurement
):
    vendor = api(vendor_pm)
    created = report(vendor, kpi_order)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["month"], body["status"], body["views"], body["due_on"]) == (
        "2026-01",
        "draft",
        100000,
        "2026-02-05",
    )
    pk = body["id"]
    assert vendor.post(f"/api/v1/kpi-reports/{pk}/submit/").json()["status"] == "submitted"
    assert vendor.post(f"/api/v1/kpi-reports/{pk}/approve/").status_code == 403
    buyer = api(procurement)
    returned = buyer.post(f"/api/v1/kpi-reports/{pk}/return/", {"reason": "播放量截图缺失"})
    assert returned.json()["status"] == "returned"
    assert vendor.patch(f"/api/v1/kpi-reports/{pk}/", {"views": 98000}).status_code == 200
    vendor.post(f"/api/v1/kpi-reports/{pk}/submit/")
    approved = buyer.post(f"/api/v1/kpi-reports/{pk}/approve/").json()
    assert (approved["status"], approved["views"], approved["videos"]) == ("approved", 98000, 15)

    period = buyer.get(f"/api/v1/kpi-reports/period/?order={kpi_order.pk}&months=6").json()
    assert period["missing"] == ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    views = next(row for row in period["baselines"] if row["code"] == "views")
    assert (views["target"], views["actual"], views["reached"]) == (
        "600000.00",
        "98000",
        "0.1633",
    )


def test_bad_figures_are_refused_whole(api, kpi_order, vendor_pm):
    vendor = api(vendor_pm)

    answer = report(vendor, kpi_order, hires=-1)

    assert answer.status_code == 400
    assert "hires" in answer.json()
    assert report(vendor, kpi_order, videos=-1).status_code == 400
    assert not KpiReport.objects.exists()
    # The live figures are the month's sessions' (none yet), whatever is sent.
    body = report(vendor, kpi_order, live_sessions=5, qualifying_sessions=6).json()
    assert (body["live_sessions"], body["qualifying_sessions"]) == (0, 0)


def test_another_vendors_reports_and_periods_do_not_exist(
    api, kpi_order, vendor_pm, other_vendor_pm, procurement
):
    pk = report(api(vendor_pm), kpi_order).json()["id"]
    other = api(other_vendor_pm)

    assert other.get("/api/v1/kpi-reports/").json()["count"] == 0
    for answer in (
        other.get(f"/api/v1/kpi-reports/{pk}/"),
        other.post(f"/api/v1/kpi-reports/{pk}/submit/"),
        other.patch(f"/api/v1/kpi-reports/{pk}/", {"views": 1}),
    ):
        assert answer.status_code == 404
    assert (
        other.get(f"/api/v1/kpi-reports/period/?order={kpi_order.pk}&months=6").status_code == 400
    )
    assert report(other, kpi_order, month="2026-02").status_code == 400


def test_a_period_is_assessed_and_its_milestone_settled_through_the_api(
    api, kpi_order, vendor_pm, procurement
):
    vendor, buyer = api(vendor_pm), api(procurement)
    for number, figures in enumerate(AT_80, start=1):
        for day, (minutes, viewers) in enumerate(AT_80_SESSIONS[number - 1], start=1):
            session = {"order": kpi_order.pk, "date": f"2026-{number:02d}-{day:02d}"}
            session |= {"platform": "douyin", "minutes": minutes, "viewers": viewers}
            assert vendor.post("/api/v1/live-sessions/", session).status_code == 201
        pk = report(vendor, kpi_order, month=f"2026-{number:02d}", **figures).json()["id"]
        vendor.post(f"/api/v1/kpi-reports/{pk}/submit/")
        buyer.post(f"/api/v1/kpi-reports/{pk}/approve/")

    assessed = buyer.post(
        "/api/v1/kpi-reports/assess/",
        {"order": kpi_order.pk, "months": 6, "bonuses": {"bonus_media": "1"}},
        format="json",
    )
    assert assessed.status_code == 200, assessed.json()
    body = assessed.json()
    assert (body["period_months"], body["total_score"], body["status"]) == (6, "73.78", "draft")
    hours = next(entry for entry in body["entries"] if entry["name"] == "直播时长")
    assert (hours["target"], hours["actual"], hours["score"]) == ("144.00", "116.00", "1.00")
    assert (
        buyer.put(f"/api/v1/assessments/{body['id']}/", {"entries": []}, format="json").status_code
        == 400
    )

    item = kpi_order.payment_plan.get(due_after_months=6).pk
    waiting = buyer.post("/api/v1/settlements/compute-milestone/", {"payment_item": item})
    assert waiting.status_code == 400
    buyer.post(f"/api/v1/assessments/{body['id']}/publish/")
    vendor.post(f"/api/v1/assessments/{body['id']}/confirm/")
    sheet = buyer.post("/api/v1/settlements/compute-milestone/", {"payment_item": item})
    assert sheet.status_code == 200, sheet.json()
    assert (sheet.json()["achievement"], sheet.json()["payable_incl_tax"]) == (
        "0.8000",
        "106243.20",
    )
    assert (
        vendor.post("/api/v1/settlements/compute-milestone/", {"payment_item": item}).status_code
        == 403
    )


def test_the_lump_sum_rate_card_exports_in_the_annex3_layout(api, kpi_order, procurement):
    answer = api(procurement).get(f"/api/v1/contracts/{kpi_order.contract_id}/rate-card/export/")

    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "（元/项）" in values
    assert any(str(value) == "452830.19" for value in values)
