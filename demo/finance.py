"""003's invoices and payments of May to July as finance met them (4.6, 4.6.1, 4.7): May and
June on one invoice, voided the day after it was issued (the service period printed wrong)
and replaced; May paid by a bank acceptance bill, June in two transfers; July on an ordinary
invoice procurement has not accepted (4.3 expects a special one), paid in part and overdue.
Loaded on an earlier day, nothing ahead of it is recorded."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from contracts.models import FrameworkContract
from demo.common import signed_back
from finance.models import Invoice, Payment
from finance.services import invoice_record, invoice_void, payment_record
from settlement.models import SettlementSheet

MAY, JUNE, JULY = date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)


def _invoice(sheets, actor, number, issued_on, kind=Invoice.Kind.SPECIAL, **more) -> Invoice:
    """The sheets wholly, at their rate, the parties as the contract names them."""
    contract = FrameworkContract.objects.select_related("buyer", "vendor").get(
        pk=sheets[0].contract_id
    )
    incl = sum((sheet.payable_incl_tax for sheet in sheets), Decimal(0))
    excl = sum((sheet.payable_excl_tax for sheet in sheets), Decimal(0))
    return invoice_record(
        actor=actor,
        sheets=sheets,
        kind=kind,
        number=number,
        issued_on=issued_on,
        amount_incl_tax=incl,
        amount_excl_tax=excl,
        tax_rate=sheets[0].tax_rate,
        tax_amount=incl - excl,
        seller_tax_id=contract.vendor.tax_id,
        buyer_name=contract.buyer.name,
        buyer_tax_id=contract.buyer.tax_id,
        **more,
    )


def load_invoices_003(*, vendor_pm, finance):
    today = timezone.localdate()
    sheets = {
        sheet.month: sheet
        for sheet in SettlementSheet.objects.filter(
            contract__code="MGYY-2026-003", kind=SettlementSheet.Kind.MONTH
        )
    }
    if today < date(2026, 9, 25):  # the last day below
        return
    may, june = (signed_back(sheets[month], date(2026, 7, 10)) for month in (MAY, JUNE))
    wrong = _invoice([may, june], vendor_pm, "INV20260501", date(2026, 7, 15))
    invoice_void(invoice=wrong, actor=vendor_pm, reason="服务期间开错（应为2026年5月、6月）")
    _invoice(
        [may, june],
        finance,
        "INV20260502",
        date(2026, 7, 16),
        received_on=date(2026, 7, 20),
        replaces=wrong,
    )
    payment_record(
        actor=finance,
        sheet=may,
        paid_on=date(2026, 8, 20),
        amount=may.payable_incl_tax,
        method=Payment.Method.ACCEPTANCE_BILL,
        bill_number="131058400001720260820000123456",
        bill_maturity=date(2027, 2, 20),
        bill_discount_terms="6个月期电子银行承兑汇票，贴现息由乙方承担",
        voucher_number="记-2026-08-021",
    )
    for paid_on, amount, voucher in (
        (date(2026, 8, 20), Decimal("40000.00"), "记-2026-08-022"),
        (date(2026, 9, 4), june.payable_incl_tax - Decimal("40000.00"), "记-2026-09-003"),
    ):
        payment_record(
            actor=finance, sheet=june, paid_on=paid_on, amount=amount, voucher_number=voucher
        )
    july = signed_back(sheets[JULY], date(2026, 8, 10))
    _invoice(
        [july],
        finance,
        "INV20260701",
        date(2026, 8, 15),
        kind=Invoice.Kind.ORDINARY,
        received_on=date(2026, 8, 17),
    )
    payment_record(
        actor=finance,
        sheet=july,
        paid_on=date(2026, 9, 25),
        amount=Decimal("30000.00"),
        voucher_number="记-2026-09-041",
    )
