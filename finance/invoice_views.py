"""The pages that record invoices and payments: an invoice's page (its parts, flags, history and
steps), and the forms of a sheet's finance panel (finance/templatetags/finance.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.bank_accounts import bank_account_at
from core.errors import DomainError
from core.history import history_entries
from core.templatetags.money import money
from core.views import require_role, take_step
from finance import services
from finance.forms import InvoiceForm, PaymentForm, ReceiptForm, VoidForm
from finance.models import INVOICING_ROLES, PAYING_ROLES, Invoice
from finance.selectors import invoice_list, payment_list
from finance.services import sheet_balances, void_refusal
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list


def voidable_steps(invoice, user) -> tuple[set[str], str]:
    """The invoice's steps the user may take, less `void` while payments need the invoice
    (and why)."""
    steps = Invoice.flow.allowed(invoice, user)
    refusal = void_refusal(invoice) if "void" in steps else ""
    return (steps - {"void"} if refusal else steps), refusal


def sheet_panel(*, sheet: SettlementSheet, user) -> dict:
    """What the panel shows the user of the sheet, and which forms it offers them."""
    balance = sheet_balances([sheet])[sheet.pk]
    invoices = list(invoice_list(user=user).filter(parts__sheet=sheet).distinct())
    for invoice in invoices:
        invoice.part = next(part for part in invoice.parts.all() if part.sheet_id == sheet.pk)
        invoice.steps, invoice.refusal = voidable_steps(invoice, user)
    contract = sheet.contract
    may_invoice = (
        user.has_role(*INVOICING_ROLES)
        and sheet.is_signed
        and sheet.payable_incl_tax > 0
        and not balance.covered
    )
    return {
        "sheet": sheet,
        "balance": balance,
        "invoices": invoices,
        "payments": payment_list(user=user).filter(sheet=sheet).order_by("paid_on", "pk"),
        "may_invoice": may_invoice,
        "companions": _companions(sheet, user) if may_invoice else [],
        "replaceable": [
            invoice
            for invoice in invoices
            if invoice.status == Invoice.Status.VOID
            and getattr(invoice, "replaced_by", None) is None
        ],
        "invoice_form": InvoiceForm(
            user=user,
            initial={
                "kind": Invoice.Kind.SPECIAL,
                "tax_rate": str(sheet.tax_rate.normalize()),
                "amount_incl_tax": balance.left_incl,
                "amount_excl_tax": balance.left_excl,
                "tax_amount": balance.left_incl - balance.left_excl,
                "seller_tax_id": contract.vendor.tax_id,
                "buyer_name": contract.buyer.name,
                "buyer_tax_id": contract.buyer.tax_id,
            },
        ),
        "may_pay": user.has_role(*PAYING_ROLES) and balance.left_to_pay > 0,
        "payment_form": PaymentForm(
            initial={
                "amount": balance.left_to_pay,
                "payer_bank_name": contract.buyer.bank_name,
                "payer_account": contract.buyer.bank_account,
            }
        ),
        "payee": bank_account_at(contract.vendor, None),
    }


def _companions(sheet, user) -> list:
    """The contract's other signed sheets with something left to invoice: one invoice may
    cover several (each wholly)."""
    sheets = list(
        SettlementSheet.objects.visible_to(user)
        .filter(
            contract_id=sheet.contract_id,
            status=SettlementSheet.Status.SIGNED,
            payable_incl_tax__gt=0,
        )
        .exclude(pk=sheet.pk)
        .select_related("order")
        .order_by("month", "order__number")
    )
    balances = sheet_balances(sheets)
    return [(other, balances[other.pk]) for other in sheets if not balances[other.pk].covered]


def _cleaned(form) -> dict:
    """The posted form's values; its problems as the refusal the page shows."""
    if not form.is_valid():
        raise DomainError(
            " ".join(
                f"{form.fields[name].label if name in form.fields else ''}：{error}"
                for name, errors in form.errors.items()
                for error in errors
            )
        )
    return form.cleaned_data


def _back(request, fallback: str):
    """Back to the page the form was on (a sheet's or an invoice's), else `fallback`."""
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if back and safe else fallback)


@login_required
def invoice_detail(request, pk):
    invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
    steps, refusal = voidable_steps(invoice, request.user)
    replacement = None
    if (
        invoice.status == Invoice.Status.VOID
        and getattr(invoice, "replaced_by", None) is None
        and request.user.has_role(*INVOICING_ROLES)
    ):
        replacement = InvoiceForm(
            user=request.user,
            initial={
                "kind": invoice.kind,
                "medium": invoice.medium,
                "tax_rate": str(invoice.tax_rate.normalize()),
                "seller_tax_id": invoice.seller_tax_id,
                "buyer_name": invoice.buyer_name,
                "buyer_tax_id": invoice.buyer_tax_id,
                "amount_incl_tax": invoice.amount_incl_tax,
                "amount_excl_tax": invoice.amount_excl_tax,
                "tax_amount": invoice.amount_incl_tax - invoice.amount_excl_tax,
            },
        )
    return render(
        request,
        "finance/invoice_detail.html",
        {
            "invoice": invoice,
            "steps": steps,
            "void_refusal": refusal,
            "replacement": replacement,
            "history": history_entries(invoice),
        },
    )


# The invoice page's form for each step of its flow: what it did, and the service taking it.
STEPS = {
    "void": (
        gettext_lazy("The invoice was voided."),
        lambda request, invoice: services.invoice_void(
            invoice=invoice, actor=request.user, **_cleaned(VoidForm(request.POST))
        ),
    ),
    "receive": (
        gettext_lazy("The receipt of the invoice was recorded."),
        lambda request, invoice: services.invoice_receive(
            invoice=invoice, actor=request.user, **_cleaned(ReceiptForm(request.POST))
        ),
    ),
    "accept-ordinary": (
        gettext_lazy("The ordinary invoice was accepted."),
        lambda request, invoice: services.invoice_accept_ordinary(
            invoice=invoice, actor=request.user
        ),
    ),
}


@login_required
@require_POST
def invoice_step(request, pk, name):
    invoice = get_object_or_404(invoice_list(user=request.user), pk=pk)
    if name not in STEPS:
        raise Http404
    done, perform = STEPS[name]
    take_step(request, Invoice.flow[name], lambda: perform(request, invoice), done)
    return _back(request, reverse("invoice-detail", args=[pk]))


@login_required
@require_POST
def invoice_create(request):
    """An invoice recorded from a sheet's panel, or replacing a void one from its page."""
    require_role(request, *INVOICING_ROLES)
    try:
        invoice = services.invoice_record(
            actor=request.user, **_cleaned(InvoiceForm(request.POST, user=request.user))
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request, reverse("sheet-list"))
    messages.success(request, _("Invoice %(invoice)s was recorded.") % {"invoice": invoice})
    return _back(request, reverse("invoice-detail", args=[invoice.pk]))


@login_required
@require_POST
def payment_create(request, pk):
    """A payment of the sheet, from its panel."""
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    require_role(request, *PAYING_ROLES)
    try:
        payment = services.payment_record(
            actor=request.user, sheet=sheet, **_cleaned(PaymentForm(request.POST))
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The payment of %(amount)s yuan was recorded.") % {"amount": money(payment.amount)},
        )
    return redirect("sheet-detail", pk=pk)
