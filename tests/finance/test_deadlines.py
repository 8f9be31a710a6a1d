"""An invoice's deadlines worked out by hand on the calendar: delivered within 10 working days of
issue (4.7), paid within 30 working days of the buyer's receipt (4.6), across the National Day
holiday; and, when a year is published again, each moves and is listed (SPEC §9)."""

from datetime import date

import pytest

from core.models import Organization
from finance.models import Invoice
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.core.test_calendar import LONGER_NEW_YEAR, publish
from tests.finance.books import BUYER_TAX_ID, VENDOR_TAX_ID, invoice, signed_sheets  # noqa: F401
from tests.settlement.conftest import (
    approved_log,
    confirmed_score,
    issued,
    worked_example,  # noqa: F401
)
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 1)


@pytest.fixture
def september(active_contract, procurement, vendor_pm, clock):
    """10 senior days of September at 900.00, scored 100: 9,000.00; signed Monday 28 September
    2026."""
    Organization.objects.filter(pk=active_contract.buyer_id).update(tax_id=BUYER_TAX_ID)
    Organization.objects.filter(pk=active_contract.vendor_id).update(tax_id=VENDOR_TAX_ID)
    order = issued(active_contract)
    approved_log(order, SEPTEMBER, [(member(active_contract, 1), "10")], procurement)
    confirmed_score(order, SEPTEMBER, "50", procurement, vendor_pm)
    clock(date(2026, 9, 28))
    settlements_compute(month=SEPTEMBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    return sheet_confirm(sheet=sheet, actor=procurement)


def test_the_deadlines_across_the_national_day_holiday(september, finance):
    """2026: 中秋 Friday 25 September off; 国庆 1–7 October off (Thursday 1, Friday 2, Monday
    5 – Wednesday 7 on weekdays); Sunday 20 September and Saturday 10 October are working days
    (调休).

    Issued and received Monday 28 September:
    - delivery, 10 working days (4.7): 29, 30 September (2), 8, 9, 10 October (5), 12–16 October
      (10) → Friday 16 October; the sheet's own invoice deadline from its signing that day too;
    - payment, 30 working days from receipt (4.6): 29, 30 September (2), 8, 9, 10 October (5),
      12–16 (10), 19–23 (15), 26–30 October (20), 2–6 (25), 9–13 November (30) → Friday 13
      November."""
    recorded = invoice([september], finance, "YQ-0928", date(2026, 9, 28), "9000.00",
                       "8490.57", "509.43", received_on=date(2026, 9, 28))  # fmt: skip

    assert (recorded.delivery_due_by, recorded.payment_due_by) == (
        date(2026, 10, 16),
        date(2026, 11, 13),
    )
    sheet = SettlementSheet.objects.get(pk=september.pk)
    assert (sheet.invoice_due_by, sheet.payment_due_by) == (date(2026, 10, 16), date(2026, 11, 13))


def test_publishing_a_year_moves_an_invoices_deadlines_and_lists_each(
    sheets, finance, procurement, clock
):
    """A invoiced Thursday 24 December 2026, received Monday 28 December, both deadlines in the
    provisional 2027 (1 January, and 5, 8–10 February for 春节, off):
    - delivery: 25, 28–31 December (5), 4–8 January (10) → Friday 8 January;
    - payment: 29–31 December (3), 4–8 (8), 11–15 (13), 18–22 (18), 25–29 January (23), 1–4
      February (27), 11, 12, 15 February (30) → Monday 15 February.
    The notice gives Monday 4 January off as well: each is one working day later, 11 January and
    16 February, the sheet's payment due with it; each move listed for the buyer."""
    clock(date(2026, 12, 28))
    a = sheets[0]
    recorded = invoice([a], finance, "YQ-1224", date(2026, 12, 24), "45474.95", "42900.90",
                       "2574.05", received_on=date(2026, 12, 28))  # fmt: skip
    assert (recorded.delivery_due_by, recorded.payment_due_by) == (
        date(2027, 1, 8),
        date(2027, 2, 15),
    )

    publication = publish(procurement, **LONGER_NEW_YEAR)

    recorded = Invoice.objects.get(pk=recorded.pk)
    assert (recorded.delivery_due_by, recorded.payment_due_by) == (
        date(2027, 1, 11),
        date(2027, 2, 16),
    )
    assert SettlementSheet.objects.get(pk=a.pk).payment_due_by == date(2027, 2, 16)
    assert [(f.text, f.url) for f in publication.findings] == [
        ("发票 YQ-1224：送达期限改为 2027-01-11（原为 2027-01-08）。", f"/invoices/{recorded.pk}/"),
        ("发票 YQ-1224：付款期限改为 2027-02-16（原为 2027-02-15）。", f"/invoices/{recorded.pk}/"),
    ]
    assert {f.buyer_id for f in publication.findings} == {a.contract.buyer_id}
