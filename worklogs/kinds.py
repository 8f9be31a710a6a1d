"""The kinds of monthly log, one per settlement mode that reports by log
(`contracts.kinds.MONTHLY_LOG_MODES`): person-days (000, 001, 003) and deliveries (002).

Each kind supplies what differs: its lines and the field they come in, their total and unit,
the rules they keep, how they are written, its workbook and its page. Nobody else branches on
the contract's mode: they ask `log_kind(contract)`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from contracts.kinds import Mode
from contracts.models import FrameworkContract
from core.bulk import create_with_history, insert_with_history
from core.calendar import any_provisional, working_days, year_of
from core.numbers import parse_whole
from orders.models import Order
from worklogs.lines import (
    DAY_COLUMNS,
    DELIVERY_COLUMNS,
    Cap,
    DeliveryInput,
    LineInput,
    delivery_problems,
    line_problems,
    person_cap,
)
from worklogs.models import DeliveryLine, WorkLog, WorkLogLine
from worklogs.selectors import staff_active_in, staff_in
from worklogs.workbook import (
    delivery_workbook,
    read_delivery_upload,
    read_upload,
    template_workbook,
)


def _line(number: int) -> str:
    return _("Line %(n)s") % {"n": number}


@dataclass
class GridRow:
    """A person's row on the month's page: what is typed (or saved), the most the person may
    work on the order that month when it is less than the month (`cap`), and its problems."""

    member: object
    days: object
    remark: str
    cap: Cap | None
    problems: list[str]


class PersonDays:
    """000, 001, 003: a line per person of the roster with the days worked."""

    lines_field = "lines"
    columns = DAY_COLUMNS
    unit = "人天"
    title = gettext_lazy("Person-day logs")
    partial = "worklogs/days.html"
    intro = "worklogs/days_intro.html"

    def heading(self, month: date) -> str:
        return _("Person-days of %(month)s") % {"month": f"{month:%Y-%m}"}

    def other_kind(self, contract: FrameworkContract) -> str:
        """Why lines of another kind are refused on this kind's log."""
        return _("Contract %(code)s pays per person-day: record the month's days.") % {
            "code": contract.code
        }

    def total(self, log: WorkLog) -> Decimal:
        return log.total_days

    def work_done(self, log: WorkLog) -> str:
        return f"{log.total_days.normalize():f} {self.unit}"

    def problems(self, log: WorkLog, lines: list[LineInput]) -> list[str]:
        return line_problems(log, lines)

    def saved(self, log: WorkLog) -> list[LineInput]:
        """The log's lines as given, to check them again on submission."""
        return [
            LineInput(line.staff_id, line.days, line.staff.name)
            for line in log.lines.select_related("staff")
        ]

    def write(self, log: WorkLog, lines: list[LineInput]) -> None:
        """Only what changed is written, so the history shows what changed: a line updated in
        place, created or deleted only when its person appears or disappears."""
        staff = {
            pk: (role, level)
            for pk, role, level in staff_active_in(log.order, log.month).values_list(
                "pk", "role", "level"
            )
        }
        current = {line.staff_id: line for line in log.lines.all()}
        names = ("days", "remark", "role", "level")
        created, changed = [], []
        for given in lines:
            given_values = (given.days, given.remark.strip(), *staff[given.staff_id])
            values = dict(zip(names, given_values, strict=True))
            line = current.pop(given.staff_id, None)
            if line is None:
                created.append((log.pk, given.staff_id, *values.values()))
            elif any(getattr(line, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(line, name, value)
                changed.append(line)
        if current:  # the people no longer on the log
            WorkLogLine.objects.filter(pk__in=[line.pk for line in current.values()]).delete()
        bulk_update_with_history(changed, WorkLogLine, names, batch_size=1000)
        insert_with_history(WorkLogLine, ["log", "staff", *names], created)

    def from_api(self, data: list[dict]) -> list[LineInput]:
        return [
            LineInput(line["staff_id"], line["days"], _line(number), remark=line.get("remark", ""))
            for number, line in enumerate(data, start=1)
        ]

    def workbook(self, order: Order, month: date, log: WorkLog | None) -> tuple[bytes, str]:
        """附件: 人天填报表, with the days already entered."""
        saved = log.lines.all() if log else []
        current = {line.staff_id: (line.days, line.remark) for line in saved}
        return (
            template_workbook(order, month, current),
            f"人天填报-{order.number}-{month:%Y-%m}.xlsx",
        )

    def read_upload(self, upload) -> list[LineInput]:
        return read_upload(upload)

    def posted(self, data, order: Order, month: date) -> tuple[list[LineInput], list[str]]:
        """A line per row of the page with days or a remark typed; what is no number is left
        to the service to name with every other problem."""
        lines = []
        forms = [column.form for column in self.columns if column.form]
        for member in staff_in(order, month):
            days, remark = (data.get(f"{form}-{member.pk}", "").strip() for form in forms)
            if not (days or remark):
                continue
            line = LineInput(member.pk, None, member.name, remark=remark)
            line.read_days(days)
            lines.append(line)
        return lines, []

    def page(self, data, order: Order, month: date, log, editable, problems) -> dict:
        """The grid: a row per staff member of the month, the days in the last column; one
        procurement has not approved shows so, and days typed for him are refused (2.9)."""
        saved = {line.staff_id: line for line in log.lines.all()} if log else {}
        year = year_of(month.year)
        workdays = year.month_count(month.month)
        typed = [column for column in self.columns if column.form]
        rows = []
        for member in staff_in(order, month):
            line = saved.get(member.pk)
            cap = person_cap(year, order, member, month)
            days, remark = (
                data.get(f"{column.form}-{member.pk}", getattr(line, column.name, ""))
                for column in typed
            )
            rows.append(
                GridRow(
                    member,
                    days,
                    remark,
                    cap if cap.days < workdays else None,
                    [p.message for p in problems if getattr(p, "staff_id", None) == member.pk],
                )
            )
        shown = {row.member.pk for row in rows}
        return {
            "rows": rows,
            "workdays": working_days(month),
            "provisional": any_provisional([month]),
            # Problems of a row are shown in it; these are the others.
            "other_problems": [p for p in problems if getattr(p, "staff_id", None) not in shown],
        }


BLANK_DELIVERY_ROWS = 5
MAX_DELIVERY_ROWS = 2000  # four fields each: settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def _whole(text: str) -> int | None:
    """A form's whole number, or None (int() takes "²" and "١" too)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _posted_rows(data) -> int:
    return _whole(data.get("rows", "")) or 0


class Deliveries:
    """002: a line per item and parcel delivered, with its pieces."""

    lines_field = "deliveries"
    columns = DELIVERY_COLUMNS
    unit = "件"
    title = gettext_lazy("Delivery logs")
    partial = "worklogs/deliveries.html"
    intro = "worklogs/deliveries_intro.html"

    def heading(self, month: date) -> str:
        return _("Deliveries of %(month)s") % {"month": f"{month:%Y-%m}"}

    def other_kind(self, contract: FrameworkContract) -> str:
        return _("Contract %(code)s pays per item: record the month's deliveries.") % {
            "code": contract.code
        }

    def total(self, log: WorkLog) -> int:
        return log.total_quantity

    def work_done(self, log: WorkLog) -> str:
        return f"{log.total_quantity} {self.unit}"

    def problems(self, log: WorkLog, lines: list[DeliveryInput]) -> list[str]:
        return delivery_problems(log, lines)

    def saved(self, log: WorkLog) -> list[DeliveryInput]:
        return [
            DeliveryInput(ln.item, ln.quantity, ln.tracking_ref, ln.qa_claims, ln.tracking_ref)
            for ln in log.deliveries.all()
        ]

    def write(self, log: WorkLog, lines: list[DeliveryInput]) -> None:
        log.deliveries.all().delete()
        create_with_history(
            [
                DeliveryLine(
                    log=log,
                    item=line.item,
                    quantity=line.quantity,
                    tracking_ref=line.tracking_ref.strip(),
                    qa_claims=line.qa_claims,
                )
                for line in lines
            ]
        )

    def from_api(self, data: list[dict]) -> list[DeliveryInput]:
        return [
            DeliveryInput(
                line["item"],
                line["quantity"],
                line["tracking_ref"],
                line.get("qa_claims", 0),
                _line(number),
            )
            for number, line in enumerate(data, start=1)
        ]

    def workbook(self, order: Order, month: date, log: WorkLog | None) -> tuple[bytes, str]:
        """交付记录表, with the deliveries already entered."""
        deliveries = log.deliveries.all() if log else []
        return (
            delivery_workbook(order, month, deliveries),
            f"交付记录-{order.number}-{month:%Y-%m}.xlsx",
        )

    def read_upload(self, upload) -> list[DeliveryInput]:
        return read_delivery_upload(upload)

    def posted(self, data, order: Order, month: date) -> tuple[list[DeliveryInput], list[str]]:
        """The numbered rows of the page's form; a number that cannot be read is named here."""
        if _posted_rows(data) > MAX_DELIVERY_ROWS:
            return [], [
                _("The page takes at most %(max)s lines a month; send more through the API.")
                % {"max": MAX_DELIVERY_ROWS}
            ]
        forms = [column.form for column in self.columns if column.form]
        lines, problems = [], []
        for i in range(_posted_rows(data)):
            item, quantity, tracking, claims = (data.get(f"{f}-{i}", "").strip() for f in forms)
            if not (item or quantity or tracking or claims):
                continue
            where = _line(i + 1)
            numbers = []
            for value in (quantity, claims or "0"):
                try:
                    numbers.append(parse_whole(value, max_digits=9))
                except ValueError as error:
                    problems.append(
                        _("%(where)s: %(message)s") % {"where": where, "message": error}
                    )
                    numbers.append(None)
            lines.append(DeliveryInput(item, numbers[0], tracking, numbers[1], where))
        return lines, problems

    def page(self, data, order: Order, month: date, log, editable, problems) -> dict:
        """The delivery lines as the form shows them: what was posted, else what is saved, and
        blank rows to add more while the vendor may edit."""
        typed = [column for column in self.columns if column.form]
        if data:
            rows = [
                [data.get(f"{column.form}-{i}", "") for column in typed]
                for i in range(min(_posted_rows(data), MAX_DELIVERY_ROWS))
            ]
        else:
            saved = log.deliveries.all() if log else []
            rows = [[getattr(line, column.name) for column in typed] for line in saved]
        if editable:
            rows += [[""] * len(typed)] * BLANK_DELIVERY_ROWS
        return {
            "deliveries": {"rows": rows, "items": list(order.contract.item_prices())},
            "other_problems": problems,
        }


PERSON_DAYS = PersonDays()
DELIVERIES = Deliveries()
LOG_KINDS = {Mode.PERSON_DAY: PERSON_DAYS, Mode.PER_ITEM: DELIVERIES}


def log_kind(contract: FrameworkContract) -> PersonDays | Deliveries | None:
    """The kind of log the contract's orders report monthly; None when they report none (a
    fixed-price contract reports KPIs)."""
    return LOG_KINDS.get(contract.settlement_mode)
