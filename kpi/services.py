"""Seed 004: the vendor's monthly KPI reports, and the half-year and year roll-ups that score
them on the contract's KPI template against its baselines."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import Assessment, Indicator
from assessment.services import assessment_open, assessment_publish, assessment_save
from contracts.kinds import MONTHLY_LOG_MODES
from core.dates import add_months
from core.errors import DomainError
from core.models import User
from core.states import advance
from kpi.models import PASS_LINE, KpiBaseline, KpiReport
from notifications.services import notify_contract
from orders.models import Order
from orders.selectors import order_reports_in
from orders.terminations import refuse_after_termination

Status = KpiReport.Status
SHARE = Decimal("0.0001")  # a share reached, as stored and shown
FIGURE_DIGITS = 12
MAX_FIGURE = 10**FIGURE_DIGITS


class KpiError(DomainError):
    code = "kpi"


SUBMITTED = gettext_lazy(
    "The KPI report of %(order)s for %(month)s was submitted and awaits approval."
)
RETURNED = gettext_lazy("The KPI report of %(order)s for %(month)s was returned: %(reason)s")


def _tell(kind: str, report: KpiReport, role: str, message, reason: str = "") -> None:
    """Tells the other side of the order's contract that the month's report is theirs now."""
    order = report.order
    contract = order.contract
    notify_contract(
        kind,
        contract,
        role,
        message=message,
        params={"order": order.number, "month": f"{report.month:%Y-%m}", "reason": reason},
        url=reverse("kpi-month", args=[order.pk, f"{report.month:%Y-%m}"]),
    )


def first_month(order: Order) -> date:
    return order.service_start.replace(day=1)


@transaction.atomic
def kpi_report_save(*, order: Order, month: date, figures: dict) -> KpiReport:
    """The vendor's figures of a month, a draft until submitted; all or nothing."""
    month = month.replace(day=1)
    if order.contract.settlement_mode in MONTHLY_LOG_MODES:
        raise KpiError(
            _("Order %(number)s is not under a fixed-price contract: it reports no KPIs.")
            % {"number": order.number}
        )
    refusal = order_reports_in(order, month)
    if refusal:
        raise KpiError(refusal.message, field=refusal.field)
    names = [name for name, _code in KpiReport.FIGURES]
    problems = [
        _("%(figure)s: give a whole number from 0.")
        % {"figure": KpiReport._meta.get_field(name).verbose_name}
        for name in names
        if name != "live_hours"
        and (
            not isinstance(figures.get(name, 0), int) or not 0 <= figures.get(name, 0) < MAX_FIGURE
        )
    ]
    hours = Decimal(figures.get("live_hours", 0))
    if not hours.is_finite() or not 0 <= hours < 10**6 or hours != hours.quantize(Decimal("0.1")):
        problems.append(_("Live hours: give hours from 0, in tenths at most."))
    if not problems and figures.get("qualifying_sessions", 0) > figures.get("live_sessions", 0):
        problems.append(_("Sessions with 800 viewers or more cannot outnumber the sessions."))
    if problems:
        raise KpiError(problems[0], field="figures", messages=problems)
    report, _created = KpiReport.objects.select_for_update(no_key=True).get_or_create(
        order=order, month=month
    )
    if report.status not in KpiReport.EDITABLE:
        raise KpiError(
            _("The report of %(month)s is %(status)s and cannot change.")
            % {"month": f"{month:%Y-%m}", "status": report.get_status_display()}
        )
    for name in names:
        setattr(report, name, figures.get(name, 0))
    report.save()
    return report


@transaction.atomic
def kpi_report_enter(*, order: Order, month: date, figures: dict, submit: bool) -> KpiReport:
    """The vendor's form: the month's figures saved and, when asked, submitted; a refused
    submission saves nothing either."""
    report = kpi_report_save(order=order, month=month, figures=figures)
    return kpi_report_submit(report=report) if submit else report


@transaction.atomic
def kpi_report_submit(*, report: KpiReport) -> KpiReport:
    refuse_after_termination(report.order, report.month, error=KpiError)
    submitted = advance(
        report,
        KpiReport.flow["submit"],
        error=KpiError,
        submitted_at=timezone.now(),
        returned_reason="",
    )
    _tell("kpi_report_submitted", report, User.Role.PROCUREMENT, SUBMITTED)
    return submitted


@transaction.atomic
def kpi_report_approve(*, report: KpiReport, actor) -> KpiReport:
    refuse_after_termination(report.order, report.month, error=KpiError)
    return advance(
        report,
        KpiReport.flow["approve"],
        error=KpiError,
        approved_at=timezone.now(),
        approved_by=actor,
    )


@transaction.atomic
def kpi_report_return(*, report: KpiReport, reason: str) -> KpiReport:
    if not reason.strip():
        raise KpiError(_("Give the reason."), field="reason")
    returned = advance(
        report,
        KpiReport.flow["return"],
        error=KpiError,
        returned_reason=reason.strip(),
    )
    _tell("kpi_report_returned", report, User.Role.VENDOR_PM, RETURNED, returned.returned_reason)
    return returned


@dataclass
class BaselineRow:
    baseline: KpiBaseline
    target: Decimal
    actual: Decimal

    @property
    def reached(self) -> Decimal:
        """The share of the baseline reached, at most 1."""
        return min(self.actual / self.target, Decimal(1)).quantize(SHARE, rounding=ROUND_DOWN)


@dataclass
class Period:
    """The figures of the first `months` of an order's service, summed over approved reports."""

    order: Order
    months: int
    totals: dict
    missing: list  # months of the period without an approved report
    rows: list[BaselineRow]

    @property
    def start(self) -> date:
        return first_month(self.order)

    @property
    def achievement(self) -> Decimal:
        """004 考核条款 2: the period passes when every baseline is reached to 90%; the least
        share reached decides (cut, never rounded up to the pass line)."""
        least = min((row.reached for row in self.rows), default=Decimal(1))
        return least.quantize(SHARE, rounding=ROUND_DOWN)

    @property
    def passed(self) -> bool:
        return self.achievement >= PASS_LINE


def kpi_period(order: Order, months: int) -> Period:
    start = first_month(order)
    end = add_months(start, months)
    reports = KpiReport.objects.filter(
        order=order, month__gte=start, month__lt=end, status=Status.APPROVED
    )
    names = [name for name, _code in KpiReport.FIGURES]
    totals = {
        name: total or 0 for name, total in reports.aggregate(**{n: Sum(n) for n in names}).items()
    }
    reported = set(reports.values_list("month", flat=True))
    missing = [m for m in (add_months(start, i) for i in range(months)) if m not in reported]
    by_code = {code: name for name, code in KpiReport.FIGURES if code}
    rows = [
        BaselineRow(baseline, baseline.for_months(months), Decimal(totals[by_code[baseline.code]]))
        for baseline in order.contract.kpi_baselines.all()
        if baseline.code in by_code
    ]
    return Period(order, months, totals, missing, rows)


def _entries(period: Period, indicators, bonuses: dict) -> tuple[list[dict], dict]:
    """The template's entries from the period's totals; manual bonus points as given."""
    by_code = {code: name for name, code in KpiReport.FIGURES if code}
    targets = {row.baseline.code: row.target for row in period.rows}
    entries, indicator_targets = [], {}
    for indicator in indicators:
        code = indicator.code
        if indicator.kind == Indicator.Kind.SHARE:
            entry = {
                "count": period.totals["qualifying_sessions"],
                "actual": Decimal(period.totals["live_sessions"]),
            }
        elif indicator.target is not None and code.removeprefix("bonus_") in by_code:
            entry = {"actual": Decimal(period.totals[by_code[code.removeprefix("bonus_")]])}
        else:  # points the buyer gives (an innovation, a media report, an honour)
            entry = {"value": None if code not in bonuses else Decimal(bonuses[code])}
        if code in targets:
            indicator_targets[indicator.pk] = targets[code]
        entries.append({"indicator": indicator.pk, **entry})
    return entries, indicator_targets


@transaction.atomic
def kpi_assess(
    *, order: Order, months: int, bonuses: dict | None = None, publish_by=None
) -> Assessment:
    """The KPI template applied to the period: a draft score to publish and have confirmed,
    as a monthly one is. Every month of the period needs its approved report. `publish_by`
    publishes it at once; a refused publication scores nothing either."""
    period = kpi_period(order, months)
    if period.missing:
        raise KpiError(
            _("These months have no approved report yet: %(months)s.")
            % {"months": "、".join(f"{m:%Y-%m}" for m in period.missing)}
        )
    assessment = assessment_open(order=order, month=period.start, months=months)
    indicators = Indicator.objects.filter(category__template=assessment.template)
    entries, targets = _entries(period, indicators, bonuses or {})
    assessment = assessment_save(
        assessment=assessment, entries=entries, incidents=[], targets=targets
    )
    if publish_by is not None:
        assessment = assessment_publish(assessment=assessment, actor=publish_by)
    return assessment
