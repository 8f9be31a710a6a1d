"""The invoices and payments recorded on the sheets themselves before they were records
(finance 0003), carried over: each invoice number of a contract becomes an invoice covering its
sheets at their amounts (special, electronic, received the day issued), each paid sheet a
transfer of its payable (voucher 迁移); run on the suite's database (SQLite or PostgreSQL)."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from finance.models import Invoice, InvoiceSheet, Payment
from finance.services import sheet_balance
from settlement.models import SettlementSheet
from tests.finance.books import signed_sheets  # noqa: F401
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db

migration = import_module("finance.migrations.0003_invoices_and_payments_from_sheets")


def as_before(sheet, status, number, invoiced_on, paid_on=None):
    """The sheet as the old `invoice/` and `pay/` left it: its fields, no records."""
    SettlementSheet.objects.filter(pk=sheet.pk).update(
        status=status,
        invoice_number=number,
        invoice_amount=sheet.payable_incl_tax,
        invoiced_on=invoiced_on,
        payment_due_by=date(2026, 12, 18),
        paid_on=paid_on,
    )


def test_the_sheets_invoices_and_payments_become_records(sheets):
    """A and B carry the same number (one invoice of 45,474.95 + 9,000.00 = 54,474.95; excl.
    42,900.90 + 8,490.57 = 51,391.47; tax 3,083.48); A was paid; C is signed, not invoiced."""
    a, b, c = sheets
    as_before(a, "paid", "YQ-OLD", date(2026, 11, 6), paid_on=date(2026, 11, 20))
    as_before(b, "invoiced", "YQ-OLD", date(2026, 11, 6))

    migration.forwards(apps, None)

    recorded = Invoice.objects.get()
    assert (
        recorded.number,
        recorded.code,
        recorded.kind,
        recorded.amount_incl_tax,
        recorded.amount_excl_tax,
        recorded.tax_amount,
        recorded.received_on,
        recorded.payment_due_by,
        recorded.recorded_by,
    ) == (
        "YQ-OLD",
        "",
        "special",
        Decimal("54474.95"),
        Decimal("51391.47"),
        Decimal("3083.48"),
        date(2026, 11, 6),
        date(2026, 12, 18),
        None,
    )
    assert recorded.seller_tax_id == a.contract.vendor.tax_id
    assert InvoiceSheet.objects.filter(invoice=recorded).count() == 2
    paid = Payment.objects.get()
    assert (paid.sheet_id, paid.amount, paid.paid_on, paid.voucher_number) == (
        a.pk,
        Decimal("45474.95"),
        date(2026, 11, 20),
        "迁移",
    )
    assert sheet_balance(a).left_to_pay == 0
    assert sheet_balance(b).left_to_pay == Decimal("9000.00")
    assert not InvoiceSheet.objects.filter(sheet=c).exists()

    migration.backwards(apps, None)
    assert not Invoice.objects.exists() and not Payment.objects.exists()
