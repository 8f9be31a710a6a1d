from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import Finding, Year, each_day, month_days
from core.models import User
from core.states import advance
from notifications.services import notify_contract
from orders.models import Order
from orders.selectors import order_reports_in
from orders.terminations import refuse_after_termination
from worklogs.kinds import DELIVERIES, PERSON_DAYS, Deliveries, PersonDays, log_kind
from worklogs.lines import (
    DeliveryInput,
    LineInput,
    WorkLogError,
    days_text,
    person_cap,
)
from worklogs.models import WorkLog, WorkLogLine

Status = WorkLog.Status
SUBMITTED = gettext_lazy(
    "The work log of %(order)s for %(month)s was submitted and awaits approval."
)
RETURNED = gettext_lazy("The work log of %(order)s for %(month)s was returned: %(reason)s")
REOPENED = gettext_lazy("The approved work log of %(order)s for %(month)s was reopened: %(reason)s")


def _tell(kind: str, log: WorkLog, role: str, message, reason: str = "") -> None:
    """Tells the other side of the log's contract (`role`: its buyer's procurement or its
    vendor's PMs) that the log is theirs to act on now, linking its month's page."""
    order = log.order
    contract = order.contract
    notify_contract(
        kind,
        contract,
        role,
        message=message,
        params={"order": order.number, "month": f"{log.month:%Y-%m}", "reason": reason},
        url=reverse("worklog-month", args=[order.pk, f"{log.month:%Y-%m}"]),
    )


@transaction.atomic
def worklog_open(*, order: Order, month: date) -> WorkLog:
    """The order's log for the month, a new draft if there is none yet."""
    month = month.replace(day=1)
    if log_kind(order.contract) is None:
        raise WorkLogError(
            _("Order %(number)s reports KPIs, not a monthly log.") % {"number": order.number}
        )
    refusal = order_reports_in(order, month)
    if refusal:
        raise WorkLogError(refusal.message, field=refusal.field)
    log, _created = WorkLog.objects.get_or_create(order=order, month=month)
    return log


def _editable(log: WorkLog, kind: PersonDays | Deliveries) -> WorkLog:
    """The log, locked, while its vendor may still change it with lines of this kind."""
    log = (
        WorkLog.objects.select_for_update(no_key=True)
        .select_related("order__contract")
        .get(pk=log.pk)
    )
    if log.status not in WorkLog.EDITABLE:
        raise WorkLogError(
            _("The log of %(month)s is %(status)s and cannot be edited.")
            % {"month": f"{log.month:%Y-%m}", "status": log.get_status_display()}
        )
    own = log_kind(log.order.contract)
    if own is not kind:
        raise WorkLogError(own.other_kind(log.order.contract))
    return log


def _refuse(problems: list[str], field: str) -> None:
    """Nothing is saved while a line breaks a rule; every problem is named."""
    if problems:
        raise WorkLogError(
            _("The log was not saved: %(count)s problems.") % {"count": len(problems)},
            field=field,
            messages=problems,
        )


@transaction.atomic
def worklog_save_lines(*, log: WorkLog, lines: list, kind: PersonDays | Deliveries) -> WorkLog:
    """SPEC §4 (person-day log): a month's lines of a kind at once, or none; every bad line is
    named. Lines of another kind than the log's are refused."""
    log = _editable(log, kind)
    _refuse(kind.problems(log, lines), field=kind.lines_field)
    kind.write(log, lines)
    return log


def worklog_save(*, log: WorkLog, lines: list[LineInput]) -> WorkLog:
    """A person-day month's days (000, 001, 003)."""
    return worklog_save_lines(log=log, lines=lines, kind=PERSON_DAYS)


def worklog_save_deliveries(*, log: WorkLog, deliveries: list[DeliveryInput]) -> WorkLog:
    """A per-item month's deliveries (002)."""
    return worklog_save_lines(log=log, lines=deliveries, kind=DELIVERIES)


@transaction.atomic
def worklog_import(*, order: Order, month: date, upload) -> tuple[WorkLog, int]:
    """SPEC §4: an uploaded template saved into the order's log of the month (opened if need
    be), by its kind, all or nothing; with how many lines it held."""
    log = worklog_open(order=order, month=month)
    kind = log_kind(order.contract)
    lines = kind.read_upload(upload)
    try:
        worklog_save_lines(log=log, lines=lines, kind=kind)
    except WorkLogError as error:  # the problems are the file's, each naming its row
        raise WorkLogError(error.message, field="file", messages=error.messages) from error
    return log, len(lines)


@transaction.atomic
def worklog_enter(*, order: Order, month: date, lines: list, submit: bool) -> WorkLog:
    """SPEC §4: the page's form, the month's lines saved into its log (opened if there is none
    yet) and, when asked, submitted; a refused submission saves nothing either."""
    log = WorkLog.objects.filter(order=order, month=month).first()
    log = worklog_save_lines(
        log=log or worklog_open(order=order, month=month),
        lines=lines,
        kind=log_kind(order.contract),
    )
    return worklog_submit(log=log) if submit else log


@transaction.atomic
def worklog_submit(*, log: WorkLog) -> WorkLog:
    """The vendor PM hands the month's work to the buyer."""
    if not (log.lines.exists() or log.deliveries.exists()):
        raise WorkLogError(_("The log has no lines yet."))
    refuse_after_termination(log.order, log.month, error=WorkLogError)
    kind = log_kind(log.order.contract)
    problems = kind.problems(log, kind.saved(log))
    if problems:
        raise WorkLogError(
            _("The log was not submitted: %(count)s problems.") % {"count": len(problems)},
            field=kind.lines_field,
            messages=problems,
        )
    submitted = advance(
        log,
        WorkLog.flow["submit"],
        error=WorkLogError,
        submitted_at=timezone.now(),
        returned_reason="",
    )
    _tell("log_submitted", log, User.Role.PROCUREMENT, SUBMITTED)
    return submitted


@transaction.atomic
def worklog_approve(*, log: WorkLog, actor) -> WorkLog:
    """SPEC §4: only approved logs are settled."""
    refuse_after_termination(log.order, log.month, error=WorkLogError)
    return advance(
        log,
        WorkLog.flow["approve"],
        error=WorkLogError,
        approved_at=timezone.now(),
        approved_by=actor,
    )


def _reason(reason: str) -> str:
    if not reason.strip():
        raise WorkLogError(_("Give the reason."), field="reason")
    return reason.strip()


@transaction.atomic
def worklog_return(*, log: WorkLog, reason: str) -> WorkLog:
    returned = advance(
        log,
        WorkLog.flow["return"],
        error=WorkLogError,
        returned_reason=_reason(reason),
    )
    _tell("log_returned", log, User.Role.VENDOR_PM, RETURNED, returned.returned_reason)
    return returned


@transaction.atomic
def worklog_reopen(*, log: WorkLog, reason: str) -> WorkLog:
    """An approved log goes back to the vendor while no sheet rests on it."""
    reopened = advance(
        log,
        WorkLog.flow["reopen"],
        error=WorkLogError,
        frozen=_(
            "The month's sheet is confirmed: the log can no longer be reopened. "
            "Correct a signed month with an adjustment sheet."
        ),
        returned_reason=_reason(reason),
        approved_at=None,
        approved_by=None,
    )
    _tell("log_returned", log, User.Role.VENDOR_PM, REOPENED, reopened.returned_reason)
    return reopened


def calendar_recheck(before: Year, after: Year) -> list[Finding]:
    """SPEC §9: after a year is published, the logs whose days no longer fit it are listed
    (a person over the month's working days, a line over its order's); none is changed."""
    findings = []
    for month in range(1, 13):
        first, last = month_days(date(after.number, month, 1))
        if all(before.is_workday(d) == after.is_workday(d) for d in each_day(first, last)):
            continue
        workdays = after.month_count(month)
        lines = (
            WorkLogLine.objects.filter(log__month=first)
            .select_related("staff", "log__order__contract")
            .order_by("log__order__number", "staff__name")
        )
        totals: dict[str, Decimal] = {}
        for line in lines:
            person = line.staff.id_number_digest
            totals[person] = totals.get(person, Decimal(0)) + line.days
        for line in lines:
            log, member = line.log, line.staff
            most = person_cap(after, log.order, member, first).days
            total = totals[member.id_number_digest]
            if total > workdays or line.days > most:
                findings.append(
                    Finding(
                        log.order.contract.buyer_id,
                        _(
                            "Log %(log)s (%(status)s): %(name)s has %(days)s days on it and "
                            "%(total)s in the month, the published calendar allows %(most)s "
                            "on the order and %(workdays)s in the month."
                        )
                        % {
                            "log": log,
                            "status": log.get_status_display(),
                            "name": member.name,
                            "days": days_text(line.days),
                            "total": days_text(total),
                            "most": most,
                            "workdays": workdays,
                        },
                        f"/orders/{log.order_id}/worklog/{first:%Y-%m}/",
                    )
                )
    return findings
