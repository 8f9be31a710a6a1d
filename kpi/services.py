"""Seed 004: the vendor's monthly KPI reports, the half-year and year roll-ups that score
them on the contract's KPI template against its baselines, and the quarterly reviews that only
track them."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

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
from core.locks import hold
from core.models import User
from core.states import advance
from core.views import months_between
from kpi.models import PASS_LINE, KpiBaseline, KpiReport, LiveSession, QuarterReview
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
COMMENTED = gettext_lazy("%(side)s commented on the review of %(order)s, quarter %(quarter)s.")


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


def month_sessions(order: Order, month: date):
    return LiveSession.objects.filter(
        order=order, date__gte=month, date__lt=add_months(month, 1)
    ).order_by("date", "start", "id")


def live_figures(sessions) -> dict:
    """The month's live figures from its sessions (004): 直播场次 counts the sessions of 2 hours
    or more, and of those 单场观看人数 the ones with 800 viewers or more; 直播时长 and 月度累计场观
    are every session's hours (to the tenth, half up) and viewers."""
    sessions = list(sessions)
    minutes = sum(session.minutes for session in sessions)
    return {
        "live_sessions": sum(session.counts for session in sessions),
        "live_hours": (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        "viewers": sum(session.viewers for session in sessions),
        "qualifying_sessions": sum(session.qualifies for session in sessions),
    }


def refuse_unless_fixed_price(order: Order) -> None:
    """Only a fixed-price order reports KPIs, live sessions and quarter reviews (004)."""
    if order.contract.settlement_mode in MONTHLY_LOG_MODES:
        raise KpiError(
            _("Order %(number)s is not under a fixed-price contract: it reports no KPIs.")
            % {"number": order.number}
        )


@transaction.atomic
def kpi_report_save(*, order: Order, month: date, figures: dict) -> KpiReport:
    """The vendor's figures of a month, a draft until submitted; all or nothing. The live
    figures are not entered: they are computed from the month's sessions."""
    month = month.replace(day=1)
    refuse_unless_fixed_price(order)
    hold(order=order)  # as a change of the month's live sessions does: one waits for the other
    refusal = order_reports_in(order, month)
    if refusal:
        raise KpiError(refusal.message, field=refusal.field)
    names = [name for name, _code in KpiReport.FIGURES if name not in KpiReport.LIVE_FIGURES]
    problems = [
        _("%(figure)s: give a whole number from 0.")
        % {"figure": KpiReport._meta.get_field(name).verbose_name}
        for name in names
        if not isinstance(figures.get(name, 0), int) or not 0 <= figures.get(name, 0) < MAX_FIGURE
    ]
    if problems:
        raise KpiError(problems[0], field="figures", messages=problems)
    report, _created = KpiReport.objects.select_for_update(no_key=True).get_or_create(
        order=order, month=month
    )
    _refuse_unless_editable(report)
    for name in names:
        setattr(report, name, figures.get(name, 0))
    for name, value in live_figures(month_sessions(order, month)).items():
        setattr(report, name, value)
    report.save()
    return report


@transaction.atomic
def kpi_report_import(*, order: Order, month: date, figures: dict) -> KpiReport:
    """004 四、验收方式 from a workbook: the figures it gives over the month's draft, the others
    kept; all or nothing, as typed on the page."""
    report = KpiReport.objects.filter(order=order, month=month.replace(day=1)).first()
    current = {name: getattr(report, name, 0) for name, _code in KpiReport.FIGURES}
    return kpi_report_save(order=order, month=month, figures=current | figures)


def _refuse_unless_editable(report: KpiReport) -> None:
    if report.status not in KpiReport.EDITABLE:
        raise KpiError(
            _("The report of %(month)s is %(status)s and cannot change.")
            % {"month": f"{report.month:%Y-%m}", "status": report.get_status_display()}
        )


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
        """004 考核条款 2: the period passes when every scored baseline is reached to 90%; the
        least share reached decides (cut, never rounded up to the pass line). A target only
        tracked (视频号's plays) is shown, not counted."""
        least = min((row.reached for row in self.rows if row.baseline.scored), default=Decimal(1))
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


QUARTER_MONTHS = 3
MAX_QUARTERS = 8  # as `QuarterReview` allows: a term of up to two years


def order_quarters(order: Order) -> int:
    """How many quarters the order's service has (a last, shorter one counts)."""
    months = len(months_between(order.service_start, order.service_end))
    return min(-(-months // QUARTER_MONTHS), MAX_QUARTERS)


def kpi_quarter(order: Order, quarter: int) -> Period:
    """004 考核条款 1, 季度复盘: the cumulative figures of months 1..3n against the baselines
    pro-rated to them; tracked, never scored."""
    if not 1 <= quarter <= order_quarters(order):
        raise KpiError(
            _("Order %(number)s has no quarter %(quarter)s.")
            % {"number": order.number, "quarter": quarter},
            field="quarter",
        )
    return kpi_period(order, QUARTER_MONTHS * quarter)


# The side a role comments for: its comment, when and by whom, and who is told.
SIDES = {
    User.Role.VENDOR_PM: ("vendor", User.Role.PROCUREMENT),
    User.Role.PROCUREMENT: ("buyer", User.Role.VENDOR_PM),
}


@transaction.atomic
def quarter_review_comment(*, order: Order, quarter: int, actor, comment: str) -> QuarterReview:
    """004 考核条款 1: each side writes its own comment on the quarter (the vendor's project
    manager the vendor's, procurement the buyer's), who and when kept; the other side is told."""
    if actor.role not in SIDES:
        raise KpiError(_("Only the vendor's project manager or procurement comments a review."))
    if not comment.strip():
        raise KpiError(_("Write the comment."), field="comment")
    refuse_unless_fixed_price(order)
    kpi_quarter(order, quarter)
    side, other = SIDES[actor.role]
    written = {
        f"{side}_comment": comment.strip(),
        f"{side}_commented_at": timezone.now(),
        f"{side}_commented_by": actor,
    }
    review, created = QuarterReview.objects.select_for_update(no_key=True).get_or_create(
        order=order, quarter=quarter, defaults=written
    )
    if not created:
        for name, value in written.items():
            setattr(review, name, value)
        review.save()
    notify_contract(
        "quarter_commented",
        order.contract,
        other,
        message=COMMENTED,
        params={
            "side": str(actor.organization or actor),
            "order": order.number,
            "quarter": quarter,
        },
        url=reverse("kpi-quarter", args=[order.pk, quarter]),
    )
    return review
