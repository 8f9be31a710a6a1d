"""附件3 consumption on the small year (conftest): quantities, money spread over the lines,
the projection and the overrun, over the selector, the API, the page and its workbook."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contracts.models import FrameworkContract
from reports.selectors import consumption

# Settled money by line: each sheet's payable in proportion to its lines' amounts (exact):
#   senior 18,000.00 (Aug) + 21,250.51 × 18,000.00 / 22,973.52 = 16,650.0031 (Sep)
#          + 14,532.59 × 21,600.00 / 25,330.14 = 12,392.5073 (Oct)
#          − 1,000.00 × 18,000.00 / 24,216.90 = −743.2826 (the adjustment, over August's lines)
#          = 46,299.2278
#   junior 6,216.90 + 4,600.5069 + 2,140.0827 − 256.7174 = 12,700.7722
# Rounded down 46,299.22 + 12,700.77 = 58,999.99; the cent left goes to the larger remainder
# (senior, .0078): 46,299.23 + 12,700.77 = 59,000.00, what the sheets settled.
SENIOR = {
    "role": "产品/平台服务",
    "level": "高级",
    "unit": "人天",
    "estimated_quantity": "60.00",
    "planned_quantity": "45.0",
    "approved_quantity": "64.0",  # 20 + 20 + 24
    "settled_quantity": "64.0",
    "settled_incl_tax": "46299.23",
    # the mean of August to October, 64 / 3, for November and December: 64 + 42.67 = 106.67
    "projected_quantity": "106.7",
}
JUNIOR = {
    "role": "技术支持",
    "level": "初级",
    "unit": "人天",
    "estimated_quantity": "50.00",
    "planned_quantity": "20.0",
    "approved_quantity": "24.0",  # 10 + 8 + 6
    "settled_quantity": "24.0",
    "settled_incl_tax": "12700.77",
    "projected_quantity": "40.0",  # 24 + 2 × 8
}


def test_each_line_with_its_settled_money_adding_up_to_the_sheets(small_year):
    contract, _order, _sheets = small_year
    report = consumption(FrameworkContract.objects.filter(pk=contract.pk))[0]
    senior, junior = report.rows
    assert (senior.settled_incl_tax, junior.settled_incl_tax) == (
        Decimal("46299.23"),
        Decimal("12700.77"),
    )
    assert report.settled_incl_tax == contract.settled_total == Decimal("59000.00")
    assert (senior.overruns, junior.overruns) == (True, False)
    assert senior.used == Decimal(64) / Decimal(60)
    assert [f"{m:%Y-%m}" for m in report.pace_months] == ["2026-08", "2026-09", "2026-10"]
    assert report.remaining_months == 2
    # 附件3 note 2 at the agreed prices: 849.06 × 60 = 50,943.60 → 54,000.22 incl.;
    # 586.50 × 50 = 29,325.00 → 31,084.50; 85,084.72 against 60,000.00: 25,084.72 above.
    assert report.estimate.excess == Decimal("25084.72")


def test_the_api_gives_the_rows(small_year, api, procurement):
    contract, _order, _sheets = small_year
    response = api(procurement).get(f"/api/v1/reports/consumption/?contract={contract.pk}")
    assert response.status_code == 200
    assert response.json() == [SENIOR, JUNIOR]


def test_another_vendors_contract_is_not_found(small_year, api, other_vendor_pm, vendor_pm):
    contract, _order, _sheets = small_year
    url = f"/api/v1/reports/consumption/?contract={contract.pk}"
    assert api(other_vendor_pm).get(url).status_code == 404
    assert api(vendor_pm).get(url).status_code == 200
    assert api(vendor_pm).get("/api/v1/reports/consumption/").status_code == 400
    assert api(vendor_pm).get("/api/v1/reports/consumption/?contract=x").status_code == 404


def test_the_page_flags_the_overrun_and_exports_numbers(small_year, client, procurement):
    contract, _order, _sheets = small_year
    client.force_login(procurement)
    page = client.get(f"/reports/consumption/?contract={contract.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="overrun-alert"' in text and "106.7" in text and "¥46,299.23" in text
    export = client.get(f"/reports/consumption/?contract={contract.pk}&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "产品/平台服务 高级"
    assert rows[1][2:6] + rows[1][7:] == (60, 54000.22, 45, 64, 64, 46299.23, 106.7, "是")
    assert rows[1][6] == pytest.approx(64 / 60)
    assert sheet.cell(2, 9).number_format == "#,##0.00"


def test_the_portfolio_lists_the_buyers_contracts(small_year, client, procurement, other_vendor_pm):
    contract, _order, _sheets = small_year
    client.force_login(procurement)
    text = client.get("/reports/consumption/").content.decode()
    assert "KJ-R" in text and "¥59,000.00" in text and "产品/平台服务 高级" in text
    client.force_login(other_vendor_pm)
    assert "KJ-R" not in client.get("/reports/consumption/").content.decode()
    assert client.get(f"/reports/consumption/?contract={contract.pk}").status_code == 404


def test_a_per_item_contract_counts_pieces(demo_users, api):
    """002 on the demo (demo/items.py): 3D手办打印（彩膜）, estimated 3,000 pieces, the order
    plans a tenth (300); August's 7 + 5 and September's 18 approved (October's 26 wait): 30;
    August's 12 settled at 300.00 scored 94 (quality 45, one complaint): 3,384.00; at the pace
    of August and September, 15 a month, for October to June (9 months): 30 + 135 = 165."""
    contract = FrameworkContract.objects.get(code="MGYY-2026-002")
    rows = api(demo_users["caigou"]).get(f"/api/v1/reports/consumption/?contract={contract.pk}")
    colour = next(row for row in rows.json() if row["role"] == "3D手办打印（彩膜）")
    assert colour == {
        "role": "3D手办打印（彩膜）",
        "level": "",
        "unit": "件",
        "estimated_quantity": "3000.00",
        "planned_quantity": "300.0",
        "approved_quantity": "30.0",
        "settled_quantity": "12.0",
        "settled_incl_tax": "3384.00",
        "projected_quantity": "165.0",
    }


def test_the_portfolio_reads_in_as_many_queries_for_any_number_of_contracts(
    small_year, other_active_contract
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contract, _order, _sheets = small_year
    counts = []
    for contracts in ([contract.pk], [contract.pk, other_active_contract.pk]):
        with CaptureQueriesContext(connection) as queries:
            consumption(FrameworkContract.objects.filter(pk__in=contracts))
        counts.append(len(queries))
    assert counts[0] == counts[1]
