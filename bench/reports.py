"""The reports on the national buyer's year: every month of it settled and signed, the first
half invoiced (one invoice a contract and month) and paid, then 附件3 consumption of its
largest contract and the year's spend by month (and by role), each against one SQL statement
that aggregates the same rows (the floor)."""

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from bench.settle import analyze, buyer_of
from contracts.models import FrameworkContract
from core.models import User
from demo.scale import Scale
from finance.models import Invoice, InvoiceSheet, Payment
from reports.selectors import consumption, spend
from settlement.models import SettlementSheet
from settlement.services import settlements_compute

RUNS = 7
SIGNED = SettlementSheet.Status.SIGNED


def _month(scale: Scale, index: int) -> date:
    return date(scale.year, index + 1, 1)


def _year_signed(scale: Scale, buyer) -> int:
    """Every month's sheets computed, then marked signed in one statement (the signatures are
    not what is measured here), and January to June invoiced and paid in full."""
    for index in range(scale.months):
        settlements_compute(month=_month(scale, index), buyer_id=buyer.pk)
    sheets = SettlementSheet.objects.filter(contract__buyer=buyer)
    sheets.update(status=SIGNED, signed_at=timezone.now())
    half = list(sheets.filter(month__lt=_month(scale, 6)).order_by("contract_id", "month"))
    groups = {}
    for sheet in half:
        groups.setdefault((sheet.contract_id, sheet.month), []).append(sheet)
    invoices = Invoice.objects.bulk_create(
        Invoice(
            contract_id=contract_id,
            kind=Invoice.Kind.SPECIAL,
            number=f"B{contract_id}{month:%Y%m}",
            issued_on=month + timedelta(days=40),
            received_on=month + timedelta(days=40),
            amount_incl_tax=sum((s.payable_incl_tax for s in group), Decimal(0)),
            amount_excl_tax=sum((s.payable_excl_tax for s in group), Decimal(0)),
            tax_rate=Decimal("0.06"),
            tax_amount=sum((s.tax_amount for s in group), Decimal(0)),
            seller_tax_id="91510100MA00000000",
            buyer_name=buyer.name,
            buyer_tax_id="91510100MA00000001",
            delivery_due_by=month + timedelta(days=54),
            payment_due_by=month + timedelta(days=82),
        )
        for (contract_id, month), group in groups.items()
    )
    InvoiceSheet.objects.bulk_create(
        InvoiceSheet(
            invoice=invoice,
            sheet=sheet,
            amount_excl_tax=sheet.payable_excl_tax,
            amount_incl_tax=sheet.payable_incl_tax,
        )
        for invoice, group in zip(invoices, groups.values(), strict=True)
        for sheet in group
    )
    Payment.objects.bulk_create(
        Payment(
            sheet=sheet,
            paid_on=sheet.month + timedelta(days=75),
            amount=sheet.payable_incl_tax,
            payer_bank_name="银行",
            payer_account="1",
            payee_bank_name="银行",
            payee_account="2",
        )
        for sheet in half
    )
    analyze()
    return sheets.count()


def _best_ms(work) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def _sql(statement: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


# What the consumption report reads of one contract, in one statement: its order lines, its
# approved log lines and its signed sheets' lines (with their sheets' payable), each summed by
# role and level.
CONSUMPTION_FLOOR = """
SELECT role, level, SUM(planned), SUM(approved), SUM(settled), SUM(money) FROM (
  SELECT l.role, l.level, l.planned_quantity AS planned, 0 AS approved, 0 AS settled, 0 AS money
    FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id
   WHERE o.contract_id = %s AND o.status <> 'draft'
  UNION ALL
  SELECT w.role, w.level, 0, w.days, 0, 0
    FROM worklogs_worklogline w JOIN worklogs_worklog g ON g.id = w.log_id
    JOIN orders_order o ON o.id = g.order_id
   WHERE o.contract_id = %s AND g.status = 'approved'
  UNION ALL
  SELECT s.item, s.level, 0, 0, s.quantity, s.amount * h.payable_incl_tax / h.base_amount
    FROM settlement_sheetline s JOIN settlement_settlementsheet h ON h.id = s.sheet_id
   WHERE h.contract_id = %s AND h.status IN ('signed', 'invoiced', 'paid')
) rows GROUP BY role, level
"""

# What the spend report reads, in one statement: the year's signed sheets of the buyer by
# month, with what invoices in force and payments add to each.
SPEND_FLOOR = """
SELECT h.month, SUM(h.payable_incl_tax), SUM(COALESCE(i.total, 0)), SUM(COALESCE(p.total, 0))
  FROM settlement_settlementsheet h
  JOIN contracts_frameworkcontract c ON c.id = h.contract_id
  LEFT JOIN (SELECT part.sheet_id, SUM(part.amount_incl_tax) AS total
               FROM finance_invoicesheet part JOIN finance_invoice v ON v.id = part.invoice_id
              WHERE v.status = 'recorded' GROUP BY part.sheet_id) i ON i.sheet_id = h.id
  LEFT JOIN (SELECT sheet_id, SUM(amount) AS total FROM finance_payment GROUP BY sheet_id) p
         ON p.sheet_id = h.id
 WHERE c.buyer_id = %s AND h.status IN ('signed', 'invoiced', 'paid')
   AND h.month BETWEEN %s AND %s
 GROUP BY h.month
"""


def run() -> dict:
    scale = Scale()
    buyer = buyer_of(scale)
    started = time.perf_counter()
    sheets = _year_signed(scale, buyer)
    prepare_s = time.perf_counter() - started
    largest = (
        FrameworkContract.objects.filter(buyer=buyer)
        .annotate(orders_count=Count("orders"))
        .order_by("-orders_count", "pk")
        .first()
    )
    one = FrameworkContract.objects.filter(pk=largest.pk)
    user = User.objects.filter(organization=buyer, role=User.Role.PROCUREMENT).first()
    first, last = date(scale.year, 1, 1), _month(scale, scale.months - 1)
    report_consumption_ms = _best_ms(lambda: consumption(one))
    consumption_floor_ms = _best_ms(
        lambda: _sql(CONSUMPTION_FLOOR, [largest.pk, largest.pk, largest.pk])
    )
    report_spend_ms = _best_ms(lambda: spend(user=user, group_by="month", first=first, last=last))
    spend_floor_ms = _best_ms(lambda: _sql(SPEND_FLOOR, [buyer.pk, first, last]))
    report_spend_role_ms = _best_ms(
        lambda: spend(user=user, group_by="role", first=first, last=last)
    )
    portfolio_ms = _best_ms(lambda: consumption(FrameworkContract.objects.filter(buyer=buyer)))
    return {
        "reports_signed_sheets": sheets,
        "reports_prepare_s": round(prepare_s, 1),
        "report_consumption_ms": report_consumption_ms,
        "report_consumption_floor_ms": consumption_floor_ms,
        "report_consumption_vs_floor": round(report_consumption_ms / consumption_floor_ms, 2),
        "report_spend_ms": report_spend_ms,
        "report_spend_floor_ms": spend_floor_ms,
        "report_spend_vs_floor": round(report_spend_ms / spend_floor_ms, 2),
        "report_spend_by_role_ms": report_spend_role_ms,
        "report_portfolio_ms": portfolio_ms,
    }
