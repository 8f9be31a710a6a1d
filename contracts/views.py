from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts import services
from contracts.filters import CONTRACTS, ContractFilter
from contracts.forms import ContractForm, RateCardImportForm, TaxRateForm
from contracts.models import FrameworkContract
from contracts.rate_card import rate_card_workbook
from contracts.selectors import contract_detail_queryset, contract_history, signed_copy_missing
from contracts.selectors import contract_list as visible_contracts
from core.bank_accounts import bank_account_panel
from core.errors import DomainError
from core.forms import BankAccountChangeForm
from core.http import XLSX, attachment
from core.lists import list_response
from core.models import User
from core.views import require_role, take_step


def _contract(request, pk):
    """The contract if the user may see it; another vendor's answers 404."""
    return get_object_or_404(contract_detail_queryset(user=request.user), pk=pk)


@login_required
def contract_list(request):
    filterset = ContractFilter(
        request.GET, queryset=visible_contracts(user=request.user), request=request
    )
    return list_response(
        request,
        CONTRACTS,
        filterset,
        "contracts/contract_list.html",
        size=20,
        context={"may_create": request.user.has_role(User.Role.PROCUREMENT)},
    )


@login_required
def contract_detail(request, pk):
    contract = _contract(request, pk)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "estimate": contract.estimate,
            "may_edit": request.user.has_role(User.Role.PROCUREMENT),
            "steps": FrameworkContract.flow.allowed(contract, request.user),
            "signed_copy_missing": contract.is_draft and signed_copy_missing(contract),
            "tax_rate_form": TaxRateForm(),
            "history": contract_history(contract),
            "bank_account": bank_account_panel(user=request.user, vendor=contract.vendor),
            "bank_account_form": BankAccountChangeForm(),
        },
    )


@login_required
def contract_create(request):
    require_role(request, User.Role.PROCUREMENT)
    form = ContractForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(**form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Contract %(code)s created.") % {"code": contract.code})
            return redirect("contract-detail", pk=contract.pk)
    return render(request, "contracts/contract_form.html", {"form": form})


@login_required
@require_POST
def contract_activate(request, pk):
    contract = _contract(request, pk)
    take_step(
        request,
        FrameworkContract.flow["activate"],
        lambda: services.contract_activate(contract=contract),
        _("The contract is now active."),
    )
    return redirect("contract-detail", pk=pk)


@login_required
@require_POST
def tax_rate_add(request, pk):
    contract = _contract(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    form = TaxRateForm(request.POST)
    if form.is_valid():
        try:
            services.tax_rate_add(contract=contract, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The tax rate was added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("contract-detail", pk=pk)


@login_required
def rate_card_import(request, pk):
    contract = _contract(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    form = RateCardImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            lines = services.rate_card_import(contract=contract, upload=form.cleaned_data["file"])
        except services.RateCardImportError as error:
            form.add_error(None, error.message)
            problems = error.problems
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("%(count)s rate-card lines imported.") % {"count": len(lines)}
            )
            return redirect("contract-detail", pk=pk)
    return render(
        request,
        "contracts/rate_card_import.html",
        {"contract": contract, "form": form, "problems": problems},
    )


@login_required
def rate_card_export(request, pk):
    contract = _contract(request, pk)
    return attachment(rate_card_workbook(contract), f"报价表-{contract.code}.xlsx", XLSX)
