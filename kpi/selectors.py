from datetime import date

from contracts.models import FrameworkContract
from core.dates import add_months
from kpi.models import REPORT_DUE_DAY, KpiReport
from orders.models import Order
from worklogs.selectors import MissingLog


def missing_reports(*, user, today: date) -> list[MissingLog]:
    """Fixed-price orders in service whose last month has no submitted KPI report (due by
    the 5th)."""
    month = add_months(today.replace(day=1), -1)
    done = KpiReport.objects.filter(
        month=month, status__in=[KpiReport.Status.SUBMITTED, KpiReport.Status.APPROVED]
    ).values("order_id")
    orders = (
        Order.objects.visible_to(user)
        .filter(
            contract__settlement_mode=FrameworkContract.SettlementMode.FIXED_MILESTONE,
            status=Order.Status.IN_SERVICE,
            service_start__lt=add_months(month, 1),
            service_end__gte=month,
        )
        .exclude(pk__in=done)
    )
    return [MissingLog(order, month, today.replace(day=REPORT_DUE_DAY)) for order in orders]


def reports_with_status(*, user, status):
    return KpiReport.objects.visible_to(user).filter(status=status).select_related("order")
