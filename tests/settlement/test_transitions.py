"""A settlement sheet's steps (附件7; clause 3.3.1) agree on its page, in the API and in the
services, in every state: the vendor PM confirms a draft, procurement signs what the vendor
confirmed. Invoiced and paid are no steps: they sum up the sheet's invoices and payments
(tests/finance)."""

from datetime import date

import pytest

from finance.services import sheet_invoice, sheet_pay
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm, sheets_compute
from tests.settlement.conftest import OCTOBER
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = SettlementSheet.Status
INVOICED_ON = date(2026, 11, 10)


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def sheet_in(status, order, procurement, vendor_pm, finance):
    """The order's October sheet moved up to `status`, signed, invoiced and paid on
    INVOICED_ON."""
    sheets_compute(order_ids=[order.pk], month=OCTOBER)
    sheet = SettlementSheet.objects.get(order=order)
    moves = [
        lambda sheet: sheet_confirm(sheet=sheet, actor=vendor_pm),
        lambda sheet: sheet_confirm(sheet=sheet, actor=procurement),
        lambda sheet: sheet_invoice(
            sheet=sheet,
            actor=vendor_pm,
            number="INV-1",
            invoiced_on=INVOICED_ON,
            amount=sheet.payable_incl_tax,
        ),
        lambda sheet: sheet_pay(sheet=sheet, actor=finance, paid_on=INVOICED_ON),
    ]
    for move in moves[: Status.values.index(status)]:
        sheet = move(sheet)
    return SettlementSheet.objects.get(pk=sheet.pk)


@pytest.mark.parametrize("status", Status.values)
def test_the_page_the_api_and_the_flow_agree(
    status, worked_example, users, procurement, vendor_pm, finance, clock
):
    clock(INVOICED_ON)
    sheet = sheet_in(status, worked_example, procurement, vendor_pm, finance)
    assert sheet.status == status
    flow_agrees(
        flow=SettlementSheet.flow,
        obj=sheet,
        page=f"/settlements/{sheet.pk}/",
        api=f"/api/v1/settlements/{sheet.pk}/",
        users=users,
    )
