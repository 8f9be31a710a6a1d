from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts import services
from contracts.filters import CONTRACTS, TEMPLATES, ContractFilter, TemplateFilter
from contracts.forms import ContractForm, RateCardImportForm, TaxRateForm
from contracts.models import AssessmentTemplate, FrameworkContract, Indicator, TemplateCategory
from contracts.rate_card import rate_card_workbook
from contracts.selectors import contract_detail_queryset, contract_history
from contracts.selectors import contract_list as visible_contracts
from core.bank_accounts import bank_account_panel
from core.errors import DomainError
from core.forms import BankAccountChangeForm
from core.http import XLSX, attachment
from core.lists import list_response
from core.models import User
from core.numbers import NumberError, parse_whole
from core.views import posted_rows, require_role, typed_number


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


def _act(request, pk, service, done):
    contract = _contract(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        service(contract=contract)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("contract-detail", pk=pk)


@login_required
@require_POST
def contract_activate(request, pk):
    return _act(request, pk, services.contract_activate, _("The contract is now active."))


@login_required
@require_POST
def contract_terminate(request, pk):
    return _act(request, pk, services.contract_terminate, _("The contract was terminated."))


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
        "contracts/template_list.html",
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
        "contracts/template_detail.html",
        {
            "template": template,
            "indicators": indicators,
            "problems": problems,
            "editable": may_edit and template.status == AssessmentTemplate.Status.DRAFT,
            "may_edit": may_edit,
            "kinds": Indicator.Kind.choices,
            "blank_rows": range(len(indicators), len(indicators) + 3),
        },
    )
