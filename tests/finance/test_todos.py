"""What an invoice or a payment waits on is on the acting role's to-do and on nobody else's: the
vendor's PM issues the invoice of a signed sheet (3.3.1), finance receives an issued one (4.7)
and pays within 30 working days of receipt (4.6: due within 5 working days, then overdue),
procurement accepts an ordinary invoice where 4.3 expects a special one."""

from datetime import date

import pytest

from dashboard.selectors import dashboard
from finance.models import Invoice
from finance.services import invoice_accept_ordinary, invoice_receive
from tests.finance.books import (  # noqa: F401
    DECEMBER_17,
    NOVEMBER_27,
    december_books,
    november_books,
    signed_sheets,
)
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(procurement, finance, vendor_pm, other_vendor_pm):
    return {
        "procurement": procurement,
        "finance": finance,
        "vendor": vendor_pm,
        "other vendor": other_vendor_pm,
    }


def seen(people, url, today) -> dict[str, set]:
    """Per person, the to-dos that list `url`: {title: late}."""
    return {
        name: {
            str(todo.title): item.late
            for todo in dashboard(user=user, today=today)
            for item in todo.items
            if item.url == url
        }
        for name, user in people.items()
    }


def waits_on(people, url, today) -> dict:
    """Only the people something waits on, with what."""
    return {name: todos for name, todos in seen(people, url, today).items() if todos}


def test_a_signed_sheet_waits_on_the_vendors_invoice_late_after_ten_working_days(sheets, people):
    """Signed on Monday 2 November: the invoice is due by Monday 16 November."""
    url = f"/settlements/{sheets[0].pk}/"

    assert waits_on(people, url, date(2026, 11, 16)) == {"vendor": {"待开票": False}}
    assert waits_on(people, url, date(2026, 11, 17)) == {"vendor": {"待开票": True}}


def test_an_issued_ordinary_invoice_waits_on_finances_receipt_and_procurements_acceptance(
    books, people, finance, procurement, clock
):
    """YQ-0003, issued Monday 9 November, was to be delivered by Monday 23 November: late on
    Friday 27 November. Received, it is no more finance's; accepted, no more procurement's."""
    ordinary = Invoice.objects.get(number="YQ-0003")
    url = f"/invoices/{ordinary.pk}/"

    assert waits_on(people, url, NOVEMBER_27) == {
        "finance": {"待收取的发票": True},
        "procurement": {"待认可的普通发票": False},
    }

    clock(date(2026, 11, 30))
    invoice_receive(invoice=ordinary, actor=finance, received_on=date(2026, 11, 30))
    assert waits_on(people, url, NOVEMBER_27) == {"procurement": {"待认可的普通发票": False}}
    invoice_accept_ordinary(invoice=ordinary, actor=procurement)
    assert waits_on(people, url, NOVEMBER_27) == {}


def test_a_payment_waits_on_finance_from_five_working_days_before_it_is_due(december, people):
    """On Thursday 17 December, five working days ahead is Thursday 24 December (18, 21, 22,
    23, 24): B and D (due the 17th) are due, C (the 25th) not yet, A (the 16th) overdue. On
    Friday 18 December, C's 25 December is within the five (21–25)."""
    a, b, c, d = december
    url = "/settlements/{}/".format

    assert waits_on(people, url(b.pk), DECEMBER_17) == {"finance": {"5个工作日内到期的付款": False}}
    assert waits_on(people, url(d.pk), DECEMBER_17) == {"finance": {"5个工作日内到期的付款": False}}
    assert waits_on(people, url(c.pk), DECEMBER_17) == {}
    assert waits_on(people, url(c.pk), date(2026, 12, 18)) == {
        "finance": {"5个工作日内到期的付款": False}
    }
    assert waits_on(people, url(a.pk), DECEMBER_17) == {"finance": {"逾期未付款": True}}
    overdue = next(
        item
        for todo in dashboard(user=people["finance"], today=DECEMBER_17)
        for item in todo.items
        if item.url == url(a.pk)
    )
    # What is left, 45,474.95 − 25,000.00, and the deadline.
    assert overdue.detail == "¥20,474.95 · 截止 2026-12-16"
