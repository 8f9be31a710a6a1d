"""A settlement sheet's steps (附件7; clauses 3.3.1 and 4.6) agree on its page, in the API and
in the services: the vendor PM confirms a draft, procurement signs what the vendor confirmed,
the vendor (or finance, as received) records the invoice and corrects it until the sheet is
paid, and finance records the payment."""

from datetime import date

import pytest

from settlement.models import SettlementSheet
from settlement.services import sheet_confirm, sheet_invoice, sheet_pay, sheets_compute
from tests.settlement.conftest import OCTOBER
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = SettlementSheet.Status
INVOICED_ON = date(2026, 11, 10)


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def sheet_in(status, order, procurement, vendor_pm):
    """The order's October sheet moved along its flow up to `status`."""
    sheets_compute(order_ids=[order.pk], month=OCTOBER)
    sheet = SettlementSheet.objects.get(order=order)
    moves = [
        lambda sheet: sheet_confirm(sheet=sheet, actor=vendor_pm),
        lambda sheet: sheet_confirm(sheet=sheet, actor=procurement),
        lambda sheet: sheet_invoice(
            sheet=sheet, number="INV-1", invoiced_on=INVOICED_ON, amount=sheet.payable_incl_tax
        ),
        lambda sheet: sheet_pay(sheet=sheet, paid_on=date(2026, 12, 1)),
    ]
    for move in moves[: Status.values.index(status)]:
        sheet = move(sheet)
    return SettlementSheet.objects.get(pk=sheet.pk)


@pytest.mark.parametrize("status", Status.values)
def test_the_page_the_api_and_the_flow_agree(status, worked_example, users, procurement, vendor_pm):
    sheet = sheet_in(status, worked_example, procurement, vendor_pm)
    assert sheet.status == status
    invoice = {"number": "INV-2", "invoiced_on": "2026-11-10", "amount": "45474.95"}
    flow_agrees(
        flow=SettlementSheet.flow,
        obj=sheet,
        page=f"/settlements/{sheet.pk}/",
        api=f"/api/v1/settlements/{sheet.pk}/",
        users=users,
        data={
            "invoice": invoice,
            "correct-invoice": {**invoice, "reason": "发票号码录错"},
            "pay": {"paid_on": "2026-12-01"},
        },
    )
