"""A list page as its users work it: search by the names they type, sort by a column and back,
page through keeping the filter, export what they see (core/lists.py), read "全部" in the
filters, and read money one way (¥1,234,567.89)."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from openpyxl import load_workbook

from tests.factories import BuyerFactory, ContractFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def codes(response) -> list[str]:
    """The contract codes of the page's table, top to bottom, as the user reads them."""
    table = response.content.decode().split('id="contracts"')[1].split("</table>")[0]
    return re.findall(r'<a href="/contracts/\d+/">([^<]+)</a>', table)


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows())


@pytest.fixture
def yunqi(buyer, procurement):
    """A vendor that works for two buyers: 咪咕 (procurement's) and another."""
    vendor = OrganizationFactory(name="成都云启数字科技有限公司")
    mine = [
        ContractFactory(
            buyer=buyer,
            vendor=vendor,
            code="YQ-B",
            name="彩铃支撑",
            ceiling_incl_tax=Decimal("500000.00"),
        ),
        ContractFactory(
            buyer=buyer,
            vendor=vendor,
            code="YQ-A",
            name="AIGC试点",
            ceiling_incl_tax=Decimal("1250000.50"),
        ),
    ]
    ContractFactory(buyer=BuyerFactory(name="萍乡市安源区就业服务中心"), vendor=vendor, code="AY-1")
    return mine


def test_the_search_finds_a_vendors_contracts_by_its_name_and_never_another_buyers(
    procurement, yunqi, other_contract
):
    found = browser(procurement).get("/contracts/", {"q": "云启"})

    assert found.status_code == 200
    assert sorted(codes(found)) == ["YQ-A", "YQ-B"]  # not AY-1, the other buyer's
    # Codes and names too, case-insensitively, as people type them.
    assert codes(browser(procurement).get("/contracts/", {"q": "yq-a"})) == ["YQ-A"]
    assert codes(browser(procurement).get("/contracts/", {"q": "彩铃"})) == ["YQ-B"]


def test_a_column_sorts_ascending_then_descending_with_an_arrow(procurement, yunqi):
    ContractFactory(buyer=yunqi[0].buyer, code="XH-1", ceiling_incl_tax=Decimal("500000.00"))
    client = browser(procurement)

    page = client.get("/contracts/")
    assert 'href="?ordering=ceiling"' in page.content.decode()

    ascending = client.get("/contracts/", {"ordering": "ceiling"})
    # 500,000.00 twice (the earlier contract first), then 1,250,000.50.
    assert codes(ascending) == ["YQ-B", "XH-1", "YQ-A"]
    html = ascending.content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'href="?ordering=-ceiling"' in html  # the next click turns it around

    descending = client.get("/contracts/", {"ordering": "-ceiling"})
    assert codes(descending) == ["YQ-A", "XH-1", "YQ-B"]
    assert 'aria-sort="descending"' in descending.content.decode()

    assert codes(client.get("/contracts/", {"ordering": "name"}))[0] == "YQ-A"  # "AIGC…"
    by_vendor = codes(client.get("/contracts/", {"ordering": "-vendor", "q": "云启"}))
    assert by_vendor == ["YQ-A", "YQ-B"]  # one vendor: the tie goes by id, turned around


def test_only_the_columns_on_the_page_sort(procurement, yunqi):
    refused = browser(procurement).get("/contracts/", {"ordering": "buyer__name"})

    assert refused.status_code == 400
    assert "排序" in refused.content.decode()
    assert codes(refused) == []


def test_pages_keep_the_search_and_the_order(procurement, buyer):
    vendor = OrganizationFactory(name="成都云启数字科技有限公司")
    for n in range(23):
        ContractFactory(buyer=buyer, vendor=vendor, code=f"YQ-{n:02d}")
    ContractFactory(buyer=buyer, code="XH-00")
    client = browser(procurement)

    first = client.get("/contracts/", {"q": "云启", "ordering": "code"})
    assert codes(first) == [f"YQ-{n:02d}" for n in range(20)]
    assert 'href="?q=%E4%BA%91%E5%90%AF&ordering=code&page=2"' in first.content.decode()

    second = client.get("/contracts/", {"q": "云启", "ordering": "code", "page": 2})
    assert codes(second) == ["YQ-20", "YQ-21", "YQ-22"]


def test_the_export_holds_every_row_of_the_selection_typed(procurement, buyer):
    vendor = OrganizationFactory(name="成都云启数字科技有限公司")
    for n in range(23):
        ContractFactory(
            buyer=buyer,
            vendor=vendor,
            code=f"YQ-{n:02d}",
            ceiling_incl_tax=Decimal("1000000.00") + n,
        )
    ContractFactory(buyer=buyer, code="XH-00")
    client = browser(procurement)
    query = {"q": "云启", "ordering": "-ceiling"}
    page = client.get("/contracts/", query)
    assert "export=xlsx" in page.content.decode()

    exported = client.get("/contracts/", {**query, "export": "xlsx"})

    assert "attachment" in exported["Content-Disposition"]
    header, *rows = workbook_rows(exported)
    assert [cell.value for cell in header] == [
        "编号",
        "名称",
        "乙方",
        "开始日期",
        "结束日期",
        "含税上限总价",
        "可用额度",
        "状态",
    ]
    # Every row, not only the page's 20, in the page's order.
    assert [row[0].value for row in rows] == [f"YQ-{n:02d}" for n in range(22, -1, -1)]
    assert codes(page) == [row[0].value for row in rows[:20]]
    first = rows[0]
    assert first[2].value == "成都云启数字科技有限公司"
    assert first[3].is_date and first[3].value.date() == date(2026, 1, 1)
    ceiling, free = first[5], first[6]
    assert ceiling.value == 1000022.00 and ceiling.data_type == "n"  # 1,000,000.00 + 22
    assert ceiling.number_format == free.number_format == "#,##0.00"


def test_an_export_with_a_refused_filter_sends_no_file(procurement, yunqi):
    refused = browser(procurement).get("/contracts/", {"ordering": "nope", "export": "xlsx"})

    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("text/html")


def test_the_api_sorts_and_searches_with_the_same_names(procurement, yunqi, api):
    answer = api(procurement).get("/api/v1/contracts/", {"q": "云启", "ordering": "-ceiling"})

    assert answer.status_code == 200
    assert [row["code"] for row in answer.json()["results"]] == ["YQ-A", "YQ-B"]
    assert api(procurement).get("/api/v1/contracts/", {"ordering": "secret"}).status_code == 400


def test_empty_choices_read_all_and_the_vendor_filter_offers_vendors_only(
    procurement, buyer, contract
):
    html = browser(procurement).get("/contracts/").content.decode()

    assert "---------" not in html
    assert '<option value="" selected>全部</option>' in html
    vendor_select = html.split('name="vendor"')[1].split("</select>")[0]
    assert contract.vendor.name in vendor_select
    assert buyer.name not in vendor_select


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234567.891"), "¥1,234,567.89"),
        (Decimal("0.005"), "¥0.01"),  # half-up
        (Decimal("-12.3"), "-¥12.30"),
        (None, ""),
    ],
)
def test_pages_print_money_one_way(value, shown):
    assert Template("{% load money %}{{ v|money }}").render(Context({"v": value})) == shown


def test_the_attachments_keep_their_own_layout():
    """附件6/7 write ￥…元 around a figure and bare figures in table cells: the PDFs use the
    figure alone, never the pages' ¥."""
    assert (
        Template("{% load money %}￥{{ v|amount }}元").render(Context({"v": Decimal("1234.5")}))
        == "￥1,234.50元"
    )
    templates = Path(settings.BASE_DIR, "templates")
    for pdf in templates.glob("*/*_pdf.html"):
        assert "|money" not in pdf.read_text(), pdf.name
