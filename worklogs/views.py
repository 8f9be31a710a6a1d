from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.calendar import any_provisional, working_days, year_of
from core.errors import DomainError
from core.http import XLSX, attachment
from core.lists import list_response
from core.models import User
from core.numbers import parse_whole
from core.templatetags.money import money_with_sign
from core.views import month_from_url, months_between, require_role
from orders.selectors import order_detail_queryset
from worklogs import services
from worklogs.filters import WORKLOGS, WorkLogFilter
from worklogs.forms import UploadForm
from worklogs.models import WorkLog
from worklogs.selectors import (
    staff_active_in,
    worklog_history,
    worklog_list,
)
from worklogs.services import Cap, DeliveryInput, LineInput, person_cap
from worklogs.workbook import month_workbook, save_upload


@login_required
def worklog_index(request):
    """The logs the user may see; procurement's approval queue is `?status=submitted`."""
    filterset = WorkLogFilter(
        request.GET, queryset=worklog_list(user=request.user), request=request
    )
    return list_response(request, WORKLOGS, filterset, "worklogs/worklog_list.html", size=25)


@login_required
def worklog_month(request, pk, month):
    """The grid of an order's month: a row per active staff member, days in the last column."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    month = month_from_url(month)
    log = WorkLog.objects.filter(order=order, month=month).first()
    problems = []
    per_item = order.contract.is_per_item
    staff = [] if per_item else list(staff_active_in(order, month))
    if request.method == "POST":
        require_role(request, User.Role.VENDOR_PM)
        if per_item:
            lines, problems = _delivery_lines(request.POST)
        else:
            lines = _grid_lines(request.POST, staff)
        if not problems:
            try:
                with transaction.atomic():
                    saved = log or services.worklog_open(order=order, month=month)
                    if per_item:
                        services.worklog_save_deliveries(log=saved, deliveries=lines)
                    else:
                        services.worklog_save(log=saved, lines=lines)
                    if "submit" in request.POST:
                        services.worklog_submit(log=saved)
            except DomainError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    _("The log was submitted.")
                    if "submit" in request.POST
                    else _("The log was saved."),
                )
                return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")
    workdays = None if per_item else working_days(month)
    rows = _grid_rows(request.POST, order, month, log, staff, problems)
    is_vendor = request.user.has_role(User.Role.VENDOR_PM)
    editable = is_vendor and (log is None or log.status in WorkLog.EDITABLE)
    is_procurement = request.user.has_role(User.Role.PROCUREMENT)
    return render(
        request,
        "worklogs/worklog_month.html",
        {
            "order": order,
            "month": month,
            "log": log,
            "per_item": per_item,
            "provisional": any_provisional([month]),
            "rows": rows,
            "deliveries": _delivery_rows(request, order, log, editable) if per_item else [],
            "workdays": workdays,
            "problems": problems,
            # Problems of a row are shown in it; these are the others.
            "other_problems": [
                p for p in problems if getattr(p, "staff_id", None) not in {m.pk for m in staff}
            ],
            "reopen_consequence": (
                _reopen_consequence(log)
                if is_procurement and log and log.status == WorkLog.Status.APPROVED
                else ""
            ),
            "upload_form": UploadForm(),
            "editable": editable,
            "is_procurement": is_procurement,
            "history": worklog_history(log) if log else [],
        },
    )


def _grid_lines(data, staff) -> list[LineInput]:
    """A line per row with days or a remark typed; what is no number is left to the service to
    name with every other problem."""
    lines = []
    for member in staff:
        days, remark = (data.get(f"{name}-{member.pk}", "").strip() for name in ("days", "remark"))
        if not (days or remark):
            continue
        line = LineInput(member.pk, None, member.name, remark=remark)
        line.read_days(days)
        lines.append(line)
    return lines


@dataclass
class GridRow:
    """A person's row on the month's page: what is typed (or saved), the most the person may
    work on the order that month when it is less than the month (`cap`), and its problems."""

    member: object
    days: object
    remark: str
    cap: Cap | None
    problems: list[str]


def _reopen_consequence(log) -> str:
    """What reopening does, said before it is done (the button's confirmation)."""
    text = _(
        "Reopening sends the log back to the vendor as returned, with your reason: the vendor "
        "may change the days and submit again, and the log must be approved again."
    )
    sheet = log.sheets.filter(adjusts__isnull=True).first()
    if sheet is None:
        return text + _(" The month has no settlement sheet yet.")
    return text + _(
        " The month's draft settlement sheet (payable %(payable)s) cannot be confirmed until "
        "then; it is computed again from the new days when the vendor confirms it."
    ) % {"payable": money_with_sign(sheet.payable_incl_tax)}


def _grid_rows(data, order, month, log, staff, problems) -> list[GridRow]:
    saved = {line.staff_id: line for line in log.lines.all()} if log else {}
    year = year_of(month.year)
    workdays = year.month_count(month.month)
    rows = []
    for member in staff:
        line = saved.get(member.pk)
        cap = person_cap(year, order, member, month)
        rows.append(
            GridRow(
                member,
                data.get(f"days-{member.pk}", line.days if line else ""),
                data.get(f"remark-{member.pk}", line.remark if line else ""),
                cap if cap.days < workdays else None,
                [p.message for p in problems if getattr(p, "staff_id", None) == member.pk],
            )
        )
    return rows


DELIVERY_FIELDS = ("item", "quantity", "tracking", "claims")
BLANK_DELIVERY_ROWS = 5
MAX_DELIVERY_ROWS = 2000  # four fields each: settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def _delivery_rows(request, order, log, editable) -> dict:
    """The delivery lines as the form shows them: what was posted, else what is saved, and
    blank rows to add more while the vendor may edit."""
    if request.method == "POST":
        rows = [
            [request.POST.get(f"{name}-{i}", "") for name in DELIVERY_FIELDS]
            for i in range(min(_posted_rows(request.POST), MAX_DELIVERY_ROWS))
        ]
    else:
        saved = log.deliveries.all() if log else []
        rows = [[ln.item, ln.quantity, ln.tracking_ref, ln.qa_claims] for ln in saved]
    if editable:
        rows += [["", "", "", ""]] * BLANK_DELIVERY_ROWS
    return {"rows": rows, "items": list(order.contract.item_prices())}


def _whole(text: str) -> int | None:
    """A form's whole number, or None (int() takes "²" and "١" too)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _posted_rows(data) -> int:
    return _whole(data.get("rows", "")) or 0


def _delivery_lines(data) -> tuple[list[DeliveryInput], list[str]]:
    if _posted_rows(data) > MAX_DELIVERY_ROWS:
        return [], [
            _("The page takes at most %(max)s lines a month; send more through the API.")
            % {"max": MAX_DELIVERY_ROWS}
        ]
    lines, problems = [], []
    for i in range(_posted_rows(data)):
        item, quantity, tracking, claims = (
            data.get(f"{n}-{i}", "").strip() for n in DELIVERY_FIELDS
        )
        if not (item or quantity or tracking or claims):
            continue
        where = _("Line %(n)s") % {"n": i + 1}
        numbers = []
        for value in (quantity, claims or "0"):
            try:
                numbers.append(parse_whole(value, max_digits=9))
            except ValueError as error:
                problems.append(_("%(where)s: %(message)s") % {"where": where, "message": error})
                numbers.append(None)
        lines.append(DeliveryInput(item, numbers[0], tracking, numbers[1], where))
    return lines, problems


@login_required
def worklog_template(request, pk, month):
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    month = month_from_url(month)
    log = WorkLog.objects.filter(order=order, month=month).first()
    try:
        content, name = month_workbook(order, month, log)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")
    return attachment(content, name, XLSX)


@login_required
@require_POST
def worklog_upload(request, pk, month):
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    month = month_from_url(month)
    require_role(request, User.Role.VENDOR_PM)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a workbook to upload."))
        return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")
    try:
        with transaction.atomic():
            log = services.worklog_open(order=order, month=month)
            count = save_upload(log, form.cleaned_data["file"])
    except DomainError as error:
        return render(
            request,
            "worklogs/upload_report.html",
            {"order": order, "month": month, "error": error},
            status=400,
        )
    messages.success(request, _("%(count)s lines imported.") % {"count": count})
    return redirect("worklog-month", pk=pk, month=f"{month:%Y-%m}")


def _act(request, pk, role, service, done, **extra):
    log = get_object_or_404(worklog_list(user=request.user), pk=pk)
    require_role(request, role)
    if "reason" in request.POST:
        extra["reason"] = request.POST["reason"]
    try:
        service(log=log, **extra)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("worklog-month", pk=log.order_id, month=f"{log.month:%Y-%m}")


@login_required
@require_POST
def worklog_approve(request, pk):
    return _act(
        request,
        pk,
        User.Role.PROCUREMENT,
        services.worklog_approve,
        _("The log was approved."),
        actor=request.user,
    )


@login_required
@require_POST
def worklog_return(request, pk):
    return _act(
        request,
        pk,
        User.Role.PROCUREMENT,
        services.worklog_return,
        _("The log was returned to the vendor."),
    )


@login_required
@require_POST
def worklog_reopen(request, pk):
    return _act(
        request, pk, User.Role.PROCUREMENT, services.worklog_reopen, _("The log was reopened.")
    )


@login_required
def order_months(request, pk):
    """The months of an order's service period with the state of each month's log."""
    order = get_object_or_404(order_detail_queryset(user=request.user), pk=pk)
    logs = {log.month: log for log in order.worklogs.prefetch_related("lines", "deliveries")}
    months = [
        (month, logs.get(month)) for month in months_between(order.service_start, order.service_end)
    ]
    per_item = order.contract.is_per_item
    return render(
        request,
        "worklogs/order_months.html",
        {"order": order, "months": months, "per_item": per_item},
    )
