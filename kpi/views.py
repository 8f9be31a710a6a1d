from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.models import Assessment, Indicator
from core.dates import add_months
from core.errors import DomainError
from core.history import history_entries
from core.http import XLSX, attachment
from core.models import User
from core.numbers import NumberError, parse_decimal, parse_whole
from core.views import month_from_url, months_between, require_role, take_step
from kpi import services
from kpi.documents import kpi_report_pdf
from kpi.models import KpiReport, QuarterReview
from kpi.selectors import figure_groups
from kpi.services import first_month
from kpi.sessions import months_summary
from kpi.workbook import month_workbook, order_workbook, read_month_upload
from orders.selectors import order_detail_queryset

FIGURES = [name for name, _code in KpiReport.FIGURES]
ENTERED = [name for name in FIGURES if name not in KpiReport.LIVE_FIGURES]
PERIODS = (6, 12)  # 004: assessed by the half-year and the year


def _order(request, pk):
    return get_object_or_404(order_detail_queryset(user=request.user), pk=pk)


def _given_bonuses(order):
    """The bonuses the buyer awards by hand (no threshold to beat)."""
    return Indicator.objects.filter(
        category__template=order.contract.assessment_template,
        kind=Indicator.Kind.BONUS,
        target__isnull=True,
    )


@login_required
def kpi_order(request, pk):
    """A fixed-price order at a glance: the monthly reports, the half-year and year roll-ups
    against their baselines with their scores; its milestones are settled on their own page
    (settlement's `order-milestones`)."""
    order = _order(request, pk)
    reports = {report.month: report for report in KpiReport.objects.filter(order=order)}
    baselines = list(order.contract.kpi_baselines.all())
    field_of = {code: name for name, code in KpiReport.FIGURES if code}
    scores = {
        score.period_months: score
        for score in Assessment.objects.visible_to(request.user)
        .filter(order=order, period_months__in=PERIODS)
        .prefetch_related("entries__indicator")
    }
    return render(
        request,
        "kpi/kpi_order.html",
        {
            "order": order,
            "baselines": baselines,
            "months": [
                (
                    month,
                    KpiReport(month=month).due_on,
                    report := reports.get(month),
                    [getattr(report, field_of[b.code]) if report else "" for b in baselines],
                )
                for month in months_between(order.service_start, order.service_end)
            ],
            "periods": [
                (
                    services.kpi_period(order, months),
                    score := scores.get(months),
                    Assessment.flow.allowed(score, request.user),
                )
                for months in PERIODS
            ],
            "quarters": range(1, services.order_quarters(order) + 1),
            "bonuses": _given_bonuses(order),
            "live_months": months_summary(
                order, first_month(order), add_months(order.service_end.replace(day=1), 1)
            ),
            "is_procurement": request.user.has_role(User.Role.PROCUREMENT),
        },
    )


@login_required
def kpi_month(request, pk, month):
    """The vendor's report of a month, grouped as 004 四、验收方式 asks (each platform, the live
    figures computed from the sessions, the employment figures), then submitted; procurement
    reviews it."""
    order = _order(request, pk)
    month = month_from_url(month)
    report = KpiReport.objects.filter(order=order, month=month).first()
    problems = []
    values = {name: getattr(report, name, "") for name in FIGURES}
    if report is None:  # the live figures are the sessions' before any report is entered
        values |= services.live_figures(services.month_sessions(order, month))
    if request.method == "POST":
        require_role(request, User.Role.VENDOR_PM)
        values |= {name: request.POST.get(name, "").strip() for name in ENTERED}
        figures, problems = _figures({name: values[name] for name in ENTERED})
        if not problems:
            submit = "submit" in request.POST
            try:
                services.kpi_report_enter(order=order, month=month, figures=figures, submit=submit)
            except DomainError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    _("The report was submitted.") if submit else _("The report was saved."),
                )
                return redirect("kpi-month", pk=pk, month=f"{month:%Y-%m}")
    return render(
        request,
        "kpi/kpi_month.html",
        {
            "order": order,
            "month": month,
            "report": report,
            "due_on": KpiReport(month=month).due_on,
            "groups": figure_groups(order, values),
            "problems": problems,
            "editable": request.user.has_role(User.Role.VENDOR_PM)
            and (report is None or report.status in KpiReport.EDITABLE),
            "steps": KpiReport.flow.allowed(report, request.user),
        },
    )


@login_required
def kpi_quarter(request, pk, quarter):
    """004 考核条款 1, 季度复盘: the quarter's cumulative figures against the pro-rated baselines,
    no score; each side writes its own comment (the vendor's PM the vendor's, procurement the
    buyer's)."""
    order = _order(request, pk)
    try:
        period = services.kpi_quarter(order, quarter)
    except DomainError as error:
        raise Http404(error.message) from error
    review = QuarterReview.objects.filter(order=order, quarter=quarter).first()
    side = services.SIDES.get(request.user.role, (None,))[0]
    comment = getattr(review, f"{side}_comment", "") if side else ""
    problem = ""
    if request.method == "POST":
        require_role(request, *services.SIDES)
        comment = request.POST.get("comment", "")
        try:
            services.quarter_review_comment(
                order=order, quarter=quarter, actor=request.user, comment=comment
            )
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, _("The comment was saved."))
            return redirect("kpi-quarter", pk=pk, quarter=quarter)
    return render(
        request,
        "kpi/kpi_quarter.html",
        {
            "order": order,
            "quarter": quarter,
            "first": services.QUARTER_MONTHS * (quarter - 1) + 1,
            "period": period,
            "review": review,
            "side": side,
            "comment": comment,
            "problem": problem,
            "history": history_entries(review) if review else [],
        },
    )


def _figures(values) -> tuple[dict, list[str]]:
    """The typed figures (empty is 0), whole numbers; or what cannot be read, naming the
    figure."""
    figures, problems = {}, []
    for name, text in values.items():
        try:
            figures[name] = parse_whole(text, max_digits=services.FIGURE_DIGITS) or 0
        except NumberError as error:
            problems.append(
                _("%(where)s: %(message)s")
                % {"where": KpiReport._meta.get_field(name).verbose_name, "message": error}
            )
    return figures, problems


@login_required
def kpi_month_workbook(request, pk, month):
    """The month's report as a two-column 指标/数值 sheet, to fill in and upload back."""
    order = _order(request, pk)
    month = month_from_url(month)
    report = KpiReport.objects.filter(order=order, month=month).first() or KpiReport(
        order=order, month=month, **services.live_figures(services.month_sessions(order, month))
    )
    return attachment(
        month_workbook(report), f"运营数据报告-{order.number}-{month:%Y-%m}.xlsx", XLSX
    )


@login_required
@require_POST
def kpi_month_upload(request, pk, month):
    """The month's figures from an uploaded 指标/数值 sheet, all or nothing."""
    order = _order(request, pk)
    month = month_from_url(month)
    require_role(request, User.Role.VENDOR_PM)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a workbook to upload."))
    else:
        try:
            services.kpi_report_import(order=order, month=month, figures=read_month_upload(upload))
        except DomainError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The report was imported as a draft."))
    return redirect("kpi-month", pk=pk, month=f"{month:%Y-%m}")


@login_required
def kpi_order_workbook(request, pk):
    """The order's monthly reports, one row a month, every figure a number."""
    order = _order(request, pk)
    reports = KpiReport.objects.filter(order=order).order_by("month")
    return attachment(order_workbook(order, reports), f"运营数据-{order.number}.xlsx", XLSX)


@login_required
def kpi_report_pdf_download(request, pk):
    """运营数据报告 of a month; another vendor's report is not found."""
    report = get_object_or_404(KpiReport.objects.visible_to(request.user), pk=pk)
    return attachment(
        kpi_report_pdf(report),
        f"运营数据报告-{report.order.number}-{report.month:%Y-%m}.pdf",
        "application/pdf",
    )


def _step(request, pk, name, perform, done):
    """A step of the report's flow taken from its page, back to the month."""
    report = get_object_or_404(KpiReport.objects.visible_to(request.user), pk=pk)
    take_step(request, KpiReport.flow[name], lambda: perform(report), done)
    return redirect("kpi-month", pk=report.order_id, month=f"{report.month:%Y-%m}")


@login_required
@require_POST
def kpi_approve(request, pk):
    return _step(
        request,
        pk,
        "approve",
        lambda report: services.kpi_report_approve(report=report, actor=request.user),
        _("The report was approved."),
    )


@login_required
@require_POST
def kpi_return(request, pk):
    return _step(
        request,
        pk,
        "return",
        lambda report: services.kpi_report_return(
            report=report, reason=request.POST.get("reason", "")
        ),
        _("The report went back to the vendor."),
    )


@login_required
@require_POST
def kpi_assess(request, pk, months):
    """Procurement scores the period from its reports (the bonuses it awards by hand), and
    publishes the score for the vendor to confirm."""
    order = _order(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    bonuses = {}
    for indicator in _given_bonuses(order):
        try:
            points = parse_decimal(request.POST.get(indicator.code), max_digits=6, decimal_places=2)
            bonuses[indicator.code] = points or 0
        except NumberError as error:
            messages.error(
                request,
                _("%(where)s: %(message)s") % {"where": indicator.name, "message": error},
            )
            return redirect("kpi-order", pk=pk)
    try:
        services.kpi_assess(
            order=order,
            months=months,
            bonuses=bonuses,
            publish_by=request.user if "publish" in request.POST else None,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The period was scored."))
    return redirect("kpi-order", pk=pk)
