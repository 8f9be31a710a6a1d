from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.models import Indicator
from core.errors import DomainError
from core.history import history_entries
from core.http import attachment
from core.models import User
from core.views import filtered, page_of, require_role, take_step
from governance import services
from governance.documents import rectification_pdf
from governance.filters import RectificationFilter
from governance.forms import RectificationForm
from governance.models import Rectification
from governance.selectors import overdue, rectification_list
from orders.models import Order

PAGE_SIZE = 50


def _rectification(request, pk) -> Rectification:
    return get_object_or_404(rectification_list(user=request.user), pk=pk)


@login_required
def rectification_index(request):
    """整改与违约: the rectification requests the user sees, filtered as in the API."""
    queryset = rectification_list(user=request.user)
    filterset = RectificationFilter(request.GET, queryset=queryset, request=request)
    rows, problems = filtered(filterset)
    return render(
        request,
        "governance/rectification_list.html",
        {
            "filter": filterset,
            "page": page_of(request, rows, PAGE_SIZE),
            "filter_problems": problems,
            "overdue_count": overdue(queryset, today=timezone.localdate()).count(),
            "may_issue": request.user.has_role(User.Role.PROCUREMENT),
            "tab": "rectifications",
        },
        status=400 if problems else 200,
    )


@login_required
def rectification_create(request):
    require_role(request, User.Role.PROCUREMENT)
    order = None
    if request.GET.get("order", "").isdigit():
        order = Order.objects.visible_to(request.user).filter(pk=request.GET["order"]).first()
    form = RectificationForm(request.POST or None, user=request.user, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            rectification = services.rectification_issue(**form.cleaned_data, actor=request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The rectification request was issued."))
            return redirect("rectification-detail", pk=rectification.pk)
    return render(request, "governance/rectification_form.html", {"form": form, "order": order})


@login_required
def rectification_detail(request, pk):
    rectification = _rectification(request, pk)
    incident = rectification.incident
    return render(
        request,
        "governance/rectification_detail.html",
        {
            "rectification": rectification,
            "steps": Rectification.flow.allowed(rectification, request.user),
            "may_link": request.user.has_role(User.Role.PROCUREMENT)
            and rectification.status == Rectification.Status.FAILED
            and incident is None,
            "deductions": Indicator.objects.filter(
                category__template=rectification.contract.assessment_template,
                kind=Indicator.Kind.DEDUCTION,
            ).select_related("category"),
            "incident": incident,
            "history": history_entries(rectification),
        },
    )


def _step(request, pk, name, perform, done):
    rectification = _rectification(request, pk)
    take_step(request, Rectification.flow[name], lambda: perform(rectification), done)
    return redirect("rectification-detail", pk=pk)


@login_required
@require_POST
def rectification_answer(request, pk):
    return _step(
        request,
        pk,
        "answer",
        lambda r: services.rectification_answer(
            rectification=r, answer=request.POST.get("answer", ""), actor=request.user
        ),
        _("The answer was sent to the buyer."),
    )


@login_required
@require_POST
def rectification_accept(request, pk):
    return _step(
        request,
        pk,
        "accept",
        lambda r: services.rectification_accept(rectification=r, actor=request.user),
        _("The rectification was accepted."),
    )


@login_required
@require_POST
def rectification_fail(request, pk):
    return _step(
        request,
        pk,
        "fail",
        lambda r: services.rectification_fail(
            rectification=r, reason=request.POST.get("reason", ""), actor=request.user
        ),
        _("The rectification was recorded as failed."),
    )


@login_required
@require_POST
def rectification_link_incident(request, pk):
    """The failure becomes an incident of its month's score (SPEC §5)."""
    rectification = _rectification(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    indicator = Indicator.objects.filter(pk=request.POST.get("indicator") or None).first()
    try:
        if indicator is None:
            raise services.GovernanceError(_("Pick a deduction of the score's template."))
        services.rectification_link_incident(rectification=rectification, indicator=indicator)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The failure is now an incident of the month's score."))
    return redirect("rectification-detail", pk=pk)


@login_required
def rectification_document(request, pk):
    rectification = _rectification(request, pk)
    return attachment(
        rectification_pdf(rectification), f"整改通知书-{rectification.pk}.pdf", "application/pdf"
    )
