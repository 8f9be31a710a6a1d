"""A list page's filter that is invalid (a month that is no month, an unknown status, another
vendor's contract) shows no row and says why, with a 400, as the API does; the ledger download
sends no file. django-filter's `.qs` skipped the bad filter and showed every row."""

import pytest

from settlement.models import SettlementSheet
from settlement.services import settlements_compute
from tests.pages import browser
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sheet(worked_example):
    settlements_compute(month=OCTOBER)
    return SettlementSheet.objects.get()


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("month=2026-13", "月份："),
        ("month=abc", "月份："),
        ("status=nonsense", "状态："),
        ("contract=999999", "合同："),
    ],
)
def test_an_invalid_ledger_filter_shows_nothing_and_says_why(finance, sheet, query, problem):
    client = browser(finance)

    page = client.get(f"/settlements/?{query}")
    download = client.get(f"/settlements/ledger/?{query}")

    for answer in (page, download):
        assert answer.status_code == 400
        assert answer["Content-Type"].startswith("text/html")
        text = answer.content.decode()
        assert "筛选条件有误，未应用：" in text and problem in text
        assert sheet.order.number not in text
    for listed in ("", "?month=2026-10"):
        assert sheet.order.number in client.get(f"/settlements/{listed}").content.decode()
    download = client.get("/settlements/ledger/?month=2026-10")
    assert (download.status_code, download["Content-Type"]) == (200, XLSX)


def test_another_vendors_contract_is_an_invalid_filter_for_a_vendor(
    vendor_pm, other_vendor_pm, sheet
):
    """As the API answers: another vendor's contract is a choice that does not exist."""
    page = browser(other_vendor_pm).get(f"/settlements/?contract={sheet.contract_id}")

    assert page.status_code == 400
    assert sheet.order.number not in page.content.decode()
    mine = browser(vendor_pm).get(f"/settlements/?contract={sheet.contract_id}")
    assert sheet.order.number in mine.content.decode()


@pytest.mark.parametrize(
    ("path", "query", "row"),
    [
        ("/contracts/", "status=nonsense", 'href="/contracts/{contract}/"'),
        ("/orders/", "status=nonsense", 'href="/orders/{order}/"'),
        ("/orders/", "active_on=2026-02-30", 'href="/orders/{order}/"'),
        ("/worklogs/", "month=2026-13", 'href="/orders/{order}/worklog/2026-10/"'),
    ],
)
def test_the_other_list_pages_refuse_an_invalid_filter_too(vendor_pm, sheet, path, query, row):
    client = browser(vendor_pm)
    row = row.format(contract=sheet.contract_id, order=sheet.order_id)

    answer = client.get(f"{path}?{query}")

    assert answer.status_code == 400
    text = answer.content.decode()
    assert "筛选条件有误，未应用：" in text
    assert row not in text
    assert row in client.get(path).content.decode()
