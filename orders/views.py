from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts.models import FrameworkContract
from contracts.selectors import contract_list
from core.errors import DomainError
from core.http import attachment
from core.models import User
from core.views import filtered, page_of, require_role
from orders import services
from orders.documents import order_pdf
from orders.filters import OrderFilter
from orders.forms import AttachmentForm, LineFormSet, OrderForm, PaymentPlanFormSet
from orders.models import PaymentPlanItem
from orders.selectors import order_detail_queryset, order_history, order_list

LINE_ROWS, PLAN_ROWS = 6, 3


def _order(request, pk):
    return get_object_or_404(order_detail_queryset(user=request.user), pk=pk)


@login_required
def order_index(request):
    filterset = OrderFilter(
        request.GET or None, queryset=order_list(user=request.user), request=request
    )
    orders, problems = filtered(filterset)
    return render(
        request,
        "orders/order_list.html",
        {
            "filter": filterset,
            "filter_problems": problems,
            "page": page_of(request, orders, 20),
            "may_create": request.user.has_role(User.Role.PROCUREMENT),
        },
        status=400 if problems else 200,
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
            "may_edit": request.user.has_role(User.Role.PROCUREMENT),
            "attachment_form": AttachmentForm(),
            "history": order_history(order),
        },
    )


def _act(request, pk, service, done):
    order = _order(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        service(order=order, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"number": order.number})
    return redirect("order-detail", pk=pk)


@login_required
@require_POST
def order_issue(request, pk):
    return _act(request, pk, services.order_issue, _("Order %(number)s issued."))


@login_required
@require_POST
def order_complete(request, pk):
    return _act(request, pk, services.order_complete, _("Order %(number)s completed."))


@login_required
@require_POST
def order_cancel(request, pk):
    return _act(request, pk, services.order_cancel, _("Order %(number)s cancelled."))


@login_required
def order_pdf_download(request, pk):
    order = _order(request, pk)
    return attachment(order_pdf(order), f"委托订单-{order.number}.pdf", "application/pdf")


@login_required
@require_POST
def attachment_upload(request, pk):
    order = _order(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.order_attachment_add(order=order, upload=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attachment added."))
    return redirect("order-detail", pk=pk)


@login_required
def attachment_download(request, pk, attachment_id):
    order = _order(request, pk)
    stored = order.attachments.filter(pk=attachment_id).first()
    if stored is None:
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)
