"""The pages of 补充协议 (11.4): procurement drafts and edits one from the contract's page, the
vendor signs it, then the buyer; its page shows its changes, its steps and its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts import amendments
from contracts.forms import ADDED_ROWS, AmendmentForm
from contracts.models import Amendment, FrameworkContract, RateCardLine
from contracts.selectors import amendment_history, contract_detail_queryset
from core.errors import DomainError
from core.http import attachment
from core.models import User
from core.numbers import NumberError, parse_decimal
from core.views import require_role, take_step

ADDED_FIELDS = ("role", "level", "unit", "estimated_quantity", "cap_price_excl_tax", "price")


def _amendment(request, pk) -> Amendment:
    """The amendment if the user may see its contract; another organisation's answers 404."""
    return get_object_or_404(
        Amendment.objects.visible_to(request.user).select_related("contract"), pk=pk
    )


def _money(text: str, digits=14):
    return parse_decimal(text, max_digits=digits, decimal_places=2)


def _line_changes(post, contract: FrameworkContract) -> list[amendments.LineChange]:
    """The form's new prices per rate-card line and its added lines (NumberError if a figure
    cannot be read)."""
    changes = []
    for line in contract.rate_card_lines.all():
        price = _money(post.get(f"price_{line.pk}", ""))
        if price is not None:
            changes.append(amendments.LineChange(price_excl_tax=price, rate_card_line=line))
    for n in range(ADDED_ROWS):
        row = {name: post.get(f"added-{n}-{name}", "").strip() for name in ADDED_FIELDS}
        if not row["role"]:
            continue
        changes.append(
            amendments.LineChange(
                role=row["role"],
                level=row["level"],
                unit=row["unit"] or RateCardLine.Unit.PERSON_DAY,
                estimated_quantity=_money(row["estimated_quantity"], 12) or 0,
                cap_price_excl_tax=_money(row["cap_price_excl_tax"]),
                price_excl_tax=_money(row["price"]),
            )
        )
    return changes


def _rows(post, amendment: Amendment | None, contract: FrameworkContract):
    """What the form shows: each rate-card line with its price in force when the amendment
    would take effect and the new price typed, and the added rows."""
    saved = list(amendment.lines.all()) if amendment else []
    typed = {line.rate_card_line_id: line.price_excl_tax for line in saved}
    in_force = contract.prices_on(amendment.effective_from if amendment else timezone.localdate())
    lines = [
        (
            line,
            in_force.get((line.role, line.level)),
            post.get(f"price_{line.pk}", "") if post else typed.get(line.pk, ""),
        )
        for line in contract.rate_card_lines.all()
    ]
    if post:
        rows = [
            {name: post.get(f"added-{n}-{name}", "") for name in ADDED_FIELDS}
            for n in range(ADDED_ROWS)
        ]
    else:
        rows = [
            {
                "role": line.role,
                "level": line.level,
                "unit": line.unit,
                "estimated_quantity": line.estimated_quantity,
                "cap_price_excl_tax": line.cap_price_excl_tax,
                "price": line.price_excl_tax,
            }
            for line in saved
            if line.rate_card_line_id is None
        ]
        rows += [{} for _n in range(ADDED_ROWS - len(rows))]
    return lines, list(enumerate(rows))


def _edit(request, contract: FrameworkContract, amendment: Amendment | None):
    require_role(request, User.Role.PROCUREMENT)
    form = AmendmentForm(request.POST or None, instance=amendment, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            lines = _line_changes(request.POST, contract)
            if amendment is None:
                amendment = amendments.amendment_create(
                    contract=contract, actor=request.user, lines=lines, **form.cleaned_data
                )
            else:
                amendment = amendments.amendment_update(
                    amendment=amendment, lines=lines, **form.cleaned_data
                )
        except NumberError as error:
            form.add_error(None, str(error))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(amendment)s saved.") % {"amendment": amendment})
            return redirect("amendment-detail", pk=amendment.pk)
    lines, added = _rows(request.POST, amendment, contract)
    return render(
        request,
        "contracts/amendment_form.html",
        {
            "contract": contract,
            "amendment": amendment,
            "form": form,
            "lines": lines,
            "added": added,
            "levels": RateCardLine.Level.choices,
            "units": RateCardLine.Unit.choices,
        },
    )


@login_required
def amendment_create(request, pk):
    contract = get_object_or_404(contract_detail_queryset(user=request.user), pk=pk)
    return _edit(request, contract, None)


@login_required
def amendment_edit(request, pk):
    amendment = _amendment(request, pk)
    if amendment.status != Amendment.Status.DRAFT:
        messages.error(request, _("Only a draft amendment can be edited."))
        return redirect("amendment-detail", pk=pk)
    return _edit(request, amendment.contract, amendment)


@login_required
def amendment_detail(request, pk):
    amendment = _amendment(request, pk)
    contract = amendment.contract
    return render(
        request,
        "contracts/amendment_detail.html",
        {
            "amendment": amendment,
            "contract": contract,
            "lines": amendment.lines.select_related("rate_card_line"),
            "steps": Amendment.flow.allowed(amendment, request.user),
            "may_edit": request.user.has_role(User.Role.PROCUREMENT)
            and amendment.status == Amendment.Status.DRAFT,
            "history": amendment_history(amendment),
        },
    )


@login_required
@require_POST
def amendment_sign(request, pk):
    amendment = _amendment(request, pk)
    step = "vendor_sign" if request.user.is_vendor else "sign"
    take_step(
        request,
        Amendment.flow[step],
        lambda: amendments.amendment_sign(amendment=amendment, actor=request.user),
        _("Signed."),
    )
    return redirect("amendment-detail", pk=pk)


@login_required
@require_POST
def amendment_delete(request, pk):
    amendment = _amendment(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        amendments.amendment_delete(amendment=amendment)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("amendment-detail", pk=pk)
    messages.success(request, _("The draft amendment was deleted."))
    return redirect("contract-detail", pk=amendment.contract_id)


@login_required
def amendment_pdf(request, pk):
    amendment = _amendment(request, pk)
    return attachment(
        amendments.amendment_pdf(amendment),
        f"补充协议-{amendment.contract.code}-{amendment.number}.pdf",
        "application/pdf",
    )
