from dataclasses import dataclass
from datetime import date

from celery import states
from celery.result import AsyncResult
from django.db.models import Sum
from django.utils import timezone

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.history import history_entries
from core.money import ZERO, quantize
from core.views import months_between
from orders.models import LedgerEntry, Order, PaymentPlanItem
from settlement import services
from settlement.fanout import job_state
from settlement.models import SettlementSheet, TaskRun


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
        .prefetch_related("lines", "offsets")
    )


def milestone_sheets(*, order, user) -> dict:
    """An order's milestone sheets the user may see, by payment-plan item (004)."""
    return {
        sheet.payment_item_id: sheet
        for sheet in SettlementSheet.objects.visible_to(user).filter(
            order=order, kind=SettlementSheet.Kind.MILESTONE
        )
    }


def sheet_totals(sheets) -> dict:
    totals = sheets.aggregate(
        payable=Sum("payable_incl_tax"),
        excl=Sum("payable_excl_tax"),
        tax=Sum("tax_amount"),
        uncapped=Sum("uncapped_incl_tax"),
        deductions=Sum("deductions_incl_tax"),
    )
    totals = {name: value or ZERO for name, value in totals.items()}
    totals["deductions"] = -totals["deductions"]
    return totals


def sheet_totals_by_status(sheets) -> list[tuple[str, dict]]:
    """(status label, totals as sheet_totals) for each status among the sheets, in the
    statuses' own order."""
    rows = {
        row.pop("status"): row
        for row in sheets.order_by()
        .values("status")
        .annotate(
            payable=Sum("payable_incl_tax"),
            excl=Sum("payable_excl_tax"),
            tax=Sum("tax_amount"),
            uncapped=Sum("uncapped_incl_tax"),
            deductions=-Sum("deductions_incl_tax"),
        )
    }
    return [
        (str(status.label), rows[status.value])
        for status in SettlementSheet.Status
        if status.value in rows
    ]


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


def task_result(*, user, task_id: str, name: str) -> dict | None:
    """The result of a job of the task `name` the user may follow, once it succeeded."""
    run = TaskRun.objects.visible_to(user).filter(task_id=task_id, name=name).first()
    if run is None:
        return None
    state, _progress = job_state(run)
    return AsyncResult(run.task_id).result if state == states.SUCCESS else None


def ceiling_timeline(contract, today) -> dict:
    """The contract's ceiling month by month: cumulative settled (signed sheets), today's
    commitments and free amount, and when the ceiling runs out at the recent pace.

    The pace is the mean of the last three months that have signed sheets, not of the last
    three calendar months: a month is settled one or two months after its service, so calendar
    months up to today would count the months not yet settled as nothing and understate it.
    The projection stops at the contract's last month: past it nothing can be settled, so a
    ceiling not reached by then is reported as not running out (`runs_out` is None)."""
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
    # In cents, as shown: the projection is the settled total plus whole paces, to be checked
    # by hand (and the same on every database, whatever precision its sums come back in).
    pace = quantize(sum(recent, ZERO) / len(recent)) if recent else ZERO
    projected, run_out = [], None
    value = contract.settled_total
    last = max(by_month) if by_month else None
    for month in months:
        if last is None or month <= last:
            projected.append(None)
            continue
        ceiling = contract.ceiling_on(month)
        value = min(value + pace, ceiling)
        projected.append(quantize(value))
        if run_out is None and value >= ceiling:
            run_out = month
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "settled": settled,
        "projected": projected,
        "ceiling": contract.ceiling_incl_tax,
        # Month by month, as amendments change it (11.4).
        "ceilings": [contract.ceiling_on(month) for month in months],
        "committed": contract.committed_total,
        "free": contract.free_amount,
        "pace": pace,
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


@dataclass
class MilestoneDue:
    """004: a payment-plan stage payable by now (`PaymentPlanItem.payable_from`) that has no
    sheet yet, with its deadline `due`; `ready` unless it holds for its KPI period's confirmed
    score."""

    order: Order
    item: PaymentPlanItem
    due: date
    ready: bool


def milestones_due(*, orders, today: date) -> list[MilestoneDue]:
    """Of `orders` (with their contracts and payment plans), the milestones payable by
    `today`."""
    orders = list(orders)
    settled = set(
        SettlementSheet.objects.filter(
            order__in=orders, kind=SettlementSheet.Kind.MILESTONE
        ).values_list("payment_item_id", flat=True)
    )
    confirmed = set(
        Assessment.objects.filter(
            order__in=orders, period_months__gt=1, status=Assessment.Status.CONFIRMED
        ).values_list("order_id", "period_months")
    )
    due = []
    for order in orders:
        for item in order.payment_plan.all():
            if item.due_after_months is None or item.pk in settled:
                continue
            if item.payable_from <= today:
                ready = not item.holds_for_score or (order.pk, item.assessed_months) in confirmed
                due.append(MilestoneDue(order, item, item.due_on, ready))
    return due


def milestones_to_true_up(*, orders) -> list:
    """Of `orders`, the signed milestone sheets paid on their date whose KPI period is now
    scored below 90% and not yet trued up (`services.true_up_of`; one trued up has an
    adjustment resting on the score), with what each owes."""
    sheets = (
        SettlementSheet.objects.exclude(adjustments__assessment__isnull=False)
        .filter(
            order__in=orders,
            kind=SettlementSheet.Kind.MILESTONE,
            status__in=SettlementSheet.SIGNED_STATES,
            assessment__isnull=True,
            payment_item__assessed_months__isnull=False,
            payment_item__settle_rule=PaymentPlanItem.SettleRule.TRUE_UP,
        )
        .select_related("order__contract", "payment_item")
    )
    scored = set(
        Assessment.objects.filter(
            order__in=orders, period_months__gt=1, status=Assessment.Status.CONFIRMED
        ).values_list("order_id", "period_months")
    )
    return [
        true_up
        for sheet in sheets
        if (sheet.order_id, sheet.payment_item.assessed_months) in scored
        and (true_up := services.true_up_of(sheet)) is not None
    ]
