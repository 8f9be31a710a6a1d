"""The penalty register's pages: the list (a tab of the governance area), a penalty's page
with its steps and history, the record form with its live proposal, the demand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from contracts.models import FrameworkContract
from core.errors import DomainError
from core.history import history_entries
from core.http import attachment
from core.models import User
from core.views import filtered, page_of, require_role, take_step, typed_number
from governance import penalties
from governance.models import Penalty
from governance.penalty_api import proposal_for
from governance.penalty_documents import demand_filename, demand_pdf
from governance.penalty_filters import PenaltyFilter
from orders.models import Order


def _visible(user):
    return Penalty.objects.visible_to(user).select_related(
        "contract__vendor", "order", "offset_sheet__order"
    )


@login_required
def penalty_index(request):
    filterset = PenaltyFilter(request.GET or None, queryset=_visible(request.user), request=request)
    rows, problems = filtered(filterset)
    return render(
        request,
        "governance/penalty_list.html",
        {
            "filter": filterset,
            "filter_problems": problems,
            "page": page_of(request, rows, 25),
            "may_record": request.user.has_role(User.Role.PROCUREMENT),
        },
        status=400 if problems else 200,
    )


@login_required
def penalty_detail(request, pk):
    penalty = get_object_or_404(_visible(request.user), pk=pk)
    return render(
        request,
        "governance/penalty_detail.html",
        {
            "penalty": penalty,
            "basis": penalties.BASIS_LABELS[penalties.basis_of(penalty.kind, penalty.order)],
            "steps": Penalty.flow.allowed(penalty, request.user),
            "may_demand": request.user.has_role(User.Role.PROCUREMENT)
            and penalties.may_demand(penalty),
            "history": history_entries(penalty),
        },
    )


def _decide(request, penalty):
    amount = typed_number(request.POST, "amount", Penalty._meta.get_field("amount"))
    penalties.penalty_decide(
        penalty=penalty, actor=request.user, amount=amount, reason=request.POST.get("reason", "")
    )


def _answer(name):
    return lambda request, penalty: penalties.penalty_answer(
        penalty=penalty, actor=request.user, step=name, answer=request.POST.get("answer", "")
    )


STEPS = {
    "acknowledge": (_answer("acknowledge"), gettext_lazy("The penalty is acknowledged.")),
    "dispute": (_answer("dispute"), gettext_lazy("The penalty is disputed: procurement decides.")),
    "decide": (
        _decide,
        gettext_lazy("The penalty is decided: the vendor's next sheet offsets it."),
    ),
}


@login_required
@require_POST
def penalty_step(request, pk, name):
    penalty = get_object_or_404(_visible(request.user), pk=pk)
    if name not in STEPS:
        raise Http404
    perform, done = STEPS[name]
    take_step(request, Penalty.flow[name], lambda: perform(request, penalty), str(done))
    return redirect("penalty-detail", pk)


@login_required
def penalty_pdf(request, pk):
    penalty = get_object_or_404(_visible(request.user), pk=pk)
    return attachment(demand_pdf(penalty), demand_filename(penalty), "application/pdf")


@login_required
@require_POST
def penalty_demand(request, pk):
    """No sheet follows: procurement issues the demand, then downloads it from the page."""
    penalty = get_object_or_404(_visible(request.user), pk=pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        penalties.penalty_demand(penalty=penalty, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The demand is issued: download it below."))
    return redirect("penalty-detail", pk)


@login_required
def penalty_proposal(request):
    """The record form's live proposal (penalties/proposal/?order=|contract=&kind=&clause=)."""
    try:
        return JsonResponse(proposal_for(request.user, request.GET))
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=400)


@login_required
def penalty_create(request):
    """Procurement records a breach against a contract (or one of its orders)."""
    require_role(request, User.Role.PROCUREMENT)
    contracts = FrameworkContract.objects.visible_to(request.user).order_by("code")
    data = request.POST if request.method == "POST" else request.GET
    contract = contracts.filter(pk=_id(data.get("contract"))).first()
    orders = Order.objects.filter(contract=contract).order_by("number") if contract else []
    if request.method == "POST" and contract is not None:
        try:
            penalty = penalties.penalty_record(
                actor=request.user,
                contract=contract,
                order=next((o for o in orders if o.pk == _id(data.get("order"))), None),
                kind=data.get("kind", ""),
                clause=data.get("clause", ""),
                description=data.get("description", ""),
                amount=typed_number(data, "amount", Penalty._meta.get_field("amount")),
                reason=data.get("reason", ""),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The breach is recorded: the vendor answers next."))
            return redirect("penalty-detail", penalty.pk)
    return render(
        request,
        "governance/penalty_form.html",
        {
            "contracts": contracts,
            "contract": contract,
            "orders": orders,
            "data": data,
            "kinds": Penalty.Kind.choices,
            "clauses": Penalty.Clause.choices,
            "refund_clauses": penalties.REFUND_CLAUSES,
            "penalty_clauses": penalties.PENALTY_CLAUSES,
            "proposal_url": reverse("penalty-proposal"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _id(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
