"""Every list page on the demo's data: each column sorts both ways (the API alike), the search
finds a vendor by the name people type, and the export holds the rows the page shows, typed."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from assessment.filters import TEMPLATES
from contracts.filters import CONTRACTS
from contracts.models import FrameworkContract
from core.models import User
from finance.filters import INVOICES, PAYMENTS
from orders.filters import ORDERS
from orders.models import Order
from settlement.filters import SHEETS
from settlement.models import SettlementSheet
from staffing.filters import ROSTER
from staffing.models import StaffMember
from worklogs.filters import WORKLOGS
from worklogs.models import WorkLog

pytestmark = pytest.mark.django_db

YUNQI = "成都云启数字科技有限公司（演示）"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def browser(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def first_links(response, table_id) -> list[str]:
    """The first link of each row of a table, top to bottom, as the user reads them."""
    table = response.content.decode().split(f'id="{table_id}"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [
        re.search(r"<a href=\"[^\"]+\">(?:<strong>)?([^<]+)", row).group(1)
        for row in body.split("<tr>")[1:]
        if "<a href" in row
    ]


def sheet_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows())


def roster_url():
    return f"/contracts/{FrameworkContract.objects.get(code='MGYY-2026-003').pk}/staff/"


LISTS = [
    ("/contracts/", CONTRACTS, "/api/v1/contracts/"),
    ("/orders/", ORDERS, "/api/v1/orders/"),
    ("/worklogs/", WORKLOGS, "/api/v1/worklogs/"),
    ("/settlements/", SHEETS, "/api/v1/settlements/"),
    ("/assessment-templates/", TEMPLATES, None),
    (roster_url, ROSTER, "/api/v1/staff/"),
    ("/finance/invoices/", INVOICES, "/api/v1/invoices/"),
    ("/finance/payments/", PAYMENTS, "/api/v1/payments/"),
]


def test_every_list_sorts_by_each_of_its_columns_both_ways(demo, api):
    client = browser("caigou")
    caigou = api(User.objects.get(username="caigou"))
    for url, table, endpoint in LISTS:
        url = url() if callable(url) else url
        for column in table.sortable:
            for ordering in (column.key, f"-{column.key}"):
                page = client.get(url, {"ordering": ordering})
                assert page.status_code == 200, (url, ordering)
                html = page.content.decode()
                assert 'aria-sort="' in html
                assert "---------" not in html  # an empty choice reads 全部
                if endpoint:
                    answer = caigou.get(endpoint, {"ordering": ordering})
                    assert answer.status_code == 200, (endpoint, ordering)


def test_orders_sort_by_money_and_name_and_search_by_vendor(demo):
    client = browser("caigou")
    orders = list(Order.objects.filter(contract__buyer__name="咪咕音乐有限公司"))
    by_planned = [o.number for o in sorted(orders, key=lambda o: (o.planned_amount, o.pk))]

    assert first_links(client.get("/orders/", {"ordering": "planned"}), "orders") == by_planned
    descending = first_links(client.get("/orders/", {"ordering": "-planned"}), "orders")
    assert descending == by_planned[::-1]
    by_name = [o.number for o in sorted(orders, key=lambda o: (o.name, o.pk))]
    assert first_links(client.get("/orders/", {"ordering": "name"}), "orders") == by_name

    found = first_links(client.get("/orders/", {"q": "云启"}), "orders")
    assert found
    assert sorted(found) == sorted(o.number for o in orders if o.contract.vendor.name == YUNQI)


def test_the_order_export_is_the_pages_rows_typed(demo):
    client = browser("caigou")
    query = {"q": "云启", "ordering": "-planned"}
    shown = first_links(client.get("/orders/", query), "orders")

    header, *rows = sheet_of(client.get("/orders/", {**query, "export": "xlsx"}))

    assert [cell.value for cell in header][:4] == ["订单编号", "名称", "合同", "乙方"]
    assert [row[0].value for row in rows] == shown
    for row in rows:
        order = Order.objects.get(number=row[0].value)
        start, planned = row[4], row[6]
        assert start.is_date and start.value.date() == order.service_start
        assert planned.data_type == "n" and planned.number_format == "#,##0.00"
        assert f"{planned.value:.2f}" == f"{order.planned_amount}"


def test_the_district_buyer_never_finds_another_buyers_orders(demo):
    """安源's procurement types 云启, a vendor of 咪咕 only: nothing of 咪咕's appears."""
    client = browser("anyuan")

    assert first_links(client.get("/orders/", {"q": "云启"}), "orders") == []
    assert first_links(client.get("/contracts/", {"q": "MGYY"}), "contracts") == []


def test_worklogs_search_by_vendor_and_person_and_export_numbers(demo):
    client = browser("caigou")
    logs = WorkLog.objects.filter(order__contract__vendor__name=YUNQI)
    found = first_links(client.get("/worklogs/", {"q": "云启"}), "worklogs")
    assert len(found) == logs.count() > 0

    person = StaffMember.objects.filter(worklog_lines__isnull=False).first()
    by_person = first_links(client.get("/worklogs/", {"q": person.name}), "worklogs")
    assert by_person and set(by_person) <= {
        log.order.number for log in WorkLog.objects.filter(lines__staff=person)
    }

    header, *rows = sheet_of(client.get("/worklogs/", {"q": "云启", "export": "xlsx"}))
    assert [cell.value for cell in header][:3] == ["订单", "订单名称", "乙方"]
    assert len(rows) == logs.count()
    assert all(row[3].is_date and row[4].data_type == "n" for row in rows)


def test_settlements_sort_by_payable_and_search_by_vendor(demo):
    client = browser("caiwu")
    sheets = list(SettlementSheet.objects.filter(contract__buyer__name="咪咕音乐有限公司"))
    by_payable = sorted(sheets, key=lambda s: (s.payable_incl_tax, s.pk))

    page = client.get("/settlements/", {"ordering": "-payable"})
    shown = first_links(page, "sheets")
    assert shown == [s.order.number for s in by_payable[::-1]]
    assert f"¥{by_payable[-1].payable_incl_tax:,.2f}" in page.content.decode()

    found = first_links(client.get("/settlements/", {"q": "云启"}), "sheets")
    assert len(found) == sum(s.contract.vendor.name == YUNQI for s in sheets) > 0


def test_the_roster_sorts_searches_and_exports(demo):
    client = browser("caigou")
    url = roster_url()
    staff = list(StaffMember.objects.filter(contract__code="MGYY-2026-003"))
    by_years = [m.name for m in sorted(staff, key=lambda m: (-m.years_experience, -m.pk))]

    assert first_links(client.get(url, {"ordering": "-years"}), "roster") == by_years
    someone = staff[0].name
    assert first_links(client.get(url, {"q": someone[:2]}), "roster") == [
        m.name for m in staff if someone[:2] in m.name
    ]

    header, *rows = sheet_of(client.get(url, {"ordering": "-years", "export": "xlsx"}))
    assert [cell.value for cell in header][:3] == ["名称", "岗位职责", "级别"]
    assert [row[0].value for row in rows] == by_years
    assert rows[0][6].data_type == "n" and rows[0][7].is_date


def test_the_template_list_exports(demo):
    header, *rows = sheet_of(browser("caigou").get("/assessment-templates/", {"export": "xlsx"}))

    assert [cell.value for cell in header] == [
        "名称",
        "版本",
        "合计",
        "考核周期（月）",
        "状态",
        "合同",
    ]
    assert rows and all(row[1].data_type == "n" for row in rows)
