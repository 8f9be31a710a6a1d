"""An invoice's steps agree on its page, in the API and in the services, in every state: the
vendor's PM or finance voids it (红字), finance or procurement records its receipt once,
procurement accepts an ordinary invoice where a special one was expected (4.3)."""

from datetime import date

import pytest

from finance.models import Invoice
from finance.services import invoice_receive, invoice_void
from tests.finance.books import invoice, signed_sheets  # noqa: F401
from tests.settlement.conftest import worked_example  # noqa: F401
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db


def special(sheets, actor):
    return invoice([sheets[1]], actor, "YQ-1", date(2026, 11, 4), "9000.00", "8490.57", "509.43")


def ordinary(sheets, actor):
    return invoice([sheets[1]], actor, "PT-1", date(2026, 11, 4), "9000.00", "8490.57", "509.43",
                   kind=Invoice.Kind.ORDINARY)  # fmt: skip


def received(sheets, actor):
    return invoice_receive(
        invoice=special(sheets, actor), actor=actor, received_on=date(2026, 11, 6)
    )


def void(sheets, actor):
    return invoice_void(invoice=special(sheets, actor), actor=actor, reason="开错")


@pytest.mark.parametrize("made", [special, ordinary, received, void], ids=lambda f: f.__name__)
def test_the_page_the_api_and_the_flow_agree(
    made, sheets, vendor_pm, other_vendor_pm, procurement, finance, clock
):
    clock(date(2026, 11, 27))
    recorded = made(sheets, finance)
    flow_agrees(
        flow=Invoice.flow,
        obj=recorded,
        page=f"/invoices/{recorded.pk}/",
        api=f"/api/v1/invoices/{recorded.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
        data={"void": {"reason": "开错"}, "receive": {"received_on": "2026-11-06"}},
    )
