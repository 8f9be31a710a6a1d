"""Finance's pages: what falls due (the finance home), the invoice and payment lists with their
exports, and the reconciliation of a contract."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from contracts.models import FrameworkContract
from core.http import XLSX, attachment
from core.lists import list_response
from core.numbers import NumberError, parse_whole
from core.views import filtered
from finance.documents import reconciliation_workbook, section_workbook
from finance.filters import INVOICES, PAYMENTS, InvoiceFilter, PaymentFilter
from finance.selectors import (
    finance_home,
    invoice_list,
    payment_list,
    payments_total,
    reconciliation,
)


def _buyer_side(request) -> None:
    """The finance home and its exports are the buyer's: a vendor reads its own invoices and
    payments in their lists, and its contracts' reconciliation, never the buyer's desk."""
    if request.user.is_vendor:
        raise PermissionDenied


@login_required
def home(request):
    """Overdue, due this week and next, invoices not received, paid this month; each section
    exported on its own (`?export=<section>`)."""
    _buyer_side(request)
    today = timezone.localdate()
    sections = finance_home(user=request.user, today=today)
    export = request.GET.get("export")
    if export:
        section = next((s for s in sections if s.key == export), None)
        if section is None:
            raise Http404
        return attachment(section_workbook(section), f"{section.title}-{today}.xlsx", XLSX)
    return render(request, "finance/home.html", {"sections": sections, "today": today})


@login_required
def invoice_index(request):
    filterset = InvoiceFilter(
        request.GET, queryset=invoice_list(user=request.user), request=request
    )
    return list_response(request, INVOICES, filterset, "finance/invoice_list.html", size=25)


@login_required
def payment_index(request):
    filterset = PaymentFilter(
        request.GET, queryset=payment_list(user=request.user), request=request
    )
    payments, _problems = filtered(filterset)
    return list_response(
        request,
        PAYMENTS,
        filterset,
        "finance/payment_list.html",
        size=25,
        context={"total": payments_total(payments)},
    )


@login_required
def reconciliation_page(request):
    """A contract's signed sheets against its invoices and payments (`?contract=<id>`), with
    the contract to choose among those the user sees; `?export=xlsx` downloads it."""
    contracts = FrameworkContract.objects.visible_to(request.user).order_by("code")
    contract = None
    asked = request.GET.get("contract")
    if asked:
        try:
            pk = parse_whole(asked, max_digits=9)
        except NumberError as error:
            raise Http404 from error
        contract = get_object_or_404(contracts, pk=pk)
    today = timezone.localdate()
    result = reconciliation(contract=contract, today=today) if contract else None
    if result and request.GET.get("export") == "xlsx":
        return attachment(
            reconciliation_workbook(result), f"对账-{contract.code}-{today}.xlsx", XLSX
        )
    return render(
        request,
        "finance/reconciliation.html",
        {"contracts": contracts, "contract": contract, "result": result},
    )
