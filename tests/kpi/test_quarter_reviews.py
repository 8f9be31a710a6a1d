"""004 考核条款 1, 季度复盘: a quarter's page shows the cumulative figures of its months 1..3n
against the baselines pro-rated to them (worked by hand below), the months without an approved
report, and no score; each side writes only its own comment (procurement the buyer's, the
vendor's PM the vendor's), kept in the history and told to the other side; a quarter outside
the term and another vendor's order are 404, on the page and through `quarter-reviews/`."""

from decimal import Decimal

import pytest
from django.test import Client

from demo.fixed_price import approved_reports
from kpi.models import QuarterReview
from kpi.services import KpiError, kpi_quarter, quarter_review_comment
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def figures(videos, views, followers):
    return {"videos": videos, "views": views, "followers": followers}


# Service months 1..3 (2026-01..03), approved; no live sessions were recorded.
Q1 = [figures(15, 90000, 900), figures(16, 95000, 1000), figures(17, 100000, 1100)]


@pytest.fixture
def reported(kpi_order, procurement):
    approved_reports(kpi_order, Q1, procurement)
    return kpi_order


def reached(period):
    return {row.baseline.code: (row.target, row.actual, row.reached) for row in period.rows}


def test_quarter_one_sums_its_three_months_against_three_monthly_baselines(reported):
    rows = reached(kpi_quarter(reported, 1))
    # videos 15 + 16 + 17 = 48 against 15 × 3 = 45: reached, at most 100%.
    assert rows["videos"] == (Decimal(45), Decimal(48), Decimal("1.0000"))
    # views 90,000 + 95,000 + 100,000 = 285,000 against 300,000: 95%.
    assert rows["views"] == (Decimal(300000), Decimal(285000), Decimal("0.9500"))
    # followers 900 + 1,000 + 1,100 = 3,000 against 3,000.
    assert rows["followers"] == (Decimal(3000), Decimal(3000), Decimal("1.0000"))
    # no session recorded: 0 of 12 × 3 = 36.
    assert rows["sessions"] == (Decimal(36), Decimal(0), Decimal("0.0000"))


def test_quarter_two_is_the_half_year_and_names_the_months_missing(reported):
    period = kpi_quarter(reported, 2)
    # The half-year's own baseline: 48 videos of 90 → 53.33% (cut, not rounded).
    assert reached(period)["videos"] == (Decimal(90), Decimal(48), Decimal("0.5333"))
    assert [f"{month:%Y-%m}" for month in period.missing] == ["2026-04", "2026-05", "2026-06"]


def test_a_quarter_outside_the_term_is_refused(kpi_order):
    with pytest.raises(KpiError, match="没有第5季度"):
        kpi_quarter(kpi_order, 5)


def test_each_side_writes_its_own_comment_and_tells_the_other(reported, vendor_pm, procurement):
    quarter_review_comment(order=reported, quarter=1, actor=vendor_pm, comment="视频条数达标。")
    review = quarter_review_comment(
        order=reported, quarter=1, actor=procurement, comment="播放量差5%，下季度加强投流。"
    )
    assert (review.vendor_comment, review.vendor_commented_by) == ("视频条数达标。", vendor_pm)
    assert (review.buyer_comment, review.buyer_commented_by) == (
        "播放量差5%，下季度加强投流。",
        procurement,
    )
    assert review.buyer_commented_at and review.vendor_commented_at
    assert review.history.count() == 2
    assert Notification.objects.filter(user=procurement, kind="quarter_commented").exists()
    assert Notification.objects.filter(user=vendor_pm, kind="quarter_commented").exists()


def test_an_empty_comment_saves_nothing(reported, vendor_pm):
    with pytest.raises(KpiError):
        quarter_review_comment(order=reported, quarter=1, actor=vendor_pm, comment="  ")
    assert not QuarterReview.objects.exists()


def test_the_page_shows_the_quarter_and_takes_the_callers_comment(
    reported, vendor_pm, procurement, finance
):
    vendor = Client()
    vendor.force_login(vendor_pm)
    url = f"/orders/{reported.pk}/kpi/quarters/1/"
    assert url in vendor.get(f"/orders/{reported.pk}/kpi/").content.decode()
    page = vendor.get(url).content.decode()
    assert "300,000" in page and "95%" in page
    assert vendor.post(url, {"comment": "视频条数达标。"}).status_code == 302
    buyer = Client()
    buyer.force_login(procurement)
    buyer.post(url, {"comment": "同意。"})
    review = QuarterReview.objects.get()
    assert (review.vendor_comment, review.buyer_comment) == ("视频条数达标。", "同意。")
    cashier = Client()
    cashier.force_login(finance)
    assert cashier.get(url).status_code == 200
    assert cashier.post(url, {"comment": "x"}).status_code == 403
    assert vendor.get(f"/orders/{reported.pk}/kpi/quarters/5/").status_code == 404


def test_another_vendors_order_is_404(reported, other_vendor_pm):
    stranger = Client()
    stranger.force_login(other_vendor_pm)
    url = f"/orders/{reported.pk}/kpi/quarters/1/"
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"comment": "x"}).status_code == 404


def test_the_api_writes_the_callers_side_only(
    api, reported, vendor_pm, procurement, other_vendor_pm
):
    vendor = api(vendor_pm)
    created = vendor.post(
        "/api/v1/quarter-reviews/",
        {"order": reported.pk, "quarter": 1, "comment": "视频条数达标。"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    buyer = api(procurement)
    answered = buyer.post(f"/api/v1/quarter-reviews/{pk}/comment/", {"comment": "同意。"})
    body = answered.json()
    assert (body["vendor_comment"], body["buyer_comment"]) == ("视频条数达标。", "同意。")
    assert body["buyer_commented_by"] == procurement.pk
    # No way to write the other side's: no update, and a comment is always the caller's.
    patched = vendor.patch(f"/api/v1/quarter-reviews/{pk}/", {"buyer_comment": "x"})
    assert patched.status_code == 405
    vendor.post(f"/api/v1/quarter-reviews/{pk}/comment/", {"comment": "已整改。"})
    assert QuarterReview.objects.get().buyer_comment == "同意。"
    listed = buyer.get(f"/api/v1/quarter-reviews/?order={reported.pk}").json()
    assert [row["quarter"] for row in listed["results"]] == [1]
    stranger = api(other_vendor_pm)
    assert stranger.get(f"/api/v1/quarter-reviews/{pk}/").status_code == 404
    refused = stranger.post(f"/api/v1/quarter-reviews/{pk}/comment/", {"comment": "x"})
    assert refused.status_code == 404
    outside = vendor.post(
        "/api/v1/quarter-reviews/",
        {"order": reported.pk, "quarter": 5, "comment": "x"},
        format="json",
    )
    assert outside.status_code == 400
