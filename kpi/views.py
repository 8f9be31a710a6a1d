from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.models import Assessment, Indicator
from core.errors import DomainError
from core.models import User
from core.numbers import NumberError, parse_decimal, parse_for, parse_whole
from core.views import month_from_url, months_between, require_role, take_step
from kpi import services
from kpi.models import KpiReport
from orders.selectors import order_detail_queryset

FIGURES = [name for name, _code in KpiReport.FIGURES]
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
            "bonuses": _given_bonuses(order),
            "is_procurement": request.user.has_role(User.Role.PROCUREMENT),
        },
    )


@login_required
def kpi_month(request, pk, month):
    """The vendor's report of a month: its figures, then submitted; procurement reviews it."""
    order = _order(request, pk)
    month = month_from_url(month)
    report = KpiReport.objects.filter(order=order, month=month).first()
    problems = []
    values = {name: getattr(report, name, "") for name in FIGURES}
    if request.method == "POST":
        require_role(request, User.Role.VENDOR_PM)
        values = {name: request.POST.get(name, "").strip() for name in FIGURES}
        figures, problems = _figures(values)
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
    baselines = {b.code: b.monthly for b in order.contract.kpi_baselines.all()}
    return render(
        request,
        "kpi/kpi_month.html",
        {
            "order": order,
            "month": month,
            "report": report,
            "due_on": KpiReport(month=month).due_on,
            "rows": [
                (
                    name,
                    KpiReport._meta.get_field(name).verbose_name,
                    values[name],
                    baselines.get(code),
                )
                for name, code in KpiReport.FIGURES
            ],
            "problems": problems,
            "editable": request.user.has_role(User.Role.VENDOR_PM)
            and (report is None or report.status in KpiReport.EDITABLE),
            "steps": KpiReport.flow.allowed(report, request.user),
        },
    )


def _figures(values) -> tuple[dict, list[str]]:
    """The typed figures (empty is 0): hours in tenths, the others counts; or what cannot be
    read, naming the figure."""
    figures, problems = {}, []
    for name, text in values.items():
        field = KpiReport._meta.get_field(name)
        try:
            if name == "live_hours":
                figures[name] = parse_for(field, text) or 0
            else:
                figures[name] = parse_whole(text, max_digits=services.FIGURE_DIGITS) or 0
        except NumberError as error:
            problems.append(
                _("%(where)s: %(message)s") % {"where": field.verbose_name, "message": error}
            )
    return figures, problems


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
