"""Finance's outlook on the small year (conftest), as of Wednesday 25 November 2026."""

from tests.reports.conftest import TODAY


def test_the_next_eight_weeks(small_year, api, finance, clock):
    """August's invoice was received on 10 November: payable 30 working days later, on
    Tuesday 22 December (11–13 November 3, then five weeks of 5 to 18 December 28, 21–22
    December 30), 24,216.90 − 10,000.00 paid = 14,216.90 in the week of 21 December, the
    fifth from this one (23 November). September's and October's sheets are signed and not
    invoiced: 21,250.51 + 14,532.59 = 35,783.10."""
    clock(TODAY)
    report = api(finance).get("/api/v1/reports/outlook/").json()
    assert report["not_invoiced_incl_tax"] == "35783.10"
    assert report["overdue_incl_tax"] == "0.00"
    assert report["paid_this_month"] == "10000.00"
    assert [week["week_start"] for week in report["weeks"]][:5] == [
        "2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"
    ]  # fmt: skip
    due = [(week["sheets"], week["due_incl_tax"]) for week in report["weeks"]]
    assert due == [(0, "0.00")] * 4 + [(1, "14216.90")] + [(0, "0.00")] * 3
    assert report["later_incl_tax"] == "0.00"


def test_for_the_buyer_side_only(small_year, api, client, vendor_pm, finance, clock):
    clock(TODAY)
    assert api(vendor_pm).get("/api/v1/reports/outlook/").status_code == 403
    client.force_login(finance)
    page = client.get("/reports/outlook/")
    assert page.status_code == 200 and "¥35,783.10" in page.content.decode()
    client.force_login(vendor_pm)
    assert client.get("/reports/outlook/").status_code == 403
