from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.models import Assessment
from assessment.services import assessment_publish
from contracts.models import Indicator
from core.errors import DomainError
from core.models import User
from core.numbers import NumberError, parse_decimal, parse_for, parse_whole
from core.views import month_from_url, months_between, require_role
from kpi import services
from kpi.models import KpiReport
from orders.selectors import order_detail_queryset
from settlement.models import SettlementSheet
from settlement.services import payment_sheet_compute

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
    against their baselines with their scores, and the milestones with their sheets."""
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
    sheets = {
        sheet.payment_item_id: sheet
        for sheet in SettlementSheet.objects.visible_to(request.user).filter(
            order=order, payment_item__isnull=False, adjusts__isnull=True
        )
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
                (services.kpi_period(order, months), scores.get(months)) for months in PERIODS
            ],
            "milestones": [(item, sheets.get(item.pk)) for item in order.payment_plan.all()],
            "bonuses": _given_bonuses(order),
            "is_procurement": request.user.has_role(User.Role.PROCUREMENT),
            "is_vendor": request.user.has_role(User.Role.VENDOR_PM),
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
            try:
                report = services.kpi_report_save(order=order, month=month, figures=figures)
                if "submit" in request.POST:
                    services.kpi_report_submit(report=report)
            except DomainError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    _("The report was submitted.")
                    if "submit" in request.POST
                    else _("The report was saved."),
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
            "is_procurement": request.user.has_role(User.Role.PROCUREMENT),
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


def _act(request, report_pk, service, done, **extra):
    report = get_object_or_404(KpiReport.objects.visible_to(request.user), pk=report_pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        service(report=report, **extra)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("kpi-month", pk=report.order_id, month=f"{report.month:%Y-%m}")


@login_required
@require_POST
def kpi_approve(request, pk):
    return _act(
        request, pk, services.kpi_report_approve, _("The report was approved."), actor=request.user
    )


@login_required
@require_POST
def kpi_return(request, pk):
    return _act(
        request,
        pk,
        services.kpi_report_return,
        _("The report went back to the vendor."),
        reason=request.POST.get("reason", ""),
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
        assessment = services.kpi_assess(order=order, months=months, bonuses=bonuses)
        if "publish" in request.POST:
            assessment_publish(assessment=assessment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The period was scored."))
    return redirect("kpi-order", pk=pk)


@login_required
@require_POST
def milestone_compute(request, pk, item):
    order = _order(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        sheet = payment_sheet_compute(item=get_object_or_404(order.payment_plan, pk=item))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("kpi-order", pk=pk)
    messages.success(request, _("The milestone's settlement sheet is ready."))
    return redirect("sheet-detail", pk=sheet.pk)
