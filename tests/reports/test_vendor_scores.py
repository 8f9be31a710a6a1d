"""Vendor performance on the small year (conftest): its monthly scores with the points lost in
each category of 附件2, and what it did on time."""

from reports.selectors import vendor_record
from tests.reports.conftest import TODAY

NONE_LOST = {"服务质量考核": "0.00", "支撑能力": "0.00", "投诉事故": "0.00", "安全考核": "0.00",
             "项目管理": "0.00"}  # fmt: skip


def test_each_month_with_its_deductions(small_year, api, procurement, vendor):
    _contract, order, _sheets = small_year
    rows = api(procurement).get(f"/api/v1/reports/vendor-scores/?vendor={vendor.pk}").json()
    common = {
        "order": order.pk,
        "order_number": order.number,
        "period_months": 1,
        "achievement": {},
    }
    assert rows == [
        {**common, "month": "2026-08", "score": "100.00", "deductions": NONE_LOST, "incidents": 0},
        {
            **common,
            "month": "2026-09",
            "score": "92.50",
            # quality 45 of 50; one security incident at 2.5
            "deductions": {**NONE_LOST, "服务质量考核": "5.00", "安全考核": "2.50"},
            "incidents": 1,
        },
        {**common, "month": "2026-10", "score": "100.00", "deductions": NONE_LOST, "incidents": 0},
    ]


def test_a_vendor_sees_its_own_only(small_year, api, vendor, vendor_pm, other_vendor_pm):
    url = f"/api/v1/reports/vendor-scores/?vendor={vendor.pk}"
    assert len(api(vendor_pm).get(url).json()) == 3
    assert api(other_vendor_pm).get(url).status_code == 404
    assert api(vendor_pm).get("/api/v1/reports/vendor-scores/").status_code == 400


def test_what_it_did_on_time(small_year, procurement, vendor, clock):
    """The logs were submitted on the 3rd of the next month, by the 5th working day; the
    invoice of August's sheet came on 10 November, after its due day (10 working days after
    it was signed on 3 September); September's and October's are not invoiced: past due
    (late) on 25 November."""
    clock(TODAY)
    record = vendor_record(user=procurement, vendor=vendor)
    assert (record.logs_on_time, record.logs_late) == (3, 0)
    assert (record.invoices_on_time, record.invoices_late) == (0, 3)
    assert record.disputed == 0


def test_the_page_and_its_workbook(small_year, client, vendor_pm):
    client.force_login(vendor_pm)
    page = client.get("/reports/vendor-scores/")
    text = page.content.decode()
    assert page.status_code == 200 and "92.50" in text and "−2.5" in text
    export = client.get("/reports/vendor-scores/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_kpi_period_against_its_baselines(demo_users, api):
    """004's half-year on the demo (demo/fixed_price.py, months 0–5 of `demo_month`), as the
    district's procurement sees 星河 (its 000 quarter is 咪咕's, not shown): videos Σ(15 + n % 3)
    = 96 against the baseline 90: 1.0667; views Σ(96,000 + 6,500 n) = 673,500 against
    600,000: 1.1225."""
    from assessment.models import Assessment

    period = Assessment.objects.get(order__contract__code="AYQ-2025-004", period_months=6)
    vendor = period.order.contract.vendor
    rows = api(demo_users["anyuan"]).get(f"/api/v1/reports/vendor-scores/?vendor={vendor.pk}")
    half_year = next(row for row in rows.json() if row["period_months"] == 6)
    assert half_year["achievement"]["抖音短视频发布数量"] == "1.0667"
    assert half_year["achievement"]["抖音短视频播放量"] == "1.1225"
    assert {row["order_number"][:12] for row in rows.json()} == {"AYQ-2025-004"}
