"""Spend on the small year (conftest) by month, role, vendor and contract: settled by the
signed sheets of each service month (an adjustment in the month it corrects), invoiced by
invoices in force, paid."""

import io

from openpyxl import load_workbook

from tests.reports.conftest import TODAY

AUGUST = {
    "key": "2026-08",
    "label": "2026-08",
    "settled_incl_tax": "23216.90",  # 24,216.90 − 1,000.00
    "invoiced_incl_tax": "24216.90",
    "paid_incl_tax": "10000.00",
}
SEPTEMBER = {
    "key": "2026-09",
    "label": "2026-09",
    "settled_incl_tax": "21250.51",
    "invoiced_incl_tax": "0.00",
    "paid_incl_tax": "0.00",
}
OCTOBER = {**SEPTEMBER, "key": "2026-10", "label": "2026-10", "settled_incl_tax": "14532.59"}


def spend(client, **query):
    response = client.get("/api/v1/reports/spend/", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_by_month_over_a_range(small_year, api, finance, clock):
    clock(TODAY)
    client = api(finance)
    assert spend(client, **{"from": "2026-08", "to": "2026-10"}) == [AUGUST, SEPTEMBER, OCTOBER]
    assert spend(client, **{"from": "2026-09", "to": "2026-09"}) == [SEPTEMBER]
    # This year's January to this month unless said.
    assert spend(client) == [AUGUST, SEPTEMBER, OCTOBER]


def test_by_role_spreads_each_sheet_over_its_lines(small_year, api, procurement, clock):
    """Settled as in the consumption report (46,299.23 and 12,700.77); invoiced: August's
    invoice over August's lines, 18,000.00 and 6,216.90; paid: 10,000.00 × 18,000.00 /
    24,216.90 = 7,432.8258 and × 6,216.90 / 24,216.90 = 2,567.1742, rounded down 7,432.82 +
    2,567.17 = 9,999.99, the cent left to the larger remainder (.0058): 7,432.83."""
    clock(TODAY)
    rows = spend(api(procurement), group_by="role")
    assert rows == [
        {
            "key": "产品/平台服务 高级",
            "label": "产品/平台服务 高级",
            "settled_incl_tax": "46299.23",
            "invoiced_incl_tax": "18000.00",
            "paid_incl_tax": "7432.83",
        },
        {
            "key": "技术支持 初级",
            "label": "技术支持 初级",
            "settled_incl_tax": "12700.77",
            "invoiced_incl_tax": "6216.90",
            "paid_incl_tax": "2567.17",
        },
    ]


def test_by_vendor_and_by_contract(small_year, api, procurement, vendor, clock):
    contract, _order, _sheets = small_year
    clock(TODAY)
    totals = {
        "settled_incl_tax": "59000.00",
        "invoiced_incl_tax": "24216.90",
        "paid_incl_tax": "10000.00",
    }
    client = api(procurement)
    assert spend(client, group_by="vendor") == [
        {"key": str(vendor.pk), "label": "甲供应商有限公司", **totals}
    ]
    assert spend(client, group_by="contract") == [
        {"key": str(contract.pk), "label": f"KJ-R {contract.name}", **totals}
    ]


def test_bad_filters_are_refused(small_year, api, procurement, other_vendor_pm, clock):
    clock(TODAY)
    client = api(procurement)
    response = client.get("/api/v1/reports/spend/", {"from": "2026-10", "to": "2026-08"})
    assert response.status_code == 400
    assert client.get("/api/v1/reports/spend/", {"group_by": "staff"}).status_code == 400
    assert client.get("/api/v1/reports/spend/", {"from": "2026-13"}).status_code == 400
    assert spend(api(other_vendor_pm)) == []


def test_the_page_by_contract_against_the_ceiling_and_its_workbook(
    small_year, client, finance, clock
):
    clock(TODAY)
    client.force_login(finance)
    page = client.get("/reports/spend/?group_by=contract&from=2026-08&to=2026-10")
    text = page.content.decode()
    assert page.status_code == 200
    assert "¥59,000.00" in text and "¥60,000.00" in text and "98.33%" in text
    export = client.get("/reports/spend/?group_by=contract&from=2026-08&to=2026-10&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("合同", "已结算", "已开票", "已付款", "上限", "累计结算", "限价已用")
    assert rows[1][1:6] == (59000, 24216.9, 10000, 60000, 59000)
    bad = client.get("/reports/spend/?from=2026-10&to=2026-08")
    assert bad.status_code == 400
