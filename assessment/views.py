from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import services
from assessment.documents import assessment_pdf
from assessment.filters import TEMPLATES, TemplateFilter
from assessment.models import (
    Assessment,
    AssessmentEntry,
    AssessmentTemplate,
    Indicator,
    TemplateCategory,
)
from assessment.selectors import assessment_history, assessment_list
from contracts.models import FrameworkContract
from core.errors import DomainError
from core.http import attachment
from core.lists import list_response
from core.models import User
from core.numbers import NumberError, parse_whole
from core.views import (
    month_from_url,
    months_between,
    posted_rows,
    require_role,
    take_step,
    typed_number,
)
from orders.selectors import order_detail_queryset

INCIDENT_ROWS = 3


def _whole(value, max_digits=9) -> int:
    """A posted count (or an id, of 18 digits); what is not a whole number ≥ 0 is refused."""
    try:
        number = parse_whole(value, max_digits=max_digits) or 0
    except NumberError as error:
        raise DomainError(str(error)) from error
    if number < 0:
        raise DomainError(_("“%(value)s” is not a whole number") % {"value": number})
    return number


def _posted(data, indicators):
    entries = []
    for indicator in indicators:
        count = data.get(f"count-{indicator.pk}", "").strip()
        entries.append(
            {
                "indicator": indicator.pk,
                "value": typed_number(
                    data, f"value-{indicator.pk}", AssessmentEntry._meta.get_field("value")
                ),
                "actual": typed_number(
                    data, f"actual-{indicator.pk}", AssessmentEntry._meta.get_field("actual")
                ),
                "count": _whole(count) if count else None,
                "note": data.get(f"note-{indicator.pk}", ""),
            }
        )
    incidents = []
    for row in range(posted_rows(data, "incident-rows")):
        indicator, day = data.get(f"incident-{row}-indicator"), data.get(f"incident-{row}-date")
        description = data.get(f"incident-{row}-description", "").strip()
        if not (indicator or day or description):
            continue
        try:
            when = datetime.strptime(day, "%Y-%m-%d").date()
        except (TypeError, ValueError) as error:
            raise DomainError(_("Give each incident its date.")) from error
        incidents.append(
            {
                "id": _whole(data.get(f"incident-{row}-id") or "0", 18) or None,
                "indicator": _whole(indicator, 18),
                "date": when,
                "description": description,
            }
        )
    return entries, incidents


@login_required
def assessment_month(request, pk, month):
    """The month's scoring form (procurement), or the score to confirm or dispute (vendor)."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    month = month_from_url(month)
    assessment = (
        assessment_list(user=request.user).filter(order=order, month=month, period_months=1).first()
    )
    is_procurement = request.user.has_role(User.Role.PROCUREMENT)
    if assessment is None and not is_procurement:
        raise Http404
    template = assessment.template if assessment else order.contract.template_on(month)
    if template is None:
        messages.error(
            request,
            _("Contract %(code)s has no assessment template.") % {"code": order.contract.code},
        )
        return redirect("order-detail", pk=pk)
    indicators = list(
        Indicator.objects.filter(category__template=template)
        .select_related("category")
        .order_by("category__position", "position")
    )
    problems = []
    if request.method == "POST":
        require_role(request, User.Role.PROCUREMENT)
        try:
            with transaction.atomic():
                entries, incidents = _posted(request.POST, indicators)
                saved = assessment or services.assessment_open(order=order, month=month)
                services.assessment_save(assessment=saved, entries=entries, incidents=incidents)
                if "publish" in request.POST:
                    services.assessment_publish(assessment=saved, actor=request.user)
        except DomainError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("The score was published.")
                if "publish" in request.POST
                else _("The score was saved."),
            )
            return redirect("assessment-month", pk=pk, month=f"{month:%Y-%m}")
    entries = {e.indicator_id: e for e in assessment.entries.all()} if assessment else {}
    incidents = list(assessment.incidents.all()) if assessment else []
    return render(
        request,
        "assessment/assessment_month.html",
        {
            "order": order,
            "month": month,
            "assessment": assessment,
            "template": template,
            "rows": [(indicator, entries.get(indicator.pk)) for indicator in indicators],
            "deductions": [i for i in indicators if i.kind == Indicator.Kind.DEDUCTION],
            "incidents": incidents,
            "blank_rows": range(len(incidents), len(incidents) + INCIDENT_ROWS),
            "problems": problems,
            "editable": is_procurement
            and (
                assessment is None
                or assessment.status in (Assessment.Status.DRAFT, Assessment.Status.DISPUTED)
            ),
            "steps": Assessment.flow.allowed(assessment, request.user),
            "history": assessment_history(assessment) if assessment else [],
        },
    )


def _step(request, pk, name, perform, done):
    """Takes the step `name` of the score and shows it where it lives."""
    assessment = get_object_or_404(assessment_list(user=request.user), pk=pk)
    take_step(request, Assessment.flow[name], lambda: perform(assessment), done)
    if assessment.period_months != 1:  # a KPI period's score lives on the order's KPI page
        return redirect("kpi-order", pk=assessment.order_id)
    return redirect("assessment-month", pk=assessment.order_id, month=f"{assessment.month:%Y-%m}")


@login_required
@require_POST
def assessment_confirm(request, pk):
    return _step(
        request,
        pk,
        "confirm",
        lambda assessment: services.assessment_confirm(assessment=assessment, actor=request.user),
        _("You confirmed the score."),
    )


@login_required
@require_POST
def assessment_dispute(request, pk):
    reason = request.POST.get("reason", "")
    return _step(
        request,
        pk,
        "dispute",
        lambda assessment: services.assessment_dispute(assessment=assessment, reason=reason),
        _("Your dispute was sent."),
    )


@login_required
@require_POST
def assessment_reopen(request, pk):
    reason = request.POST.get("reason", "")
    return _step(
        request,
        pk,
        "reopen",
        lambda assessment: services.assessment_reopen(assessment=assessment, reason=reason),
        _("The score is a draft again: correct it and publish it."),
    )


@login_required
def assessment_pdf_download(request, pk):
    assessment = get_object_or_404(assessment_list(user=request.user), pk=pk)
    return attachment(
        assessment_pdf(assessment),
        f"考核表-{assessment.order.number}-{assessment.month:%Y-%m}.pdf",
        "application/pdf",
    )


@login_required
def order_assessments(request, pk):
    """The months of an order's service period with the state of each month's score."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    scores = {
        a.month: a for a in assessment_list(user=request.user).filter(order=order, period_months=1)
    }
    months = [
        (month, scores.get(month))
        for month in months_between(order.service_start, order.service_end)
    ]
    return render(request, "assessment/order_assessments.html", {"order": order, "months": months})


def _templates(request):
    return AssessmentTemplate.objects.visible_to(request.user).prefetch_related(
        "categories__indicators"
    )


@login_required
def template_list(request):
    templates = (
        _templates(request)
        .annotate(
            used_by=Count(
                "contracts",
                filter=Q(contracts__in=FrameworkContract.objects.visible_to(request.user)),
            )
        )
        .order_by("name", "-version", "pk")  # Meta.ordering is dropped by the GROUP BY
    )
    return list_response(
        request,
        TEMPLATES,
        TemplateFilter(request.GET, queryset=templates, request=request),
        "assessment/template_list.html",
        size=50,
        context={"may_edit": request.user.has_role(User.Role.PROCUREMENT)},
    )


def _spec_from_rows(data, template):
    """The editor's rows (one per indicator, its category repeated) as a template spec."""
    categories = {}
    for row in range(posted_rows(data)):
        get = lambda name, row=row: data.get(f"{row}-{name}", "").strip()  # noqa: E731
        if not get("name"):
            continue
        where = _("Row %(row)s") % {"row": row + 1}

        def number(name, model, field, row=row, where=where):
            return typed_number(data, f"{row}-{name}", model._meta.get_field(field), where)

        category = categories.setdefault(
            get("category"),
            {
                "name": get("category"),
                "max": number("category_max", TemplateCategory, "max") or 0,
                "is_bonus": get("kind") == Indicator.Kind.BONUS,
                "indicators": [],
            },
        )
        category["indicators"].append(
            {
                "code": get("code") or f"i{row}",
                "name": get("name"),
                "kind": get("kind"),
                "max": number("max", Indicator, "max") or 0,
                "per_unit": number("per_unit", Indicator, "per_unit"),
                "target": number("target", Indicator, "target"),
                "rule": get("rule"),
            }
        )
    total = typed_number(data, "total", AssessmentTemplate._meta.get_field("total"))
    try:
        period_months = parse_whole(data.get("period_months", ""), max_digits=4)
    except NumberError as error:
        raise DomainError(str(error), field="period_months") from error
    return {
        "name": template.name,
        "total": template.total if total is None else total,
        "period_months": period_months or template.period_months,
        "categories": list(categories.values()),
    }


@login_required
def template_detail(request, pk):
    template = get_object_or_404(_templates(request), pk=pk)
    may_edit = request.user.has_role(User.Role.PROCUREMENT)
    problems = []
    if request.method == "POST":
        require_role(request, User.Role.PROCUREMENT)
        try:
            if "new_version" in request.POST:
                template = services.template_new_version(template=template, actor=request.user)
                messages.success(
                    request,
                    _("Version %(version)s is a draft: change it, then publish it.")
                    % {"version": template.version},
                )
            elif "publish" in request.POST:
                services.template_publish(template=template, actor=request.user)
                messages.success(request, _("%(template)s is published.") % {"template": template})
            else:
                services.template_update(
                    template=template,
                    spec=_spec_from_rows(request.POST, template),
                    actor=request.user,
                )
                messages.success(request, _("The template was saved."))
        except DomainError as error:
            problems = error.messages
        else:
            return redirect("template-detail", pk=template.pk)
    indicators = [
        (category, indicator)
        for category in template.categories.all()
        for indicator in category.indicators.all()
    ]
    return render(
        request,
        "assessment/template_detail.html",
        {
            "template": template,
            "indicators": indicators,
            "problems": problems,
            "editable": may_edit and template.status == AssessmentTemplate.Status.DRAFT,
            "may_edit": may_edit,
            "steps": AssessmentTemplate.flow.allowed(template, request.user),
            "kinds": Indicator.Kind.choices,
            "blank_rows": range(len(indicators), len(indicators) + 3),
        },
    )
