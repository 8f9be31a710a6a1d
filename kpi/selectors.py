from datetime import date

from contracts.kinds import MONTHLY_LOG_MODES
from core.dates import add_months
from kpi.models import REPORT_DUE_DAY, KpiReport
from orders.models import Order
from orders.selectors import MissingReport, orders_reporting_in


def missing_reports(*, user, today: date) -> list[MissingReport]:
    """Fixed-price orders in service whose last month has no submitted KPI report (due by
    the 5th)."""
    month = add_months(today.replace(day=1), -1)
    done = KpiReport.objects.filter(
        month=month, status__in=[KpiReport.Status.SUBMITTED, KpiReport.Status.APPROVED]
    ).values("order_id")
    orders = (
        orders_reporting_in(month, Order.objects.visible_to(user))
        .filter(status=Order.Status.IN_SERVICE)
        .exclude(contract__settlement_mode__in=MONTHLY_LOG_MODES)
        .exclude(pk__in=done)
    )
    return [MissingReport(order, month, today.replace(day=REPORT_DUE_DAY)) for order in orders]


def kpi_orders(*, user=None):
    """The orders (the user's, or all) that report KPIs rather than a monthly log, issued or
    done, with their payment plans (their milestones)."""
    return (
        (Order.objects.all() if user is None else Order.objects.visible_to(user))
        .filter(status__in=[*Order.OPEN, Order.Status.COMPLETED])
        .exclude(contract__settlement_mode__in=MONTHLY_LOG_MODES)
        .prefetch_related("payment_plan")
    )


def reports_with_status(*, user, status):
    return KpiReport.objects.visible_to(user).filter(status=status).select_related("order")
