from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from contracts.kinds import MONTHLY_LOG_MODES
from core.calendar import month_days, nth_workday
from core.dates import add_months
from core.history import history_entries
from orders.models import Order
from orders.selectors import MissingReport, orders_reporting_in
from staffing.models import StaffMember
from worklogs.models import DeliveryLine, WorkLog, WorkLogLine

UNAPPROVED = (StaffMember.Status.PENDING, StaffMember.Status.REFUSED)


def worklog_list(*, user):
    return (
        WorkLog.objects.visible_to(user)
        .select_related("order", "order__contract", "order__contract__vendor", "approved_by")
        .prefetch_related(
            Prefetch("lines", queryset=WorkLogLine.objects.select_related("staff")), "deliveries"
        )
    )


def staff_in(order: Order, month: date):
    """The order's contract staff registered for some day of the month, approved or not."""
    first, last = month_days(month)
    return StaffMember.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        contract_id=order.contract_id,
        start_date__lte=last,
    ).order_by("role", "level", "name")


def staff_active_in(order: Order, month: date):
    """Of `staff_in`, those procurement approved (2.9): only they can have days logged."""
    return staff_in(order, month).exclude(status__in=UNAPPROVED)


def days_by_person(month: date, *, exclude_log: WorkLog | None = None) -> dict[str, Decimal]:
    """Days already logged in a month per person (ID digest), over every order of every
    contract."""
    lines = WorkLogLine.objects.filter(log__month=month)
    if exclude_log is not None and exclude_log.pk:
        lines = lines.exclude(log=exclude_log)
    return dict(
        lines.values("staff__id_number_digest")
        .annotate(total=Sum("days"))
        .values_list("staff__id_number_digest", "total")
    )


def worklog_history(log: WorkLog):
    """The log's changes of state with every edit of its lines. A line's entry is named by its
    person and shows its figures, not the log it belongs to nor the person again."""
    entries = history_entries(
        log,
        parts=[
            (
                WorkLogLine.history.filter(log_id=log.pk).select_related("staff"),
                lambda r: r.staff.name if r.staff else "",
            ),
            (DeliveryLine.history.filter(log_id=log.pk), lambda r: f"{r.item} {r.tracking_ref}"),
        ],
    )
    implied = {str(WorkLogLine._meta.get_field(name).verbose_name) for name in ("log", "staff")}
    for entry in entries:
        entry["changes"] = [change for change in entry["changes"] if change["field"] not in implied]
    return entries


LOG_DUE_WORKDAY = 5  # a month's log is due by the 5th working day of the next


def log_deadline(month: date) -> date:
    """The day a month's log is due."""
    return nth_workday(add_months(month, 1), LOG_DUE_WORKDAY)


def missing_logs(*, today: date, user=None) -> list[MissingReport]:
    """Orders in service (the user's, or all) whose last month has no submitted log: due by
    the 5th working day. A fixed-price order reports KPIs instead (kpi.selectors)."""
    month = add_months(today.replace(day=1), -1)
    deadline = log_deadline(month)
    done = WorkLog.objects.filter(
        month=month, status__in=[WorkLog.Status.SUBMITTED, WorkLog.Status.APPROVED]
    ).values("order_id")
    orders = (
        orders_reporting_in(month, None if user is None else Order.objects.visible_to(user))
        .filter(status=Order.Status.IN_SERVICE, contract__settlement_mode__in=MONTHLY_LOG_MODES)
        .exclude(pk__in=done)
        .select_related("contract__vendor")
    )
    return [MissingReport(order, month, deadline) for order in orders]


def logs_to_review(*, user):
    return worklog_list(user=user).filter(status=WorkLog.Status.SUBMITTED)


def logs_returned(*, user):
    return worklog_list(user=user).filter(status=WorkLog.Status.RETURNED)
