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

from archive.selectors import documents_of
from contracts.models import FrameworkContract
from core.bank_accounts import bank_account_at
from core.calendar import add_workdays, provisional_years
from core.errors import DomainError
from core.http import XLSX, attachment
from core.models import User
from core.numbers import NumberError, parse_decimal
from core.templatetags.money import money
from core.views import filtered, page_of, require_role, take_step
from orders.selectors import order_detail_queryset
from orders.views import acceptance_section
from settlement import services
from settlement.documents import ledger_workbook, sheet_pdf
from settlement.filters import SHEETS, ExportFilter, SheetFilter
from settlement.models import SettlementSheet
from settlement.selectors import (
    ceiling_timeline,
    milestone_sheets,
    overdue,
    sheet_history,
    sheet_list,
    sheet_totals,
    task_result,
)
from settlement.tasks import settlements_compute_task

Status = SettlementSheet.Status


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
            # tasks.js reloads the page with ?task= once a computation ended: what it did.
            "computed": task_result(
                user=request.user,
                task_id=request.GET.get("task", ""),
                name=settlements_compute_task.name,
            ),
            "computed_task": request.GET.get("task", ""),
            "export": _export_choices(request),
            "columns": SHEETS.headers(request),
        },
        status=400 if problems else 200,
    )


def _export_choices(request) -> dict:
    """The export's status choices (value, label, chosen: signed and later unless chosen) and
    the list's other filters, which it keeps."""
    chosen = request.GET.getlist("status") or SettlementSheet.SIGNED_STATES
    return {
        "statuses": [(value, label, value in chosen) for value, label in Status.choices],
        "filters": [
            (name, value)
            for name, values in request.GET.lists()
            if name not in ("status", "task", "page")
            for value in values
        ],
    }


@login_required
def ledger(request):
    """The ledger of the list's filters and of the statuses chosen (signed and later unless
    chosen): with a subtotal per status and the total."""
    filterset = ExportFilter(request.GET, queryset=sheet_list(user=request.user), request=request)
    sheets, problems = filtered(filterset)
    if problems:  # the list with the filter's problems, and no file
        return sheet_index(request)
    return attachment(ledger_workbook(sheets), "结算台账.xlsx", XLSX)


@login_required
def sheet_detail(request, pk):
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    steps = SettlementSheet.flow.allowed(sheet, request.user)
    acceptance = sheet.basis.acceptance(sheet)
    return render(
        request,
        "settlement/sheet_detail.html",
        {
            "sheet": sheet,
            "contract": sheet.contract,
            "overdue": overdue(sheet),
            "provisional_years": provisional_years(),
            "history": sheet_history(sheet),
            # 验收: what the sheet pays for, accepted (with its record), or still to accept.
            "acceptance": acceptance,
            "acceptance_records": documents_of(acceptance) if acceptance else (),
            "needs_acceptance": sheet.basis.needs_acceptance(sheet),
            # A signed sheet pays the account in force when it was signed (clause 4.6.3).
            "payee": bank_account_at(sheet.contract.vendor, sheet.signed_at),
            "waiting": _waiting(sheet, steps),
            "confirm_text": _confirm_text(sheet) if "confirm" in steps else "",
            "sign_text": _sign_text(sheet) if "sign" in steps else "",
            "steps": steps,
            "may_adjust": request.user.has_role(*ADJUSTING_ROLES)
            and sheet.is_signed
            and sheet.basis.adjustable,
        },
    )


def _waiting(sheet, steps) -> str:
    """What the sheet waits on now, said to this user: their own step, or whose it is."""
    if sheet.status == Status.DRAFT:
        if "confirm" in steps:
            return _("Check the figures, then confirm the sheet above: the buyer signs it next.")
        return _("Waiting for the vendor to confirm the sheet.")
    if sheet.status == Status.VENDOR_CONFIRMED:
        if "sign" in steps:
            return _("The vendor has confirmed: check the figures, then sign the sheet above.")
        return _("Waiting for the buyer to sign the sheet.")
    # Invoices and payments are recorded in the finance panel below, by whoever may.
    if sheet.status == Status.SIGNED:
        due = {"date": f"{sheet.invoice_due_by:%Y-%m-%d}"}
        return _("The vendor's invoice is due by %(date)s (see invoices and payments below).") % due
    if sheet.status == Status.INVOICED:
        if sheet.payment_due_by is None:  # 4.6: counted from the buyer's receipt
            return _(
                "Invoiced: the payment falls due 30 working days after the buyer receives the "
                "invoice."
            )
        due = {"date": f"{sheet.payment_due_by:%Y-%m-%d}"}
        return _("The payment is due by %(date)s (see invoices and payments below).") % due
    return _("Paid on %(date)s: nothing more waits on this sheet.") % {
        "date": f"{sheet.paid_on:%Y-%m-%d}"
    }


def _confirm_text(sheet) -> str:
    """What the vendor's confirmation does (services.sheet_confirm), asked before it."""
    return _(
        "Confirm this sheet: payable %(amount)s yuan incl. tax%(basis)s the sheet then goes to "
        "the buyer to sign. Confirm?"
    ) % {"amount": money(sheet.payable_incl_tax), "basis": sheet.basis.confirmation()}


def _sign_text(sheet) -> str:
    """What the buyer's signature does (services._sign), with its real figures, asked before."""
    contract = sheet.contract
    figures = services.signing_figures(sheet, contract)
    settled = contract.settled_total + figures.payable
    text = _(
        "Once signed, the payable %(amount)s yuan is added to the settled amount of contract "
        "%(contract)s (settled %(settled)s, remaining %(remaining)s of its ceiling). This "
        "cannot be undone: the sheet no longer changes, and a mistake is corrected only by an "
        "adjustment sheet. The vendor invoices within 10 working days (by %(due)s). Sign?"
    ) % {
        "amount": money(figures.payable),
        "contract": contract.code,
        "settled": money(settled),
        "remaining": money(contract.ceiling_incl_tax - settled),
        "due": f"{add_workdays(timezone.localdate(), services.INVOICE_WORKDAYS):%Y-%m-%d}",
    }
    if figures.capped:
        text = (
            _("The ceiling leaves less than the sheet: it is cut from %(uncapped)s yuan.")
            % {"uncapped": money(figures.uncapped)}
            + " "
            + text
        )
    return text


@login_required
def sheet_pdf_download(request, pk):
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    return attachment(
        sheet_pdf(sheet), f"结算单-{sheet.order.number}-{sheet.month:%Y-%m}.pdf", "application/pdf"
    )


def _amount(text):
    """Yuan as typed: digits with two decimals at most, as much as a sheet's amount holds."""
    try:
        amount = parse_decimal(text, max_digits=14, decimal_places=2)
    except NumberError as error:
        raise DomainError(str(error), field="amount") from error
    if amount is None:
        raise DomainError(_("Give the amount in yuan with at most two decimals."), field="amount")
    return amount


# The page's form for each step of the sheet's flow: what the step did, and the service taking
# it with what the form posted. The form of `confirm` is the vendor's confirmation or, posted by
# the buyer, the signature (services.confirmation_step).
STEPS = {
    "confirm": (
        gettext_lazy("The sheet was confirmed."),
        lambda request, sheet: services.sheet_confirm(sheet=sheet, actor=request.user),
    ),
    "sign": (
        gettext_lazy("The sheet was signed."),
        lambda request, sheet: services.sheet_confirm(sheet=sheet, actor=request.user),
    ),
}
ADJUSTING_ROLES = (User.Role.PROCUREMENT,)


@login_required
@require_POST
def sheet_action(request, pk, name):
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    if name not in STEPS or name == "sign":  # the signature is posted to `confirm`, as in the API
        raise PermissionDenied
    step = (
        services.confirmation_step(request.user)
        if name == "confirm"
        else SettlementSheet.flow[name]
    )
    done, perform = STEPS[step.name]
    take_step(request, step, lambda: perform(request, sheet), done)
    return redirect("sheet-detail", pk=pk)


@login_required
@require_POST
def sheet_adjust(request, pk):
    """A signed sheet corrected by an adjustment sheet (not a step: the sheet stays signed)."""
    sheet = get_object_or_404(sheet_list(user=request.user), pk=pk)
    require_role(request, *ADJUSTING_ROLES)
    try:
        adjustment = services.sheet_adjust(
            sheet=sheet,
            amount_incl_tax=_amount(request.POST.get("amount")),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("sheet-detail", pk=pk)
    messages.success(request, _("The adjustment sheet was made."))
    return redirect("sheet-detail", pk=adjustment.pk)


@login_required
def order_milestones(request, pk):
    """A fixed-price order's payment plan (004): each milestone with its sheet, and
    procurement's button to settle it (or bring its draft up to date)."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    sheets = milestone_sheets(order=order, user=request.user)
    settles = request.user.has_role(User.Role.PROCUREMENT)
    today = timezone.localdate()
    milestones = []
    for item in order.payment_plan.all():
        sheet = sheets.get(item.pk)
        # payment_sheet_compute: a milestone from the day it is payable, its sheet new or a draft.
        may_settle = (
            settles
            and item.payable_from is not None
            and item.payable_from <= today
            and (sheet is None or sheet.status == Status.DRAFT)
        )
        true_up = services.true_up_of(sheet) if settles and sheet else None
        milestones.append((item, sheet, may_settle, true_up))
    return render(
        request,
        "settlement/order_milestones.html",
        {
            "order": order,
            "milestones": milestones,
            "acceptances": acceptance_section(request, order, back="milestones"),
        },
    )


@login_required
@require_POST
def milestone_compute(request, pk, item):
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        sheet = services.payment_sheet_compute(item=get_object_or_404(order.payment_plan, pk=item))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("order-milestones", pk=pk)
    messages.success(request, _("The milestone's settlement sheet is ready."))
    return redirect("sheet-detail", pk=sheet.pk)


@login_required
@require_POST
def milestone_true_up(request, pk, item):
    """004 考核条款 2: a milestone paid on its date trued up (`services.milestone_true_up`)."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    require_role(request, User.Role.PROCUREMENT)
    try:
        adjustment = services.milestone_true_up(
            item=get_object_or_404(order.payment_plan, pk=item), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("order-milestones", pk=pk)
    messages.success(request, _("The milestone's true-up sheet was made."))
    return redirect("sheet-detail", pk=adjustment.pk)


@login_required
def contract_ceiling(request, pk):
    """The data of the contract page's ceiling chart."""
    contract = get_object_or_404(FrameworkContract.objects.visible_to(request.user), pk=pk)
    timeline = ceiling_timeline(contract, timezone.localdate())
    return JsonResponse(timeline, encoder=DjangoJSONEncoder)
