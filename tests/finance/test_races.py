"""Invoices and payments done at once (the house pattern of tests/test_races.py: threads released
at a barrier, each posting through the API as its user would): two finance users paying one
sheet never pay it past what its invoices charge; a void and a payment never leave a payment
without its invoice; two invoices of one sheet never cover it twice; the same code+number on
two contracts at once is recorded once, the other refused (400 or 409), never a 500."""

import itertools
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import User
from finance.models import Invoice, Payment
from finance.services import invoice_record, sheet_balance
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm
from tests.factories import UserFactory
from tests.test_races import Desk, active, race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RUNS = 20
NUMBERS = itertools.count(1)


@pytest.fixture
def desk(buyer, vendor, procurement, vendor_pm, api):
    return Desk(active(buyer, vendor), procurement, vendor_pm, api)


@pytest.fixture
def finance_pair(buyer):
    return [
        UserFactory(username=f"caiwu{n}", role=User.Role.FINANCE, organization=buyer)
        for n in (1, 2)
    ]


def signed(desk) -> SettlementSheet:
    """A sheet of 4 senior days at 900.00 scored 100: 3,600.00 (3,396.23 excl., 203.77 tax)."""
    return sheet_confirm(sheet=desk.confirmed(), actor=desk.procurement)


def invoiced(desk) -> SettlementSheet:
    sheet = signed(desk)
    invoice_record(**whole(sheet), actor=desk.vendor_pm)
    return sheet


def whole(sheet, number=None) -> dict:
    """The sheet's whole invoice at its rate, issued today, the parties as the contract's."""
    contract = sheet.contract
    return {
        "sheets": [sheet],
        "kind": "special",
        "number": number or f"R-{next(NUMBERS)}",
        "issued_on": timezone.localdate(),
        "amount_incl_tax": sheet.payable_incl_tax,
        "amount_excl_tax": sheet.payable_excl_tax,
        "tax_rate": sheet.tax_rate,
        "tax_amount": sheet.tax_amount,
        "seller_tax_id": contract.vendor.tax_id,
        "buyer_name": contract.buyer.name,
        "buyer_tax_id": contract.buyer.tax_id,
    }


def posted(sheet, number) -> dict:
    return {
        **{key: str(value) for key, value in whole(sheet, number).items() if key != "sheets"},
        "sheets": [sheet.pk],
    }


def payment(sheet, amount) -> dict:
    return {
        "sheet": sheet.pk,
        "paid_on": str(timezone.localdate()),
        "amount": amount,
        "voucher_number": "记",
    }


def never_overpaid(sheet):
    balance = sheet_balance(sheet)
    assert balance.paid <= balance.owed, (balance.paid, balance.owed)


def test_two_finance_users_paying_one_sheet_never_overpay_it(desk, finance_pair):
    """Each pays 2,000.00 of the 3,600.00: one is recorded, the other refused naming the
    1,600.00 left; each pays all 3,600.00: one, the other finds it paid (409)."""
    outcomes = Counter()
    for run in range(RUNS):
        sheet = invoiced(desk)
        amount = "2000.00" if run % 2 else "3600.00"
        answered = race(
            *(desk.post(user, "payments/", payment(sheet, amount)) for user in finance_pair)
        )
        assert sorted(answered) == ([201, 400] if run % 2 else [201, 409]), answered
        assert Payment.objects.filter(sheet=sheet).count() == 1
        never_overpaid(sheet)
        outcomes[SettlementSheet.objects.get(pk=sheet.pk).status] += 1
    assert outcomes == {"invoiced": RUNS // 2, "paid": RUNS // 2}


def test_a_void_and_a_payment_at_once_never_leave_a_payment_without_its_invoice(desk, finance_pair):
    outcomes = Counter()
    for _run in range(RUNS):
        sheet = invoiced(desk)
        recorded = Invoice.objects.get(parts__sheet=sheet)
        answered = race(
            desk.post(desk.vendor_pm, f"invoices/{recorded.pk}/void/", {"reason": "开错"}),
            desk.post(finance_pair[0], "payments/", payment(sheet, "1000.00")),
        )
        recorded.refresh_from_db()
        paid = Payment.objects.filter(sheet=sheet).exists()
        assert (recorded.status, paid) in {("void", False), ("recorded", True)}, answered
        assert sorted(answered) in ([200, 409], [201, 409]), answered
        never_overpaid(sheet)
        outcomes[recorded.status] += 1
    print(f"void × pay: {dict(outcomes)}")


def test_two_invoices_of_one_sheet_at_once_cover_it_once(desk, vendor, finance_pair):
    second_pm = UserFactory(username="pm-b", role=User.Role.VENDOR_PM, organization=vendor)
    for _run in range(RUNS):
        sheet = signed(desk)
        answered = race(
            desk.post(desk.vendor_pm, "invoices/", posted(sheet, f"A-{next(NUMBERS)}")),
            desk.post(second_pm, "invoices/", posted(sheet, f"B-{next(NUMBERS)}")),
        )
        assert sorted(answered) == [201, 409], answered
        parts = sheet.invoice_parts.all()
        assert sum((part.amount_incl_tax for part in parts), Decimal(0)) == sheet.payable_incl_tax


def test_one_code_and_number_on_two_contracts_at_once_is_recorded_once(
    desk, buyer, vendor, procurement, vendor_pm, api
):
    """Two contracts lock apart: only the unique constraint sees both; the loser is refused
    with the message (409 when it lost at the constraint, 400 when it saw the winner)."""
    other = Desk(active(buyer, vendor), procurement, vendor_pm, api)
    codes = []
    for _run in range(RUNS):
        number = f"S-{next(NUMBERS)}"
        one, two = signed(desk), signed(other)
        answered = race(
            desk.post(vendor_pm, "invoices/", posted(one, number)),
            desk.post(vendor_pm, "invoices/", posted(two, number)),
        )
        codes += answered
        assert sorted(answered) in ([201, 400], [201, 409]), answered
        assert Invoice.objects.filter(number=number).count() == 1
    print(f"code+number × 2: {Counter(codes)}")
