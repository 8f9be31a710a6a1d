"""The contract page counts its failed rectifications beside the open and overdue ones; at
more than 3 failed it says the buyer may terminate without liability under 2.10 and offers
that termination to procurement."""

import re
from datetime import date

import pytest

from tests.governance.conftest import failed, issued
from tests.pages import browser

pytestmark = pytest.mark.django_db
TERMINATE = "/contracts/{}/terminate/?kind=breach&amp;clause=2.10"


def figures(page: str) -> dict:
    return dict(re.findall(r'data-figure="(\w+)">(\d+)<', page))


def test_three_failed_are_counted_without_the_right_to_terminate(
    procurement, vendor_pm, order, active_contract
):
    for _ in range(3):
        failed(order, procurement, vendor_pm)
    issued(order, procurement, day=date(2026, 1, 5))  # due 12 January: overdue

    page = browser(procurement).get(f"/contracts/{active_contract.pk}/").content.decode()

    assert figures(page) == {"failed": "3", "open": "1", "overdue": "1", "answered": "0"}
    assert 'data-role="termination-right"' not in page


def test_a_fourth_failure_gives_the_buyer_the_right_to_terminate(
    procurement, vendor_pm, order, active_contract
):
    for _ in range(4):
        failed(order, procurement, vendor_pm)

    buyer_page = browser(procurement).get(f"/contracts/{active_contract.pk}/").content.decode()
    vendor_page = browser(vendor_pm).get(f"/contracts/{active_contract.pk}/").content.decode()

    assert figures(buyer_page)["failed"] == "4"
    assert 'data-role="termination-right"' in buyer_page
    assert "依合同第2.10条，甲方有权解除合同并不承担任何违约责任" in buyer_page
    assert TERMINATE.format(active_contract.pk) in buyer_page
    # The vendor is told, and offered nothing.
    assert 'data-role="termination-right"' in vendor_page
    assert TERMINATE.format(active_contract.pk) not in vendor_page
