"""A national buyer's year (`generate_scale`'s default), then one month's sheets for all its
orders, against two floors: one SQL query that aggregates the same log lines by order (the
least the computation must read), and the same sheets, their history and their lines written
by one INSERT … SELECT per table from that aggregate (the least it must read and write).

Growth: three more buyers of the same shape (500, 1,000 and 500 orders, 4 people an order, 50
orders a contract) make months of 500, 1,000, 2,000 and 4,000 orders to settle, each
computation timed and its statements counted, then undone."""

import time
from datetime import date

from django.db import connection, transaction
from django.db.models import Sum

from contracts.models import RateCardLine
from core.models import Organization
from demo.scale import Scale, generate
from settlement.models import SettlementSheet, SheetLine
from settlement.services import settlements_compute
from worklogs.models import WorkLog, WorkLogLine

MONTH = date(2026, 10, 1)
# The other buyers: through the measured month only, each its own seed (its ids, its codes).
GROWTH = {
    seed: Scale(contracts=orders // 50, orders=orders, staff=4 * orders, months=10, seed=seed)
    for seed, orders in ((2027, 500), (2028, 1000), (2029, 500))
}


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather them in a while
    (without them PostgreSQL plans the new tables as nearly empty)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _month_lines(buyer):
    return WorkLogLine.objects.filter(
        log__month=MONTH,
        log__status=WorkLog.Status.APPROVED,
        log__order__contract__buyer=buyer,
    )


def _floor(buyer) -> float:
    """The month's approved days summed by order: reading what the computation must read."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        by_order = _month_lines(buyer).values("log__order_id").annotate(days=Sum("days"))
        rows = list(by_order.order_by())
        best = min(best, time.perf_counter() - started)
    assert rows
    return best


def _write_floor(buyer) -> float:
    """The month's sheets, their history rows and their lines, each table filled by one
    INSERT … SELECT from the days summed by order, role and level and priced from the rate
    card (no tax, cap or score: the least the database must do to store the result); undone
    after each of three runs, the best kept."""
    days, days_params = (
        _month_lines(buyer)
        .values_list("log_id", "log__order_id", "log__order__contract_id", "role", "level")
        .annotate(days=Sum("days"))
        .order_by()
        .query.sql_with_params()
    )
    priced = (
        f"WITH days (log_id, order_id, contract_id, role, level, days) AS ({days}), "
        f"priced AS (SELECT days.*, card.price_excl_tax AS price FROM days "
        f"JOIN {RateCardLine._meta.db_table} card ON card.contract_id = days.contract_id "
        f"AND card.role = days.role AND card.level = days.level) "
    )
    sheets, lines = SettlementSheet._meta.db_table, SheetLine._meta.db_table
    history = SettlementSheet.history.model
    tracked = ", ".join(field.column for field in history.tracked_fields)
    statements = [
        (
            f"{priced}INSERT INTO {sheets} (kind, contract_id, order_id, month, worklog_id, "
            "adjustment_reason, status, base_amount, score, tax_rate, uncapped_incl_tax, "
            "deductions_incl_tax, payable_incl_tax, payable_excl_tax, tax_amount, capped, "
            "invoice_number, created_at) "
            "SELECT %s, contract_id, order_id, %s, log_id, '', %s, SUM(days * price), 100, 0, "
            "SUM(days * price), 0, SUM(days * price), SUM(days * price), 0, false, '', now() "
            "FROM priced GROUP BY contract_id, order_id, log_id",
            [*days_params, SettlementSheet.Kind.MONTH, MONTH, SettlementSheet.Status.DRAFT],
        ),
        (
            f"INSERT INTO {history._meta.db_table} ({tracked}, history_date, "
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked}, now(), NULL, '+', NULL FROM {sheets} WHERE month = %s",
            [MONTH],
        ),
        (
            f"{priced}INSERT INTO {lines} (sheet_id, item, level, quantity, unit, "
            "unit_price_incl_tax, amount) "
            "SELECT sheet.id, role, level, days, %s, price, days * price FROM priced "
            f"JOIN {sheets} sheet ON sheet.order_id = priced.order_id AND sheet.month = %s",
            [*days_params, RateCardLine.Unit.PERSON_DAY, MONTH],
        ),
    ]
    best = float("inf")
    for _ in range(3):
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            for sql, params in statements:
                cursor.execute(sql, params)
            best = min(best, time.perf_counter() - started)
            transaction.set_rollback(True)
    return best


def _settled(buyer=None) -> tuple[float, int, int]:
    """One computation of the month (a buyer's, or every buyer's), undone after: its time, its
    orders and the statements it sent."""
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(count):
        started = time.perf_counter()
        result = settlements_compute(month=MONTH, buyer_id=buyer and buyer.pk)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    assert result["computed"] == result["orders"], result
    return elapsed, result["orders"], statements


def buyer_of(scale: Scale) -> Organization:
    """The buyer `generate(scale)` made (named by its seed)."""
    return Organization.objects.get(name=f"规模采购方{scale.seed}")


def run() -> dict:
    started = time.perf_counter()
    made = generate(Scale())
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    for scale in GROWTH.values():
        generate(scale)
    growth_generate_s = time.perf_counter() - started
    analyze()
    buyer = buyer_of(Scale())  # the national buyer: the month measured, the API's lists

    growth = {}
    for size, who in (
        (500, buyer_of(GROWTH[2027])),
        (1000, buyer_of(GROWTH[2028])),
        (2000, buyer),
        (4000, None),
    ):
        elapsed, orders, statements = _settled(who)
        assert orders == size, (size, orders)
        growth |= {
            f"settle_{size}_s": round(elapsed, 3),
            f"settle_{size}_queries_per_order": round(statements / orders, 2),
        }

    floor_s = _floor(buyer)
    write_floor_s = _write_floor(buyer)
    started = time.perf_counter()
    result = settlements_compute(month=MONTH, buyer_id=buyer.pk)
    settle_s = time.perf_counter() - started
    assert result["computed"] == made["orders"], result
    started = time.perf_counter()
    settlements_compute(month=MONTH, buyer_id=buyer.pk)
    again_s = time.perf_counter() - started

    return {
        **{f"scale_{name}": value for name, value in made.items()},
        "generate_s": round(generate_s, 1),
        "growth_generate_s": round(growth_generate_s, 1),
        "settle_orders": result["orders"],
        "settle_s": round(settle_s, 3),
        "settle_floor_s": round(floor_s, 4),
        "settle_vs_floor": round(settle_s / floor_s, 1),
        "settle_write_floor_s": round(write_floor_s, 3),
        "settle_vs_write_floor": round(settle_s / write_floor_s, 1),
        "settle_again_s": round(again_s, 3),
        **growth,
        "settle_4000_vs_2000": round(growth["settle_4000_s"] / growth["settle_2000_s"], 2),
    }
