"""The KPI reports of fixed-price orders on the to-dos (SPEC §8, seed 004): a report waits on
the vendor, then on procurement's approval; a period the milestone rests on, once every month
of it is approved, on procurement's score."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from core.dates import add_months
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from kpi.models import KpiReport
from kpi.selectors import kpi_orders, missing_reports, reports_with_status
from kpi.services import first_month


def _report_url(order_id, month) -> str:
    return reverse("kpi-month", args=[order_id, f"{month:%Y-%m}"])


@register(PROCUREMENT, 80)
def reports_to_approve(desk: Desk) -> list[Todo]:
    submitted = reports_with_status(user=desk.user, status=KpiReport.Status.SUBMITTED)
    return [
        Todo(
            _("KPI reports to approve"),
            [Item(str(r), _report_url(r.order_id, r.month)) for r in submitted],
        )
    ]


@register(PROCUREMENT, 100)
def periods_to_score(desk: Desk) -> list[Todo]:
    """A period its milestone rests on waits for procurement's score once every month of it
    has an approved report and no score has been published for it yet."""
    orders = list(kpi_orders(user=desk.user))
    approved = {}
    for order_id, month in KpiReport.objects.filter(
        order__in=orders, status=KpiReport.Status.APPROVED
    ).values_list("order_id", "month"):
        approved.setdefault(order_id, set()).add(month)
    scored = set(
        Assessment.objects.filter(order__in=orders, period_months__gt=1)
        .exclude(status=Assessment.Status.DRAFT)
        .values_list("order_id", "period_months")
    )
    items = []
    for order in orders:
        start = first_month(order)
        for months in sorted({i.assessed_months for i in order.payment_plan.all()} - {None}):
            period = {add_months(start, n) for n in range(months)}
            if (order.pk, months) not in scored and period <= approved.get(order.pk, set()):
                items.append(
                    Item(
                        str(order),
                        reverse("kpi-order", args=[order.pk]),
                        _("%(months)s months from %(start)s")
                        % {"months": months, "start": f"{start:%Y-%m}"},
                    )
                )
    return [Todo(_("KPI periods to score"), items)]


@register(VENDOR, 20)
def reports_to_submit(desk: Desk) -> list[Todo]:
    missing = [
        Item(str(m.order), _report_url(m.order.pk, m.month), f"{m.month:%Y-%m}", m.overdue)
        for m in missing_reports(user=desk.user, today=desk.today)
    ]
    returned = [
        Item(str(r), _report_url(r.order_id, r.month), r.returned_reason, True)
        for r in reports_with_status(user=desk.user, status=KpiReport.Status.RETURNED)
    ]
    return [Todo(_("KPI reports to submit"), missing + returned)]
