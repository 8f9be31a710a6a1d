from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.http import XLSX, attachment
from core.lists import list_response
from core.models import User
from core.templatetags.money import money_with_sign
from core.views import month_from_url, months_between, require_role, take_step
from orders.selectors import order_detail_queryset
from worklogs import services
from worklogs.filters import WORKLOGS, WorkLogFilter
from worklogs.forms import UploadForm
from worklogs.kinds import log_kind
from worklogs.models import WorkLog
from worklogs.selectors import worklog_history, worklog_list


@login_required
def worklog_index(request):
    """The logs the user may see; procurement's approval queue is `?status=submitted`."""
    filterset = WorkLogFilter(
        request.GET, queryset=worklog_list(user=request.user), request=request
    )
    return list_response(request, WORKLOGS, filterset, "worklogs/worklog_list.html", size=25)


def _order_kind(request, pk):
    """The order the user sees and the kind of log it reports; none for a fixed-price order."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    kind = log_kind(order.contract)
    if kind is None:
        raise Http404
    return order, kind


@login_required
def worklog_month(request, pk, month):
    """An order's month: its lines as the kind of log shows them (a grid of the staff, or the
    deliveries), the steps the user may take, the history."""
    order, kind = _order_kind(request, pk)
    month = month_from_url(month)
    log = WorkLog.objects.filter(order=order, month=month).first()
    problems = []
    if request.method == "POST":
        require_role(request, User.Role.VENDOR_PM)
        lines, problems = kind.posted(request.POST, order, month)
        if not problems:
            submit = "submit" in request.POST
            try:
                services.worklog_enter(order=order, month=month, lines=lines, submit=submit)
            except DomainError as error:
                problems = error.messages
            else:
                messages.success(
                    request, _("The log was submitted.") if submit else _("The log was saved.")
                )
                return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")
    editable = request.user.has_role(User.Role.VENDOR_PM) and (
        log is None or log.status in WorkLog.EDITABLE
    )
    steps = WorkLog.flow.allowed(log, request.user)
    return render(
        request,
        "worklogs/worklog_month.html",
        {
            "order": order,
            "month": month,
            "log": log,
            "kind": kind,
            "heading": kind.heading(month),
            **kind.page(request.POST, order, month, log, editable, problems),
            "problems": problems,
            "steps": steps,
            "reopen_consequence": _reopen_consequence(log) if "reopen" in steps else "",
            "upload_form": UploadForm(),
            "editable": editable,
            "is_procurement": request.user.has_role(User.Role.PROCUREMENT),
            "history": worklog_history(log) if log else [],
        },
    )


def _reopen_consequence(log) -> str:
    """What reopening does, said before it is done (the button's confirmation)."""
    text = _(
        "Reopening sends the log back to the vendor as returned, with your reason: the vendor "
        "may change the days and submit again, and the log must be approved again."
    )
    # Only the month's sheet rests on its log (an adjustment rests on that sheet).
    sheet = log.sheets.first()
    if sheet is None:
        return text + _(" The month has no settlement sheet yet.")
    return text + _(
        " The month's draft settlement sheet (payable %(payable)s) cannot be confirmed until "
        "then; it is computed again from the new days when the vendor confirms it."
    ) % {"payable": money_with_sign(sheet.payable_incl_tax)}


@login_required
def worklog_template(request, pk, month):
    order, kind = _order_kind(request, pk)
    month = month_from_url(month)
    log = WorkLog.objects.filter(order=order, month=month).first()
    try:
        content, name = kind.workbook(order, month, log)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")
    return attachment(content, name, XLSX)


@login_required
@require_POST
def worklog_upload(request, pk, month):
    order, _kind = _order_kind(request, pk)
    month = month_from_url(month)
    require_role(request, User.Role.VENDOR_PM)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a workbook to upload."))
        return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")
    try:
        _log, count = services.worklog_import(
            order=order, month=month, upload=form.cleaned_data["file"]
        )
    except DomainError as error:
        return render(
            request,
            "worklogs/upload_report.html",
            {"order": order, "month": month, "error": error},
            status=400,
        )
    messages.success(request, _("%(count)s lines imported.") % {"count": count})
    return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")


def _step(request, pk, name, perform, done):
    """A step of the log's flow taken from its page, back to the month."""
    log = get_object_or_404(worklog_list(user=request.user), pk=pk)
    take_step(request, WorkLog.flow[name], lambda: perform(log), done)
    return redirect("worklog-month", pk=log.order_id, month=f"{log.month:%Y-%m}")


@login_required
@require_POST
def worklog_approve(request, pk):
    return _step(
        request,
        pk,
        "approve",
        lambda log: services.worklog_approve(log=log, actor=request.user),
        _("The log was approved."),
    )


@login_required
@require_POST
def worklog_return(request, pk):
    return _step(
        request,
        pk,
        "return",
        lambda log: services.worklog_return(log=log, reason=request.POST.get("reason", "")),
        _("The log was returned to the vendor."),
    )


@login_required
@require_POST
def worklog_reopen(request, pk):
    return _step(
        request,
        pk,
        "reopen",
        lambda log: services.worklog_reopen(log=log, reason=request.POST.get("reason", "")),
        _("The log was reopened."),
    )


@login_required
def order_months(request, pk):
    """The months of an order's service period with the state of each month's log."""
    order, kind = _order_kind(request, pk)
    logs = {log.month: log for log in order.worklogs.prefetch_related("lines", "deliveries")}
    months = [
        (month, logs.get(month)) for month in months_between(order.service_start, order.service_end)
    ]
    return render(
        request,
        "worklogs/order_months.html",
        {"order": order, "months": months, "kind": kind},
    )
