from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import services
from assessment.documents import assessment_pdf
from assessment.models import Assessment, AssessmentEntry
from assessment.selectors import assessment_history, assessment_list
from contracts.models import Indicator
from core.errors import DomainError
from core.http import attachment
from core.models import User
from core.numbers import NumberError, parse_whole
from core.views import month_from_url, months_between, posted_rows, require_role, typed_number
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
            {"indicator": _whole(indicator, 18), "date": when, "description": description}
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
    template = assessment.template if assessment else order.contract.assessment_template
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
            "is_vendor": request.user.has_role(User.Role.VENDOR_PM),
            "may_reopen": is_procurement
            and assessment is not None
            and assessment.locked_at is None
            and assessment.status in (Assessment.Status.PUBLISHED, Assessment.Status.CONFIRMED),
            "history": assessment_history(assessment) if assessment else [],
        },
    )


def _act(request, pk, service, done, role=User.Role.VENDOR_PM, **extra):
    assessment = get_object_or_404(assessment_list(user=request.user), pk=pk)
    require_role(request, role)
    try:
        service(assessment=assessment, **extra)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    if assessment.period_months != 1:  # a KPI period's score lives on the order's KPI page
        return redirect("kpi-order", pk=assessment.order_id)
    return redirect("assessment-month", pk=assessment.order_id, month=f"{assessment.month:%Y-%m}")


@login_required
@require_POST
def assessment_confirm(request, pk):
    return _act(
        request, pk, services.assessment_confirm, _("You confirmed the score."), actor=request.user
    )


@login_required
@require_POST
def assessment_dispute(request, pk):
    return _act(
        request,
        pk,
        services.assessment_dispute,
        _("Your dispute was sent."),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def assessment_reopen(request, pk):
    return _act(
        request,
        pk,
        services.assessment_reopen,
        _("The score is a draft again: correct it and publish it."),
        role=User.Role.PROCUREMENT,
        reason=request.POST.get("reason", ""),
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
