from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.http import document_response
from archive.models import Document
from archive.services import document_add, may_add
from contracts.kinds import MODES
from contracts.models import FrameworkContract
from contracts.selectors import contract_list
from core.errors import DomainError
from core.history import history_entries
from core.http import attachment
from core.lists import list_response
from core.models import User
from core.templatetags.money import money
from core.views import require_role, take_step
from orders import services, terminations
from orders.documents import order_pdf, termination_pdf
from orders.filters import ORDERS, OrderFilter
from orders.forms import (
    AcceptanceForm,
    AttachmentForm,
    LineFormSet,
    OrderForm,
    PaymentPlanFormSet,
    TerminationAnswerForm,
    TerminationForm,
    TerminationWithdrawForm,
)
from orders.kinds import KINDS
from orders.models import Acceptance, Order, PaymentPlanItem, Termination
from orders.selectors import (
    REPORTING,
    acceptance_work,
    order_detail_queryset,
    order_form_prices,
    order_history,
    order_list,
    termination_list,
)

# Empty rows a new order starts with; the page's script adds and removes lines.
LINE_ROWS, PLAN_ROWS = 3, 3


def _order(request, pk):
    return get_object_or_404(order_detail_queryset(user=request.user), pk=pk)


@login_required
def order_index(request):
    filterset = OrderFilter(request.GET, queryset=order_list(user=request.user), request=request)
    return list_response(
        request,
        ORDERS,
        filterset,
        "orders/order_list.html",
        size=20,
        context={"may_create": request.user.has_role(User.Role.PROCUREMENT)},
    )


def _padded(initial, rows):
    return list(initial) + [{}] * max(rows - len(initial), 1)


def _edit(request, order=None):
    require_role(request, User.Role.PROCUREMENT)
    contracts = contract_list(user=request.user).filter(
        status__in=[FrameworkContract.Status.DRAFT, FrameworkContract.Status.ACTIVE]
    )
    data = request.POST if request.method == "POST" else None
    form = OrderForm(
        data, instance=order, contracts=contracts, initial={"contract": request.GET.get("contract")}
    )
    contract = order.contract if order else _chosen_contract(form, contracts)
    rate_card = list(contract.rate_card_lines.all()) if contract else []
    lines = LineFormSet(
        data,
        prefix="lines",
        form_kwargs={"rate_card": rate_card},
        initial=None
        if data
        else _padded(
            [
                {"line": f"{line.role}|{line.level}", "planned_quantity": line.planned_quantity}
                for line in (order.lines.all() if order else [])
            ],
            LINE_ROWS,
        ),
    )
    plan = PaymentPlanFormSet(
        data,
        prefix="plan",
        initial=None
        if data
        else _padded(
            list(order.payment_plan.values(*PaymentPlanItem.FIELDS)) if order else [],
            PLAN_ROWS,
        ),
    )
    if data and form.is_valid() and lines.is_valid() and plan.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "contract"}
        chosen_lines = [line for line in (f.as_line() for f in lines) if line]
        items = [item for item in (f.as_item() for f in plan) if item]
        try:
            if order is None:
                order = services.order_create(
                    contract=form.cleaned_data["contract"],
                    lines=chosen_lines,
                    payment_plan=items,
                    **fields,
                )
            else:
                order = services.order_update(
                    order=order, lines=chosen_lines, payment_plan=items, **fields
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Order %(number)s saved.") % {"number": order.number})
            return redirect("order-detail", pk=order.pk)
    return render(
        request,
        "orders/order_form.html",
        {"form": form, "lines": lines, "plan": plan, "order": order, "contract": contract},
    )


def _chosen_contract(form, contracts):
    chosen = form.data.get("contract") or form.initial.get("contract")
    return contracts.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None


@login_required
def order_create(request):
    return _edit(request)


@login_required
def order_edit(request, pk):
    return _edit(request, _order(request, pk))


@login_required
def order_detail(request, pk):
    order = _order(request, pk)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "contract": order.contract,
            "kind": KINDS[order.contract.settlement_mode],
            "may_edit": request.user.has_role(User.Role.PROCUREMENT),
            "steps": Order.flow.allowed(order, request.user),
            "history": order_history(order),
            "confirm": _confirmations(order),
            "acceptances": acceptance_section(request, order),
        },
    )


def _confirmations(order) -> dict:
    """What each action's confirm() dialog says will happen, with this order's figures."""
    contract = order.contract
    figures = {
        "number": order.number,
        "code": contract.code,
        "vendor": contract.vendor.name,
        "planned": money(order.planned_amount),
        "free": money(contract.free_amount),
        "left": money(contract.free_amount - order.planned_amount),
        "released": money(order.reserved_amount),
        "after": money(contract.free_amount + order.reserved_amount),
    }
    if order.planned_amount > contract.free_amount:
        issue = _(
            "Order %(number)s plans %(planned)s yuan but contract %(code)s has only %(free)s "
            "yuan free: issuing it will be refused. Try anyway?"
        )
    else:
        issue = _(
            "Issue order %(number)s to %(vendor)s? It reserves %(planned)s yuan of contract "
            "%(code)s's ceiling, leaving %(left)s yuan free. The vendor then sees the order and "
            "it can no longer be edited."
        )
    if order.status == order.Status.DRAFT:
        cancel = _(
            "Cancel draft order %(number)s? It reserves nothing of the ceiling; once cancelled it "
            "can no longer be edited or issued. This cannot be undone."
        )
    else:
        cancel = _(
            "Cancel order %(number)s? The %(released)s yuan it still reserves returns to "
            "contract %(code)s, which then has %(after)s yuan free; no more logs or scores can "
            "be entered for it. This cannot be undone."
        )
    complete = _(
        "Complete order %(number)s? The %(released)s yuan it still reserves returns to contract "
        "%(code)s, which then has %(after)s yuan free; the months it served can still be logged, "
        "scored and settled. This cannot be undone."
    )
    return {
        "issue": issue % figures,
        "cancel": cancel % figures,
        "complete": complete % figures,
    }


@login_required
def order_prices(request):
    """The chosen contract's agreed prices incl. tax on the service start (`?start=`, else
    today) and its free amount, for the order form's live figures; a contract the user does
    not see is 404."""
    require_role(request, User.Role.PROCUREMENT)
    chosen = request.GET.get("contract", "")
    if not (chosen.isascii() and chosen.isdigit()):
        raise Http404
    contract = get_object_or_404(contract_list(user=request.user), pk=chosen)
    try:
        day = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        day = timezone.localdate()
    return JsonResponse(order_form_prices(contract, day))


def _step(request, pk, name, service, done):
    """A step of the order's flow taken from its page, back to the order."""
    order = _order(request, pk)
    take_step(
        request,
        Order.flow[name],
        lambda: service(order=order, actor=request.user),
        done % {"number": order.number},
    )
    return redirect("order-detail", pk=pk)


@login_required
@require_POST
def order_issue(request, pk):
    return _step(request, pk, "issue", services.order_issue, _("Order %(number)s issued."))


@login_required
@require_POST
def order_complete(request, pk):
    return _step(request, pk, "complete", services.order_complete, _("Order %(number)s completed."))


@login_required
@require_POST
def order_cancel(request, pk):
    return _step(request, pk, "cancel", services.order_cancel, _("Order %(number)s cancelled."))


@login_required
def order_pdf_download(request, pk):
    order = _order(request, pk)
    return attachment(order_pdf(order), f"委托订单-{order.number}.pdf", "application/pdf")


@login_required
@require_POST
def attachment_upload(request, pk):
    """附件6's attachments as before the archive (the page's documents panel posts to the
    archive's own upload): the file becomes one of the order's documents."""
    order = _order(request, pk)
    if not may_add(request.user, order):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_add(
                target=order,
                kind=Document.Kind.ORDER_ATTACHMENT,
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attachment added."))
    return redirect("order-detail", pk=pk)


@login_required
def attachment_download(request, pk, attachment_id):
    stored = _order(request, pk).documents.filter(pk=attachment_id).first()
    if stored is None:
        raise Http404
    return document_response(stored)


def acceptance_section(request, order, back: str = "") -> dict:
    """The order's acceptances (验收) as its page and its milestones page show them: each month
    or milestone with its acceptance in force, the withdrawn ones, and procurement's form
    (`back`: the page the form returns to)."""
    work = acceptance_work(order, today=timezone.localdate())
    may_accept = request.user.has_role(User.Role.PROCUREMENT) and order.status in REPORTING
    form = AcceptanceForm(work=work, initial={"accepted_on": timezone.localdate()})
    return {
        "rows": [(w, Acceptance.flow.allowed(w.acceptance, request.user)) for w in work],
        "required": MODES[order.contract.settlement_mode].acceptance_required,
        "withdrawn": order.acceptances.filter(status=Acceptance.Status.WITHDRAWN).select_related(
            "payment_item", "withdrawn_by"
        ),
        "form": form if may_accept and form.open_work else None,
        "back": back,
    }


def _after_acceptance(request, order):
    if request.POST.get("back") == "milestones":
        return redirect("order-milestones", pk=order.pk)
    return redirect(f"{reverse('order-detail', args=[order.pk])}#acceptances")


@login_required
@require_POST
def acceptance_record(request, pk):
    order = _order(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    form = AcceptanceForm(
        request.POST, request.FILES, work=acceptance_work(order, today=timezone.localdate())
    )
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise DomainError(f"{form.fields[field].label}: {errors[0]}")
        acceptance = services.acceptance_record(order=order, actor=request.user, **form.accepted())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(work)s accepted.") % {"work": acceptance})
    return _after_acceptance(request, order)


@login_required
@require_POST
def acceptance_withdraw(request, pk, acceptance_id):
    order = _order(request, pk)
    acceptance = get_object_or_404(order.acceptances, pk=acceptance_id)
    take_step(
        request,
        Acceptance.flow["withdraw"],
        lambda: services.acceptance_withdraw(
            acceptance=acceptance, reason=request.POST.get("reason", ""), actor=request.user
        ),
        _("The acceptance of %(work)s was withdrawn.") % {"work": acceptance},
    )
    return _after_acceptance(request, order)


def _terminate(request, contract, order=None):
    """The termination form of a contract or of one of its orders: GET shows it (prefilled from
    `?kind=breach&clause=2.10`), POST gives the notice and shows it."""
    target = order or contract
    step = target.flow["terminate"]
    require_role(request, *step.roles)
    form = TerminationForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            termination = terminations.termination_give(
                contract=contract, order=order, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The termination was recorded."))
            return redirect("termination-detail", pk=termination.pk)
    return render(
        request,
        "orders/termination_form.html",
        {"form": form, "contract": contract, "order": order, "may": step.may(target)},
    )


@login_required
def contract_terminate(request, pk):
    contract = get_object_or_404(contract_list(user=request.user), pk=pk)
    return _terminate(request, contract)


@login_required
def order_terminate(request, pk):
    order = _order(request, pk)
    return _terminate(request, order.contract, order)


def _termination(request, pk):
    return get_object_or_404(termination_list(user=request.user), pk=pk)


@login_required
def termination_detail(request, pk):
    termination = _termination(request, pk)
    return render(
        request,
        "orders/termination_detail.html",
        {
            "termination": termination,
            "contract": termination.contract,
            "steps": Termination.flow.allowed(termination, request.user),
            "history": history_entries(termination),
            "answer_form": TerminationAnswerForm(),
            "withdraw_form": TerminationWithdrawForm(),
        },
    )


@login_required
@require_POST
def termination_answer(request, pk):
    termination = _termination(request, pk)
    take_step(
        request,
        Termination.flow["answer"],
        lambda: terminations.termination_answer(
            termination=termination, actor=request.user, answer=request.POST.get("answer", "")
        ),
        _("Your answer was recorded."),
    )
    return redirect("termination-detail", pk=pk)


@login_required
@require_POST
def termination_withdraw(request, pk):
    termination = _termination(request, pk)
    take_step(
        request,
        Termination.flow["withdraw"],
        lambda: terminations.termination_withdraw(
            termination=termination, reason=request.POST.get("reason", "")
        ),
        _("The termination was withdrawn."),
    )
    return redirect("termination-detail", pk=pk)


@login_required
def termination_pdf_download(request, pk):
    termination = _termination(request, pk)
    return attachment(
        termination_pdf(termination), f"解除通知书-{termination.pk}.pdf", "application/pdf"
    )
