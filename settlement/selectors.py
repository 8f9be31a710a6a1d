from django.db.models import Sum
from django.utils import timezone

from contracts.models import FrameworkContract
from core.dates import add_months
from core.history import history_entries
from core.money import ZERO, quantize
from core.views import months_between
from orders.models import LedgerEntry, Order
from settlement.models import SettlementSheet


def sheet_list(*, user):
    return (
        SettlementSheet.objects.visible_to(user)
        .select_related(
            "contract",
            "contract__buyer",
            "contract__vendor",
            "order",
            "adjusts",
        )
        .prefetch_related("lines")
    )


def sheet_totals(sheets) -> dict:
    totals = sheets.aggregate(
        payable=Sum("payable_incl_tax"),
        excl=Sum("payable_excl_tax"),
        tax=Sum("tax_amount"),
        uncapped=Sum("uncapped_incl_tax"),
    )
    return {name: value or ZERO for name, value in totals.items()}


def overdue(sheet: SettlementSheet) -> str:
    """What is late on a sheet: its invoice (3.3.1) or its payment (4.6)."""
    today = timezone.localdate()
    if (
        sheet.status == SettlementSheet.Status.SIGNED
        and sheet.invoice_due_by
        and today > sheet.invoice_due_by
    ):
        return "invoice"
    if (
        sheet.status == SettlementSheet.Status.INVOICED
        and sheet.payment_due_by
        and today > sheet.payment_due_by
    ):
        return "payment"
    return ""


def sheet_history(sheet: SettlementSheet):
    return history_entries(sheet)


def ceiling_timeline(contract, today) -> dict:
    """The contract's ceiling month by month: cumulative settled (signed sheets), today's
    commitments and free amount, and when the ceiling runs out at the recent pace (the mean of
    the last three settled months)."""
    by_month = dict(
        SettlementSheet.objects.filter(contract=contract, status__in=SettlementSheet.SIGNED_STATES)
        .values_list("month")
        .annotate(total=Sum("payable_incl_tax"))
        .order_by("month")
    )
    months = months_between(contract.start_date, contract.end_date)
    settled, running = [], ZERO
    for month in months:
        running += by_month.get(month, ZERO)
        settled.append(quantize(running) if month <= today else None)
    recent = [by_month[m] for m in sorted(by_month)[-3:]]
    pace = sum(recent, ZERO) / len(recent) if recent else ZERO
    projected, run_out = [], None
    value = contract.settled_total
    last = max(by_month) if by_month else None
    for month in months:
        if last is None or month <= last:
            projected.append(None)
            continue
        value = min(value + pace, contract.ceiling_incl_tax)
        projected.append(quantize(value))
        if run_out is None and value >= contract.ceiling_incl_tax:
            run_out = month
    if run_out is None and pace > 0:
        remaining = contract.ceiling_incl_tax - contract.settled_total
        run_out = add_months(last, int(-(-remaining // pace)))
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "settled": settled,
        "projected": projected,
        "ceiling": contract.ceiling_incl_tax,
        "committed": contract.committed_total,
        "free": contract.free_amount,
        "pace": quantize(pace),
        "runs_out": f"{run_out:%Y-%m}" if run_out else None,
    }


def ledger_drift() -> list[str]:
    """Every money counter that differs from its recomputation, twice over: from its ledger
    entries, and from the documents (the signed sheets; what the open orders have not settled
    of their plans). An empty list: the counters are right."""
    by_contract = _sums(LedgerEntry.objects, "contract_id", "settled_change", "committed_change")
    by_order = _sums(LedgerEntry.objects.exclude(order=None), "order_id", "settled_change")
    signed = SettlementSheet.objects.filter(status__in=SettlementSheet.SIGNED_STATES)
    signed_by_contract = _sums(signed, "contract_id", "payable_incl_tax")
    signed_by_order = _sums(signed, "order_id", "payable_incl_tax")
    reserved = {}
    drift = []
    for order in Order.objects.only(
        "pk", "number", "contract_id", "status", "planned_amount", "settled_total"
    ).order_by("pk"):
        reserved[order.contract_id] = reserved.get(order.contract_id, ZERO) + order.reserved_amount
        drift += _differences(
            f"order {order.number} settled_total",
            order.settled_total,
            ledger_entries=by_order.get(order.pk, (ZERO,))[0],
            signed_sheets=signed_by_order.get(order.pk, (ZERO,))[0],
        )
    for contract in FrameworkContract.objects.order_by("pk"):
        settled, committed = by_contract.get(contract.pk, (ZERO, ZERO))
        drift += _differences(
            f"contract {contract.code} settled_total",
            contract.settled_total,
            ledger_entries=settled,
            signed_sheets=signed_by_contract.get(contract.pk, (ZERO,))[0],
        )
        drift += _differences(
            f"contract {contract.code} committed_total",
            contract.committed_total,
            ledger_entries=committed,
            open_orders=reserved.get(contract.pk, ZERO),
        )
    return drift


def _sums(queryset, key, *fields) -> dict:
    rows = queryset.values(key).annotate(**{f: Sum(f) for f in fields}).order_by()
    return {row[key]: tuple(row[f] for f in fields) for row in rows}


def _differences(what, value, **recomputed) -> list[str]:
    return [
        f"{what} is {value}, its {source.replace('_', ' ')} say {quantize(figure)}"
        for source, figure in recomputed.items()
        if figure != value
    ]
