"""The demo's 003 carries an amendment in force re-pricing 技术支持 高级 from October 2026, which
leaves its September sheet at the old price, and a draft waiting for the vendor."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Amendment, FrameworkContract
from settlement.models import SheetLine

pytestmark = pytest.mark.django_db


def test_003_has_an_amendment_in_force_from_october_and_a_draft(demo_users):
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    assert [(a.number, a.status, a.effective_from) for a in contract.amendments.all()] == [
        (1, Amendment.Status.IN_FORCE, date(2026, 10, 1)),
        (2, Amendment.Status.DRAFT, date(2026, 12, 1)),
    ]
    senior_support = ("技术支持", "高级")
    assert contract.prices_on(date(2026, 9, 30))[senior_support] == Decimal("1221.45")
    assert contract.prices_on(date(2026, 10, 1))[senior_support] == Decimal("1132.08")
    # September's sheet keeps 1,221.45 × 1.06 = 1,294.737 → 1,294.74 a day.
    september = SheetLine.objects.filter(
        sheet__contract=contract, sheet__month=date(2026, 9, 1), item="技术支持", level="高级"
    )
    assert {line.unit_price_incl_tax for line in september} == {Decimal("1294.74")}
    # The draft changes nothing yet.
    assert (contract.ceiling_incl_tax, contract.end_date) == (
        Decimal("17627800.00"),
        date(2027, 1, 4),
    )
