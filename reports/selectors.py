"""The reports: how much of each 附件3 estimate is used and will be by the term's end
(consumption), what was settled, invoiced and paid by month, vendor, contract or role (spend),
and how a vendor scores month by month (vendor scores).

Each report is a selector whose rows carry the REST fields: the page, its Excel export and the
API read the same rows, so they agree to the cent with each other and with the sheets they sum.
A sheet's money is spread over its priced lines in proportion to their amounts (an adjustment's
over the lines of the sheet it corrects); the cents go to the rows by largest remainders, so
the rows add up exactly to the sheets. A sheet without priced lines (004's milestones) counts
in a row of its own (`NO_LINE`)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Assessment, AssessmentEntry, Indicator
from contracts.models import FrameworkContract
from core.dates import add_months
from core.models import Organization
from core.money import ZERO, quantize, rounded_to_sum
from core.views import months_between
from finance.models import Invoice, InvoiceSheet, Payment
from finance.selectors import (
    current_parts,
    payments_between,
    payments_total,
    sheets_not_invoiced,
    sheets_owed,
    week_of,
)
from orders.models import Order, OrderLine
from settlement.models import SettlementSheet, SheetLine
from worklogs.models import DeliveryLine, WorkLog, WorkLogLine
from worklogs.selectors import log_deadline

NO_LINE = ("", "")  # (role, level) of money settled without priced lines
PLANNING = (
    Order.Status.ISSUED,
    Order.Status.IN_SERVICE,
    Order.Status.COMPLETED,
    Order.Status.TERMINATED,
)
PACE_MONTHS = 3
TENTH = Decimal("0.1")
HALF_CENT = Decimal("0.005")


# ── Money of sheets spread over their priced lines ───────────────────────────────────────────


def _signed(sheets):
    return sheets.filter(status__in=SettlementSheet.SIGNED_STATES)


# What each signed sheet pays (settled, invoiced by invoices in force, paid), and the lines of
# the sheet it pays for (itself, or the one an adjustment corrects) with their share of it.
# `× 1.0`: SQLite keeps whole-yuan decimals as integers, and would divide them as integers.
LINE_MONEY = """
WITH paying AS (
  SELECT id, contract_id, COALESCE(adjusts_id, id) AS base_id, payable_incl_tax AS settled
    FROM {sheets} WHERE id IN ({chosen})
), invoiced AS (
  SELECT p.sheet_id, SUM(p.amount_incl_tax) AS total
    FROM {parts} p JOIN {invoices} v ON v.id = p.invoice_id
   WHERE v.status = %s AND p.sheet_id IN (SELECT id FROM paying) GROUP BY p.sheet_id
), paid AS (
  SELECT sheet_id, SUM(amount) AS total FROM {payments}
   WHERE sheet_id IN (SELECT id FROM paying) GROUP BY sheet_id
), money AS (
  SELECT s.id, s.contract_id, s.base_id, s.settled, COALESCE(i.total, 0) AS invoiced,
         COALESCE(y.total, 0) AS paid
    FROM paying s LEFT JOIN invoiced i ON i.sheet_id = s.id LEFT JOIN paid y ON y.sheet_id = s.id
), lines AS (
  SELECT sheet_id, item, level, quantity, amount * 1.0 AS amount,
         SUM(amount) OVER (PARTITION BY sheet_id) AS whole
    FROM {lines} WHERE sheet_id IN (SELECT base_id FROM paying)
)
SELECT s.contract_id, l.item, l.level,
       SUM(CASE WHEN s.id = s.base_id THEN l.quantity ELSE 0 END),
       SUM(l.amount * s.settled / l.whole), SUM(l.amount * s.invoiced / l.whole),
       SUM(l.amount * s.paid / l.whole)
  FROM money s JOIN lines l ON l.sheet_id = s.base_id
 WHERE l.whole <> 0
 GROUP BY s.contract_id, l.item, l.level
UNION ALL
SELECT contract_id, NULL, NULL, 0, SUM(settled), SUM(invoiced), SUM(paid)
  FROM money GROUP BY contract_id
"""


def _line_money(sheets) -> dict:
    """contract → (role, level) → [quantity settled, then the exact Σ settled, invoiced and
    paid], each sheet's money spread over the lines it pays for in proportion to their
    amounts; under NO_LINE, what no line takes (sheets without lines: 004's milestones)."""
    try:
        chosen, params = sheets.values("pk").order_by().query.sql_with_params()
    except EmptyResultSet:  # filtered on an empty list: no sheet
        return {}
    statement = LINE_MONEY.format(
        parts=InvoiceSheet._meta.db_table,
        invoices=Invoice._meta.db_table,
        payments=Payment._meta.db_table,
        sheets=SettlementSheet._meta.db_table,
        lines=SheetLine._meta.db_table,
        chosen=chosen,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner prices the CTEs' joins far above what they cost and would spend
            # 0.6 s compiling the query (JIT) to save nothing (make bench).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement, [*params, Invoice.Status.RECORDED])
        rows = cursor.fetchall()
    by_contract = defaultdict(dict)
    for contract_id, role, level, *figures in rows:
        figures = [_decimal(figure) for figure in figures]
        if role is None:  # the contract's totals: what the lines did not take
            taken = by_contract[contract_id].values()
            left = [t - sum((f[i + 1] for f in taken), ZERO) for i, t in enumerate(figures[1:])]
            if any(abs(figure) >= HALF_CENT for figure in left):  # not a division's residue
                by_contract[contract_id][NO_LINE] = [ZERO, *left]
        else:
            by_contract[contract_id][role, level] = figures
    return by_contract


def _decimal(value) -> Decimal:
    """A figure as the database gives it: PostgreSQL a Decimal, SQLite a float or an int."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _cents(exact: dict) -> dict:
    """`exact` (key → list of exact sums) in cents, each column adding up to its rounded
    total."""
    keys = list(exact)
    columns = zip(*(exact[key] for key in keys), strict=True) if keys else ()
    rounded = [rounded_to_sum(list(column)) for column in columns]
    return {key: [column[index] for column in rounded] for index, key in enumerate(keys)}


# ── Consumption against 附件3 ─────────────────────────────────────────────────────────────────


@dataclass
class ConsumptionRow:
    """One priced line of 附件3 (a role and level, or an item): its estimate, what issued
    orders planned, what approved logs used, what signed sheets settled, and the quantity at
    the term's end at the recent pace."""

    role: str
    level: str
    unit: str
    estimated_quantity: Decimal = ZERO
    estimate_incl_tax: Decimal = ZERO  # 附件3 note 2, at the agreed price (the cap until then)
    planned_quantity: Decimal = ZERO
    approved_quantity: Decimal = ZERO
    settled_quantity: Decimal = ZERO
    settled_incl_tax: Decimal = ZERO
    projected_quantity: Decimal = ZERO

    @property
    def used(self) -> Decimal | None:
        """The share of the estimate the approved work has used."""
        if self.estimated_quantity <= 0:
            return None
        return self.approved_quantity / self.estimated_quantity

    @property
    def overruns(self) -> bool:
        """At the recent pace the line ends the term above its estimate."""
        return self.projected_quantity > self.estimated_quantity and self.role != ""


@dataclass
class Consumption:
    contract: FrameworkContract
    rows: list[ConsumptionRow]
    pace_months: list[date] = field(default_factory=list)  # the months the pace is taken from
    remaining_months: int = 0

    @property
    def estimate(self):
        """附件3 note 2 at the agreed prices, against the ceiling (SPEC §3)."""
        return self.contract.estimate

    @property
    def overrunning(self) -> list[ConsumptionRow]:
        return [row for row in self.rows if row.overruns]

    @property
    def settled_incl_tax(self) -> Decimal:
        return sum((row.settled_incl_tax for row in self.rows), ZERO)


def consumption(contracts) -> list[Consumption]:
    """Each contract's 附件3 lines consumed, in a fixed number of queries however many
    contracts: the portfolio page reads them all at once."""
    contracts = list(contracts.prefetch_related("rate_card_lines", "tax_rates", "amendments"))
    ids = [contract.pk for contract in contracts]
    rows = {contract.pk: {} for contract in contracts}
    for contract in contracts:
        for line in contract.rate_card_lines.all():
            rows[contract.pk][line.role, line.level] = ConsumptionRow(
                line.role,
                line.level,
                line.unit,
                estimated_quantity=line.estimated_quantity,
                estimate_incl_tax=line.estimate_incl_tax,
            )

    def row(contract_id, key, unit=""):
        found = rows[contract_id].get(key)
        if found is None:
            found = rows[contract_id][key] = ConsumptionRow(*key, unit)
        return found

    planned = (
        OrderLine.objects.filter(order__contract__in=ids, order__status__in=PLANNING)
        .values_list("order__contract_id", "role", "level")
        .annotate(total=Sum("planned_quantity"))
        .order_by()
    )
    for contract_id, role, level, total in planned:
        row(contract_id, (role, level)).planned_quantity = total

    approved = _approved_by_month(contracts)
    for contract_id, by_key in approved.items():
        for key, by_month in by_key.items():
            row(contract_id, key).approved_quantity = sum(by_month.values(), ZERO)

    signed = _signed(SettlementSheet.objects.filter(contract__in=ids))
    for contract_id, by_line in _line_money(signed).items():
        settled = _cents({key: figures[1:2] for key, figures in by_line.items()})
        for key, figures in by_line.items():
            found = row(contract_id, key)
            found.settled_quantity = figures[0]
            found.settled_incl_tax = settled[key][0]

    reports = []
    for contract in contracts:
        pace_months, remaining = _pace(contract, approved.get(contract.pk, {}))
        for key, found in rows[contract.pk].items():
            by_month = approved.get(contract.pk, {}).get(key, {})
            pace = sum((by_month.get(month, ZERO) for month in pace_months), ZERO)
            pace = pace / len(pace_months) if pace_months else ZERO
            found.projected_quantity = (found.approved_quantity + pace * remaining).quantize(
                TENTH, rounding=ROUND_HALF_UP
            )
        ordered = sorted(rows[contract.pk].values(), key=lambda r: r.role == "")
        reports.append(Consumption(contract, ordered, pace_months, remaining))
    return reports


def _approved_by_month(contracts) -> dict:
    """contract → (role, level) → month → the quantity approved logs give: person-days, or
    pieces delivered (002, whose item stands as the role, without a level)."""
    by_item = [c.pk for c in contracts if c.settlement_mode == c.SettlementMode.PER_ITEM]
    by_days = [c.pk for c in contracts if c.pk not in by_item]
    approved = defaultdict(lambda: defaultdict(dict))
    queries = []
    if by_days:
        queries.append(
            WorkLogLine.objects.filter(
                log__order__contract__in=by_days, log__status=WorkLog.Status.APPROVED
            )
            .values_list("log__order__contract_id", "role", "level", "log__month")
            .annotate(total=Sum("days"))
        )
    if by_item:
        queries.append(
            DeliveryLine.objects.filter(
                log__order__contract__in=by_item, log__status=WorkLog.Status.APPROVED
            )
            .values_list("log__order__contract_id", "item", "log__month")
            .annotate(total=Sum("quantity"))
        )
    for query in queries:
        for contract_id, *key, month, total in query.order_by():
            key = (key[0], key[1] if len(key) == 2 else "")
            approved[contract_id][key][month] = Decimal(total)
    return approved


def _pace(contract, by_key: dict) -> tuple[list[date], int]:
    """The last months with approved work (up to three: the pace is their mean) and how many
    months of the term follow the last of them. Months, not calendar time: a month's log is
    approved weeks after it, so the months since would count as nothing done."""
    months = sorted({month for by_month in by_key.values() for month in by_month})
    if not months:
        return [], 0
    end = contract.terminated_on or contract.end_date
    remaining = len([m for m in months_between(contract.start_date, end) if m > months[-1]])
    return months[-PACE_MONTHS:], remaining


# ── Spend ────────────────────────────────────────────────────────────────────────────────────


@dataclass
class SpendRow:
    """What signed sheets of the range settled, and what of it is invoiced (invoices in force)
    and paid, for one month, vendor, contract or role. For a contract: its ceiling and what it
    settled in all, to date (`ceiling`, `settled_to_date`)."""

    key: str
    label: str
    settled_incl_tax: Decimal = ZERO
    invoiced_incl_tax: Decimal = ZERO
    paid_incl_tax: Decimal = ZERO
    ceiling: Decimal | None = None
    settled_to_date: Decimal | None = None

    @property
    def ceiling_used(self) -> Decimal | None:
        return self.settled_to_date / self.ceiling if self.ceiling else None


GROUPS = {
    "month": "month",
    "vendor": "contract__vendor_id",
    "contract": "contract_id",
}


def spend(*, user, group_by: str, first: date, last: date) -> list[SpendRow]:
    """The signed sheets of the months `first` to `last` (their service months) the user
    sees, by `group_by`: month, vendor, contract or role."""
    sheets = _signed(SettlementSheet.objects.visible_to(user)).filter(month__range=(first, last))
    if group_by == "role":
        return _spend_by_role(sheets)
    key = GROUPS[group_by]
    columns = [
        sheets.values_list(key).annotate(total=Sum("payable_incl_tax")),
        current_parts()
        .filter(sheet__in=sheets)
        .values_list(f"sheet__{key}")
        .annotate(total=Sum("amount_incl_tax")),
        Payment.objects.filter(sheet__in=sheets)
        .values_list(f"sheet__{key}")
        .annotate(total=Sum("amount")),
    ]
    figures = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for index, column in enumerate(columns):
        for value, total in column.order_by():
            figures[value][index] = quantize(total)
    rows = [
        SpendRow(str(key), label, *figures[value])
        for value, (key, label) in _labels(group_by, figures).items()
    ]
    if group_by == "contract":
        contracts = FrameworkContract.objects.in_bulk([int(found.key) for found in rows])
        for found in rows:
            found.ceiling = contracts[int(found.key)].ceiling_incl_tax
            found.settled_to_date = contracts[int(found.key)].settled_total
    return rows


def _labels(group_by, figures) -> dict:
    """Each group's value → (key, label), in the report's order."""
    if group_by == "month":
        return {month: (f"{month:%Y-%m}",) * 2 for month in sorted(figures)}
    if group_by == "vendor":
        names = Organization.objects.in_bulk(list(figures))
        labels = {pk: (pk, vendor.name) for pk, vendor in names.items()}
    else:
        contracts = FrameworkContract.objects.in_bulk(list(figures))
        labels = {pk: (pk, f"{c.code} {c.name}") for pk, c in contracts.items()}
    return dict(sorted(labels.items(), key=lambda item: item[1][1]))


def _spend_by_role(sheets) -> list[SpendRow]:
    exact = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for by_line in _line_money(sheets).values():
        for key, figures in by_line.items():
            exact[key] = [a + b for a, b in zip(exact[key], figures[1:], strict=True)]
    return [
        SpendRow(
            f"{role} {level}".strip(),
            f"{role} {level}".strip() or _("Without priced lines (milestones)"),
            *figures,
        )
        for (role, level), figures in sorted(_cents(exact).items(), key=lambda i: i[0] == NO_LINE)
    ]


# ── Vendor performance ───────────────────────────────────────────────────────────────────────


@dataclass
class ScoreRow:
    """One confirmed score of one of the vendor's orders: the points lost in each category of
    its template (附件2's five for a month; a KPI period's for 004) and the incidents behind
    them, and for a KPI period each indicator's figure against its baseline (`achievement`)."""

    order: int
    order_number: str
    contract: str
    month: date
    period_months: int
    score: Decimal
    deductions: dict[str, Decimal]
    incidents: int = 0
    achievement: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class VendorRecord:
    """What the vendor did on time: logs submitted by their due day, sheets invoiced by
    theirs (3.3.1); and the scores it disputed."""

    logs_on_time: int = 0
    logs_late: int = 0
    invoices_on_time: int = 0
    invoices_late: int = 0
    disputed: int = 0

    @staticmethod
    def share(on_time, late) -> Decimal | None:
        return Decimal(on_time) / (on_time + late) if on_time + late else None

    @property
    def logs_share(self):
        return self.share(self.logs_on_time, self.logs_late)

    @property
    def invoices_share(self):
        return self.share(self.invoices_on_time, self.invoices_late)


def vendor_scores(*, user, vendor) -> list[ScoreRow]:
    """The vendor's confirmed scores in the contracts the user sees, by order and month."""
    assessments = list(
        Assessment.objects.filter(
            order__in=Order.objects.visible_to(user).filter(contract__vendor=vendor),
            status=Assessment.Status.CONFIRMED,
        )
        .select_related("order__contract")
        .annotate(incident_count=Count("incidents"))
        .order_by("order__contract__code", "order__number", "month", "period_months")
    )
    deductions, achievement = defaultdict(dict), defaultdict(dict)
    entries = (
        AssessmentEntry.objects.filter(assessment__in=assessments)
        .exclude(indicator__kind=Indicator.Kind.BONUS)
        .values_list("assessment_id", "indicator__category__name")
        .annotate(points=Sum(F("indicator__max") - F("score")))
        .order_by("assessment_id", "indicator__category__position")
    )
    for assessment_id, category, points in entries:
        deductions[assessment_id][category] = quantize(points)
    measured = (
        AssessmentEntry.objects.filter(assessment__in=assessments, actual__isnull=False)
        .filter(Q(target__gt=0) | Q(target__isnull=True, indicator__target__gt=0))
        .values_list("assessment_id", "indicator__name", "actual", "target", "indicator__target")
    )
    for assessment_id, name, actual, target, own_target in measured:
        achievement[assessment_id][name] = actual / (target or own_target)
    return [
        ScoreRow(
            a.order_id,
            a.order.number,
            a.order.contract.code,
            a.month,
            a.period_months,
            a.total_score,
            deductions[a.pk],
            a.incident_count,
            achievement[a.pk],
        )
        for a in assessments
    ]


def vendor_record(*, user, vendor) -> VendorRecord:
    orders = Order.objects.visible_to(user).filter(contract__vendor=vendor)
    record = VendorRecord()
    for month, submitted_at in WorkLog.objects.filter(
        order__in=orders, submitted_at__isnull=False
    ).values_list("month", "submitted_at"):
        on_time = timezone.localdate(submitted_at) <= log_deadline(month)
        record.logs_on_time += on_time
        record.logs_late += not on_time
    today = timezone.localdate()
    for due, invoiced_on in (
        _signed(SettlementSheet.objects.filter(order__in=orders, invoice_due_by__isnull=False))
        .filter(payable_incl_tax__gt=0)
        .values_list("invoice_due_by", "invoiced_on")
    ):
        if invoiced_on is not None and invoiced_on <= due:
            record.invoices_on_time += 1
        elif invoiced_on is not None or today > due:
            record.invoices_late += 1
    record.disputed = Assessment.objects.filter(order__in=orders).exclude(dispute_reason="").count()
    return record


def vendors(*, user):
    """The vendors of the contracts the user sees."""
    return (
        Organization.objects.filter(vendor_contracts__in=FrameworkContract.objects.visible_to(user))
        .distinct()
        .order_by("name")
    )


# ── Finance's outlook ────────────────────────────────────────────────────────────────────────

OUTLOOK_WEEKS = 8


@dataclass
class Week:
    first: date
    last: date
    sheets: int = 0
    due_incl_tax: Decimal = ZERO


@dataclass
class Outlook:
    """What finance will pay: sheets signed but not invoiced in full (the vendor invoices
    within 10 working days, 3.3.1; nothing is owed before the invoice is received), what
    received invoices make due week by week (30 working days after receipt, 4.6), what is
    overdue, and what was paid this month."""

    today: date
    not_invoiced: list
    overdue: list
    weeks: list[Week]
    later: Decimal
    paid_this_month: Decimal

    @property
    def not_invoiced_total(self) -> Decimal:
        return sum((sheet.left_to_invoice for sheet in self.not_invoiced), ZERO)

    @property
    def due_in_weeks(self) -> Decimal:
        return sum((week.due_incl_tax for week in self.weeks), ZERO)

    @property
    def overdue_total(self) -> Decimal:
        return sum((sheet.owed for sheet in self.overdue), ZERO)


def outlook(*, user, today: date) -> Outlook:
    owed = list(sheets_owed(user=user))
    monday, _sunday = week_of(today)
    weeks = [
        Week(monday + timedelta(weeks=n), monday + timedelta(weeks=n, days=6))
        for n in range(OUTLOOK_WEEKS)
    ]
    later = ZERO
    for sheet in owed:
        if sheet.payment_due_by < today:
            continue
        index = (sheet.payment_due_by - monday).days // 7
        if index < OUTLOOK_WEEKS:
            weeks[index].sheets += 1
            weeks[index].due_incl_tax += sheet.owed
        else:
            later += sheet.owed
    month = today.replace(day=1)
    paid = payments_between(user=user, first=month, last=add_months(month, 1) - timedelta(1))
    return Outlook(
        today,
        list(sheets_not_invoiced(user=user)),
        [sheet for sheet in owed if sheet.payment_due_by < today],
        weeks,
        later,
        payments_total(paid),
    )
