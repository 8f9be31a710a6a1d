"""The KPI pages: the vendor reports a month, procurement reviews it and scores the period."""

import pytest
from django.test import Client

from demo.fixed_price import approved_reports
from kpi.models import KpiReport, LiveSession
from tests.kpi.test_milestones import AT_92, AT_92_SESSIONS

pytestmark = pytest.mark.django_db

FORM = {
    "videos": "15",
    "views": "100000",
    "likes": "5000",
    "shares": "900",
    "followers": "1000",
    "enquiries": "40",
    "placements": "5",
}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_vendor_submits_a_month_and_procurement_approves_it(kpi_order, vendor_pm, procurement):
    page = f"/orders/{kpi_order.pk}/kpi/2026-01/"
    LiveSession.objects.create(
        order=kpi_order, date="2026-01-05", platform="douyin", minutes=150, viewers=900
    )

    answer = client_for(vendor_pm).post(page, {**FORM, "submit": ""}, follow=True)

    assert "报告已提交。" in answer.content.decode()
    report = KpiReport.objects.get()
    # The live figures come from the month's one session of 2 h 30 min.
    assert (report.status, report.views, str(report.live_hours)) == ("submitted", 100000, "2.5")
    buyer = client_for(procurement)
    assert "须于 2026-02-05 前提交" in buyer.get(page).content.decode()
    buyer.post(f"/kpi-reports/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.status == "approved"
    assert client_for(vendor_pm).post(f"/kpi-reports/{report.pk}/approve/").status_code == 403


def test_a_bad_figure_saves_nothing_and_says_why(kpi_order, vendor_pm):
    page = f"/orders/{kpi_order.pk}/kpi/2026-01/"

    answer = client_for(vendor_pm).post(page, {**FORM, "views": "很多", "hires": "2.5"})

    text = answer.content.decode()
    assert "短视频播放量：“很多”不是数字：请只用数字书写，如 1250.50。" in text
    assert "招聘人数：“2.5”不是整数" in text
    assert not KpiReport.objects.exists()
    answer = client_for(vendor_pm).post(page, {**FORM, "hires": "-2"})
    assert "招聘人数：请填写不小于 0 的整数。" in answer.content.decode()
    assert not KpiReport.objects.exists()


def test_procurement_scores_the_half_year_with_its_bonuses_on_the_page(
    kpi_order, procurement, vendor_pm
):
    approved_reports(kpi_order, AT_92, procurement, sessions=AT_92_SESSIONS)

    client_for(procurement).post(
        f"/orders/{kpi_order.pk}/kpi-period/6/", {"bonus_honours": "2", "publish": ""}
    )

    score = kpi_order.assessments.get(period_months=6)
    assert (score.status, score.base_score, score.bonus_score) == (
        "published",
        score.total_score - 2,
        2,
    )
    page = client_for(vendor_pm).get(f"/orders/{kpi_order.pk}/kpi/").content.decode()
    assert "达标：全额拨付" in page
    assert f"/assessments/{score.pk}/confirm/" in page


def test_another_vendor_sees_no_kpi_page(kpi_order, other_vendor_pm):
    client = client_for(other_vendor_pm)
    for page in (f"/orders/{kpi_order.pk}/kpi/", f"/orders/{kpi_order.pk}/kpi/2026-01/"):
        assert client.get(page).status_code == 404
    assert client.post(f"/orders/{kpi_order.pk}/kpi/2026-01/", FORM).status_code == 404


@pytest.mark.parametrize("typed", ["1e1000000", "NaN", "Infinity", "sNaN", "1e5"])
def test_a_figure_that_is_no_plain_number_is_a_form_error(kpi_order, vendor_pm, typed):
    """1e1000000 held the server for a minute (int() wrote out a million digits); NaN and
    Infinity were 500s. Each is now the form's message, at once."""
    page = f"/orders/{kpi_order.pk}/kpi/2026-01/"

    answer = client_for(vendor_pm).post(page, {**FORM, "views": typed, "channels_views": typed})

    text = answer.content.decode()
    assert answer.status_code == 200
    assert f"短视频播放量：“{typed}”不是数字：请只用数字书写，如 1250.50。" in text
    assert f"视频号播放量：“{typed}”不是数字" in text
    assert not KpiReport.objects.exists()


def test_a_bonus_that_is_no_plain_number_is_refused(kpi_order, procurement):
    approved_reports(kpi_order, AT_92, procurement, sessions=AT_92_SESSIONS)

    answer = client_for(procurement).post(
        f"/orders/{kpi_order.pk}/kpi-period/6/", {"bonus_honours": "NaN"}, follow=True
    )

    assert "“NaN”不是数字" in answer.content.decode()
    assert not kpi_order.assessments.filter(period_months=6).exists()
