"""What a log's lines are: their fields, declared once for the API, the workbook and the page;
the lines as a user gives them; and the rules they keep (SPEC §4), every problem named at once."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from contracts.models import MAX_QUANTITY
from core.calendar import Year, month_days, year_of
from core.errors import DomainError
from core.numbers import NumberError, parse_decimal
from orders.models import Order
from worklogs.models import REMARK_LENGTH, WorkLog
from worklogs.selectors import days_by_person, staff_in


@dataclass(frozen=True)
class Column:
    """A field of a log's line: `name` in the model and the API, `header` its column in the
    workbook, `form` its input on the page (`<form>-<row>`; none for the field that names the
    row); `given` when the user gives it (the portal fills in the others), `api` when the API
    shows it."""

    name: str
    header: str
    form: str = ""
    given: bool = True
    api: bool = True


# A person-day line: the person (by the 员工编号 of the template) and their days; the rest is
# the roster's, shown to check against.
DAY_COLUMNS = (
    Column("staff", "员工编号"),
    Column("name", "姓名", given=False),
    Column("role", "岗位职责", given=False),
    Column("level", "级别", given=False),
    Column("id_number_masked", "身份证号（脱敏）", given=False, api=False),
    Column("days", "人天", form="days"),
    Column("remark", "备注", form="remark"),
)
# 002: a parcel of one item; the workbook's 备注 is the vendor's own note, never read.
DELIVERY_COLUMNS = (
    Column("item", "产品项目", form="item"),
    Column("quantity", "件数", form="quantity"),
    Column("tracking_ref", "快递单号", form="tracking"),
    Column("qa_claims", "质保重制件数", form="claims"),
    Column("note", "备注", given=False, api=False),
)


def api_fields(columns) -> list[str]:
    return [column.name for column in columns if column.api]


def given(columns) -> tuple[Column, ...]:
    return tuple(column for column in columns if column.given)


HALF = Decimal("0.5")
REMARK_WITHOUT_DAYS = gettext_lazy("a remark goes with the days worked: give them (0 if none)")


def days_text(days: Decimal) -> str:
    """18.5 → "18.5", 10.0 → "10": the same text whichever database summed it."""
    return format(days.normalize(), "f")


class WorkLogError(DomainError):
    code = "worklog"


@dataclass(frozen=True)
class Cell:
    """A workbook cell as the user filled it in, to point at it in a message."""

    sheet: str
    row: int
    letter: str
    header: str
    value: str


@dataclass
class LineInput:
    """One line as the user gave it; `where` names it in a message (a row, a name). A
    workbook's line names its `cells` by field ("staff", "days", "remark"); `unreadable`
    holds, by field, why the reader could not read a value (a cell that is no number), so that
    the rules are checked and every problem named in one pass."""

    staff_id: int | None
    days: Decimal | None
    where: str
    remark: str = ""
    cells: dict[str, Cell] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)

    def read_days(self, text) -> None:
        """The days as typed (a cell or an input); what is no number, or a remark without
        days, is kept in `unreadable` for the service to name with every other problem."""
        try:
            self.days = parse_decimal(text, max_digits=4, decimal_places=1)
        except NumberError as error:
            self.unreadable["days"] = str(error)
        else:
            if self.days is None:
                self.unreadable["days"] = str(REMARK_WITHOUT_DAYS)


class Problem(str):
    """What is wrong with a line, as text (like every message of a DomainError), and where:
    the `message` alone, the `field` of the line it concerns, the page row (`staff_id`) and,
    from a workbook, the `cell`."""

    def __new__(cls, line: LineInput, field_name: str, message: str):
        cell = line.cells.get(field_name)
        if cell is None:
            text = _("%(where)s: %(message)s") % {"where": line.where, "message": message}
        elif cell.value == "":
            text = _(
                "Sheet “%(sheet)s”, row %(row)s, column %(letter)s (%(header)s), left empty: "
                "%(message)s"
            ) % {**cell.__dict__, "message": message}
        else:
            text = _(
                "Sheet “%(sheet)s”, row %(row)s, column %(letter)s (%(header)s), "
                "“%(value)s”: %(message)s"
            ) % {**cell.__dict__, "message": message}
        problem = super().__new__(cls, text)
        problem.message, problem.field, problem.cell = message, field_name, cell
        problem.staff_id = line.staff_id
        return problem


@dataclass
class DeliveryInput:
    """One delivery as the user gave it (002): an item of the rate card, how many, the
    parcel's tracking number and the pieces remade under the quality guarantee."""

    item: str
    quantity: int | None
    tracking_ref: str
    qa_claims: int | None
    where: str


@dataclass(frozen=True)
class Cap:
    """The most days a person works on an order in a month: the working days from the later of
    the order's and the person's start to the earlier of their ends, within the month. `why`
    names what cuts the month short ("started on 20 November")."""

    days: int
    why: str


def _day(day: date) -> str:
    return dateformat.format(day, pgettext("a day of a month", "F j"))


def person_cap(year: Year, order: Order, member, month: date) -> Cap:
    """SPEC §4: a person's days on an order in a month, cut by the order's service period and
    the person's own start and last day (the portal's working-day calendar counts them)."""
    first, last = month_days(month)
    start = max(first, order.service_start, member.start_date)
    end = min(last, order.service_end, member.end_date or last)
    why = []
    if start > first:
        joined = start == member.start_date
        why.append(
            (_("started on %(day)s") if joined else _("the order serves from %(day)s"))
            % {"day": _day(start)}
        )
    if end < last:
        leaves = end == member.end_date
        why.append(
            (_("left after %(day)s") if leaves else _("the order serves until %(day)s"))
            % {"day": _day(end)}
        )
    if len(why) == 2:
        why = [_("%(first)s, %(then)s") % {"first": why[0], "then": why[1]}]
    return Cap(year.count(start, end) if start <= end else 0, "".join(why))


def cap_refusal(member, cap: Cap, month: date) -> str:
    """A person's days over the cap, said with the person, the month, the cap and why."""
    names = {
        "name": member.name,
        "month": date_format(month, "YEAR_MONTH_FORMAT"),
        "most": cap.days,
        "why": cap.why,
    }
    if cap.days == 0:
        return _("%(name)s has no working day on this order in %(month)s (%(why)s)") % names
    return _("%(name)s can work at most %(most)s days on this order in %(month)s (%(why)s)") % names


def unapproved(member) -> str:
    """2.9: why no days are logged for him (the problem is named by his line)."""
    if member.status == member.Status.REFUSED:
        return _("refused by procurement (%(reason)s): no days can be logged") % {
            "reason": member.refusal_reason
        }
    return _("awaits procurement's approval: no days can be logged yet")


def line_problems(log: WorkLog, lines: list[LineInput]) -> list[Problem]:
    """SPEC §4: every rule a log's lines must keep, each problem naming its line and field, all
    of them at once (what the reader could not read included)."""
    order = log.order
    year = year_of(log.month.year)
    workdays = year.month_count(log.month.month)
    # What the rules read of a person: a whole member, with its foreign keys, costs more to
    # build than the rules at 10,000 lines.
    members = staff_in(order, log.month).only(
        *("name", "status", "refusal_reason", "role", "level"),
        *("start_date", "end_date", "id_number_digest"),
    )
    staff = {member.pk: member for member in members}
    priced = {
        key for key, price in order.contract.prices_on(log.month).items() if price is not None
    }
    elsewhere = days_by_person(log.month, exclude_log=log)
    in_this_log: dict[str, Decimal] = {}
    caps: dict[tuple, Cap] = {}
    seen = set()
    problems = []

    def problem(line, field_name, message):
        problems.append(Problem(line, field_name, message))

    for line in lines:
        for field_name, message in line.unreadable.items():
            problem(line, field_name, message)
        if "staff" in line.unreadable:
            continue
        member = staff.get(line.staff_id)
        if member is None:
            problem(
                line,
                "staff",
                _("not on contract %(code)s in %(month)s")
                % {"code": order.contract.code, "month": f"{log.month:%Y-%m}"},
            )
            continue
        if member.pk in seen:
            problem(line, "staff", _("%(name)s appears twice") % {"name": member.name})
            continue
        seen.add(member.pk)
        if not member.approved:  # 2.9: the buyer has not accepted him (yet)
            problem(line, "staff", unapproved(member))
            continue
        if (member.role, member.level) not in priced:
            problem(
                line,
                "staff",
                _("%(role)s %(level)s has no price on the rate card")
                % {"role": member.role, "level": member.level},
            )
        if len(line.remark) > REMARK_LENGTH:
            problem(
                line,
                "remark",
                _("a remark holds at most %(max)s characters") % {"max": REMARK_LENGTH},
            )
        if "days" in line.unreadable:
            continue
        days = line.days
        if days is None or days < 0 or (days / HALF) % 1:
            problem(
                line,
                "days",
                _("%(days)s is not a number of days ≥ 0 in steps of 0.5")
                % {"days": "" if days is None else days},
            )
            continue
        dates = (member.start_date, member.end_date)  # most people share them: counted once
        if dates not in caps:
            caps[dates] = person_cap(year, order, member, log.month)
        cap = caps[dates]
        if cap.days < workdays and days > cap.days:  # the whole month is the next rule's
            problem(line, "days", cap_refusal(member, cap, log.month))
        person = member.id_number_digest
        in_this_log[person] = in_this_log.get(person, Decimal(0)) + days
        total = elsewhere.get(person, Decimal(0)) + in_this_log[person]
        if total > workdays:
            problem(
                line,
                "days",
                _(
                    "%(name)s would have %(total)s days in %(month)s, more than its "
                    "%(workdays)s working days (%(other)s logged on other orders)"
                )
                % {
                    "name": member.name,
                    "total": days_text(total),
                    "month": f"{log.month:%Y-%m}",
                    "workdays": workdays,
                    "other": days_text(elsewhere.get(person, Decimal(0))),
                },
            )
    return problems


def delivery_problems(log: WorkLog, deliveries: list[DeliveryInput]) -> list[str]:
    """002: every rule a month's deliveries keep, each problem naming its line."""
    items = log.order.contract.item_prices()
    seen = set()
    problems = []

    def problem(line, message):
        problems.append(_("%(where)s: %(message)s") % {"where": line.where, "message": message})

    for line in deliveries:
        if line.item not in items:
            problem(
                line,
                _("“%(item)s” is not an item priced on the rate card of %(code)s")
                % {"item": line.item, "code": log.order.contract.code},
            )
        if line.quantity is None:
            problem(line, _("give the number of pieces"))
        elif not 0 <= line.quantity < MAX_QUANTITY:
            problem(
                line, _("%(quantity)s is not a number of pieces ≥ 0") % {"quantity": line.quantity}
            )
        if line.qa_claims is None or not 0 <= line.qa_claims < MAX_QUANTITY:
            problem(line, _("the quality-guarantee claims are a number of pieces ≥ 0"))
        ref = line.tracking_ref.strip()
        if not ref or len(ref) > 60:
            problem(line, _("give the parcel's tracking number (60 characters at most)"))
        elif (line.item, ref) in seen:
            problem(
                line,
                _("%(item)s in parcel %(ref)s appears twice") % {"item": line.item, "ref": ref},
            )
        seen.add((line.item, ref))
    if sum(max(line.quantity or 0, 0) for line in deliveries) >= MAX_QUANTITY:
        problems.append(
            _("A month delivers fewer than %(max)s pieces in all.") % {"max": MAX_QUANTITY}
        )
    ceiling = log.order.contract.ceiling_incl_tax
    worth = sum(max(ln.quantity or 0, 0) * items.get(ln.item, 0) for ln in deliveries)
    if worth > ceiling:  # at prices excl. tax: surely a mistake, and no sheet could hold it
        problems.append(
            _(
                "The month's deliveries are worth %(worth)s excl. tax, above the ceiling "
                "%(ceiling)s."
            )
            % {"worth": worth, "ceiling": ceiling}
        )
    return problems
