from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment.builtin_templates import KPI_004
from contracts.kinds import MONTHLY_LOG_MODES
from core.dates import add_months
from kpi.models import REPORT_DUE_DAY, KpiBaseline, KpiReport
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


@dataclass
class FigureRow:
    name: str
    label: str
    value: object
    baseline: KpiBaseline | None  # the contract's monthly baseline of the figure, if any
    live: bool  # computed from the month's live sessions, never entered


def figure_groups(order: Order, values: dict) -> list[tuple[str, list[FigureRow]]]:
    """The report's figures in 004's groups (each platform, live, employment) with the
    baselines that measure them."""
    baselines = {b.code: b for b in order.contract.kpi_baselines.all()}
    code_of = dict(KpiReport.FIGURES)
    return [
        (
            label,
            [
                FigureRow(
                    name,
                    KpiReport._meta.get_field(name).verbose_name,
                    values.get(name, ""),
                    baselines.get(code_of[name]),
                    name in KpiReport.LIVE_FIGURES,
                )
                for name in names
            ],
        )
        for label, names in KpiReport.GROUPS
    ]


def contract_findings(contract) -> list[str]:
    """What the contract's own text disagrees on, as the portal settles it: a plan of the
    service text above the KPI table's baseline (004: 24 videos planned, 15 scored), and
    004's scorecard categories corrected to what their indicators add up to."""
    findings = [
        _(
            "%(name)s: the service text plans %(plan)s %(unit)s a month, the KPI table scores "
            "%(monthly)s; scored by %(monthly)s, %(plan)s shown as the plan."
        )
        % {
            "name": baseline.name,
            "plan": _whole(baseline.plan_monthly),
            "monthly": _whole(baseline.monthly),
            "unit": baseline.unit,
        }
        for baseline in contract.kpi_baselines.all()
        if baseline.plan_monthly is not None and baseline.plan_monthly != baseline.monthly
    ]
    template = contract.assessment_template
    if template is not None and template.name == KPI_004["name"]:
        findings.append(
            _(
                "The scorecard gives 直播运营 and 直播效果 25 points each over indicators of "
                "15 + 15 and 10 + 10: the categories carry 30 and 20, what their indicators "
                "add up to, and the total stays 100."
            )
        )
    return findings


def _whole(value: Decimal) -> str:
    return f"{value.normalize():f}"
