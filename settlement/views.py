from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from contracts.models import FrameworkContract
from core.bank_accounts import bank_account_at
from core.calendar import provisional_years
from core.errors import DomainError
from core.http import XLSX, attachment
from core.models import User
from core.numbers import NumberError, parse_decimal
from core.views import filtered, page_of
from settlement import services
from settlement.documents import ledger_workbook, sheet_pdf
from settlement.filters import SheetFilter
from settlement.selectors import (
    ceiling_timeline,
    overdue,
    sheet_history,
    sheet_list,
    sheet_totals,
)


def _filtered(request):
    return SheetFilter(request.GET or None, queryset=sheet_list(user=request.user), request=request)


@login_required
def sheet_index(request):
    filterset = _filtered(request)
    sheets, problems = filtered(filterset)
    page = page_of(request, sheets, 25)
    return render(
        request,
        "settlement/sheet_list.html",
        {
            "filter": filterset,
            "filter_problems": problems,
            "page": page,
            "totals": sheet_totals(sheets),
            "rows": [(sheet, overdue(sheet)) for sheet in page],
            "may_compute": request.user.has_role(User.Role.PROCUREMENT),
        },
        status=400 if problems else 200,
    )


@login_required
def ledger(request):
    sheets, problems = filtered(_filtered(request))
    if problems:  # the list with the filter's problems, and no file
        return sheet_index(request)
    return attachment(ledger_workbook(sheets), "结算台账.xlsx", XLSX)


@login_required
def sheet_detail(request, pk):
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    user = request.user
    return render(
        request,
        "settlement/sheet_detail.html",
        {
            "sheet": sheet,
            "contract": sheet.contract,
            "overdue": overdue(sheet),
            "provisional_years": provisional_years(),
            "history": sheet_history(sheet),
            # A signed sheet pays the account in force when it was signed (clause 4.6.3).
            "payee": bank_account_at(sheet.contract.vendor, sheet.signed_at),
            "vendor_may_confirm": user.has_role(User.Role.VENDOR_PM) and sheet.status == "draft",
            "buyer_may_sign": user.has_role(User.Role.PROCUREMENT)
            and sheet.status == "vendor_confirmed",
            "may_invoice": user.has_role(User.Role.VENDOR_PM) and sheet.status == "signed",
            "may_pay": user.has_role(User.Role.FINANCE) and sheet.status == "invoiced",
            "may_adjust": user.has_role(User.Role.PROCUREMENT)
            and sheet.is_signed
            and not sheet.adjusts_id,
        },
    )


@login_required
def sheet_pdf_download(request, pk):
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    return attachment(
        sheet_pdf(sheet), f"结算单-{sheet.order.number}-{sheet.month:%Y-%m}.pdf", "application/pdf"
    )


def _date(text):
    try:
        return datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError as error:
        raise DomainError(_("Give the date as YYYY-MM-DD.")) from error


def _amount(text):
    """Yuan as typed: digits with two decimals at most, as much as a sheet's amount holds."""
    try:
        amount = parse_decimal(text, max_digits=14, decimal_places=2)
    except NumberError as error:
        raise DomainError(str(error), field="amount") from error
    if amount is None:
        raise DomainError(_("Give the amount in yuan with at most two decimals."), field="amount")
    return amount


ACTIONS = {
    "confirm": (
        (User.Role.VENDOR_PM, User.Role.PROCUREMENT),
        gettext_lazy("The sheet was confirmed."),
        lambda request, sheet: services.sheet_confirm(sheet=sheet, actor=request.user),
    ),
    "invoice": (
        (User.Role.VENDOR_PM,),
        gettext_lazy("The invoice was recorded."),
        lambda request, sheet: services.sheet_invoice(
            sheet=sheet,
            number=request.POST.get("number", ""),
            invoiced_on=_date(request.POST.get("invoiced_on")),
            amount=_amount(request.POST.get("amount")),
        ),
    ),
    "pay": (
        (User.Role.FINANCE,),
        gettext_lazy("The payment was recorded."),
        lambda request, sheet: services.sheet_pay(
            sheet=sheet, paid_on=_date(request.POST.get("paid_on"))
        ),
    ),
    "adjust": (
        (User.Role.PROCUREMENT,),
        gettext_lazy("The adjustment sheet was made."),
        lambda request, sheet: services.sheet_adjust(
            sheet=sheet,
            amount_incl_tax=_amount(request.POST.get("amount")),
            reason=request.POST.get("reason", ""),
        ),
    ),
}


@login_required
@require_POST
def sheet_action(request, pk, name):
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    if name not in ACTIONS:
        raise PermissionDenied
    roles, done, perform = ACTIONS[name]
    if not request.user.has_role(*roles):
        raise PermissionDenied
    try:
        result = perform(request, sheet)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("sheet-detail", pk=pk)
    messages.success(request, done)
    return redirect("sheet-detail", pk=result.pk)


@login_required
def contract_ceiling(request, pk):
    """The data of the contract page's ceiling chart."""
    contract = get_object_or_404(FrameworkContract.objects.visible_to(request.user), pk=pk)
    timeline = ceiling_timeline(contract, timezone.localdate())
    return JsonResponse(timeline, encoder=DjangoJSONEncoder)
