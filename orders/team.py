"""The contract's team against its plan (3.2.1–3.2.2), read where orders and staff meet.

The planned team comes from the contract's open orders (issued or in service): a line of an
order needs ⌈planned person-days ÷ working days of its order's service period⌉ people (those
who, working every working day of the period, do the planned days). Orders that run in the
same month add up, and a role × level is planned at its busiest month: the most people the
open orders need of it in any one month.

3.2.1: the team is formed (someone approved) within 30 days of signing; 3.2.2: every planned
member is in place (approved) within a month after that. A role × level planned by an order
that starts later is due by its first order's start instead, when that comes after. Only a
contract whose kind plans people by the day (`PaymentMode.team_planned`) has a planned team.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.kinds import MODES
from core.calendar import each_day, year_of
from core.dates import add_months
from core.views import months_between
from orders.models import Order
from staffing.models import StaffMember

FORMED_WITHIN = timedelta(days=30)  # 3.2.1
WORKING = (StaffMember.Status.ACTIVE, StaffMember.Status.LEAVING)


def working_days_between(first: date, last: date) -> int:
    """Working days from first to last, both included, across years."""
    years = {number: year_of(number) for number in range(first.year, last.year + 1)}
    return sum(years[day.year].is_workday(day) for day in each_day(first, last))


@dataclass
class TeamRow:
    role: str
    level: str
    planned: int
    approved: int
    pending: int
    due: date

    @property
    def short(self) -> int:
        return max(self.planned - self.approved, 0)

    def overdue(self, today: date) -> bool:
        return self.short > 0 and today > self.due


@dataclass
class Team:
    formed_by: date
    complete_by: date
    rows: list[TeamRow]
    formed: bool  # someone is approved

    def formation_overdue(self, today: date) -> bool:
        return bool(self.rows) and not self.formed and today > self.formed_by

    def overdue_rows(self, today: date) -> list[TeamRow]:
        return [row for row in self.rows if row.overdue(today)]

    def overdue(self, today: date) -> bool:
        return self.formation_overdue(today) or bool(self.overdue_rows(today))


def planned_team(contract) -> dict[tuple[str, str], tuple[int, date]]:
    """(role, level) → (people at its busiest month, the first service start that needs it)."""
    orders = (
        Order.objects.filter(contract=contract, status__in=Order.OPEN)
        .prefetch_related("lines")
        .order_by("service_start")
    )
    by_month: dict[date, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    first_needed: dict[tuple, date] = {}
    for order in orders:
        days = working_days_between(order.service_start, order.service_end)
        for line in order.lines.all():
            people = math.ceil(line.planned_quantity / days) if days else 0
            if not people:
                continue
            key = (line.role, line.level)
            first_needed.setdefault(key, order.service_start)
            for month in months_between(order.service_start, order.service_end):
                by_month[month][key] += people
    return {
        key: (max(month.get(key, 0) for month in by_month.values()), start)
        for key, start in first_needed.items()
    }


def team_of(contract) -> Team | None:
    """The contract's planned team against who is approved; None for a contract whose kind
    plans no team by the day."""
    if not MODES[contract.settlement_mode].team_planned:
        return None
    formed_by = contract.signed_on + FORMED_WITHIN
    complete_by = add_months(formed_by, 1)
    staff = StaffMember.objects.filter(contract=contract)
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for role, level, status in staff.values_list("role", "level", "status"):
        counts[(role, level)][status] += 1
    rows = [
        TeamRow(
            role,
            level,
            planned,
            sum(counts[(role, level)][s] for s in WORKING),
            counts[(role, level)][StaffMember.Status.PENDING],
            max(complete_by, needed_from),
        )
        for (role, level), (planned, needed_from) in sorted(planned_team(contract).items())
    ]
    formed = staff.filter(status__in=WORKING).exists()
    return Team(formed_by, complete_by, rows, formed)
