"""The month's live sessions page (004 直播): the list, its figures and short weeks, and the
vendor's PM's form, Excel download and upload."""

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.http import XLSX, attachment
from core.models import User
from core.numbers import NumberError, parse_whole
from core.views import month_from_url, require_role
from kpi import sessions
from kpi.models import SESSIONS_A_WEEK, KpiReport, LiveSession, Platform
from kpi.services import month_sessions
from kpi.session_workbook import read_sessions, sessions_workbook
from kpi.views import _order


def _back(order, month):
    return redirect("kpi-sessions", pk=order.pk, month=f"{month:%Y-%m}")


def _posted(post) -> tuple[dict, list[str]]:
    """The form's values typed; what cannot be read is named and left for no service call."""
    data = {"platform": post.get("platform", ""), "link": post.get("link", "").strip()}
    problems = []
    readers = {
        "date": lambda text: date.fromisoformat(text) if text else None,
        "start": lambda text: time.fromisoformat(text) if text else None,
        "minutes": lambda text: parse_whole(text, max_digits=4),
        "viewers": lambda text: parse_whole(text, max_digits=10),
    }
    for name, read in readers.items():
        try:
            data[name] = read(post.get(name, "").strip())
        except (ValueError, NumberError):
            problems.append(
                _("%(where)s: %(message)s")
                % {
                    "where": LiveSession._meta.get_field(name).verbose_name,
                    "message": _("“%(value)s” cannot be read") % {"value": post.get(name)},
                }
            )
    return data, problems


@login_required
def kpi_sessions(request, pk, month):
    """The month's sessions, which count (2 hours) and qualify (800 viewers), the figures of
    each platform, and the weeks below 3 sessions as a note for procurement; the vendor's PM
    adds, changes and deletes them here."""
    order = _order(request, pk)
    month = month_from_url(month)
    if request.method != "POST":
        return _page(request, order, month, edit=request.GET.get("edit"))
    require_role(request, User.Role.VENDOR_PM)
    editing = request.POST.get("session")
    # A session edited that is not the month's (deleted meanwhile, or another's) is not found:
    # saving it as a new one would make a duplicate.
    session = get_object_or_404(month_sessions(order, month), pk=editing) if editing else None
    data, problems = _posted(request.POST)
    if not problems:
        try:
            sessions.live_session_save(order=order, data=data, session=session)
        except DomainError as error:
            problems = error.messages
        else:
            messages.success(request, _("The live session was saved."))
            return _back(order, month)
    return _page(request, order, month, edit=editing, values=request.POST, problems=problems)


def _page(request, order, month, *, edit=None, values=None, problems=()):
    report = KpiReport.objects.filter(order=order, month=month).first()
    listed = list(month_sessions(order, month))
    editing = next((s for s in listed if str(s.pk) == edit), None)
    if values is None and editing is not None:
        values = {name: getattr(editing, name) for name in sessions.FIELDS}
        values["date"] = f"{editing.date:%Y-%m-%d}"
        values["start"] = editing.start.strftime("%H:%M") if editing.start else ""
    return render(
        request,
        "kpi/kpi_sessions.html",
        {
            "order": order,
            "month": month,
            "report": report,
            "sessions": listed,
            "figures": sessions.platform_figures(listed),
            "short_weeks": sessions.short_weeks(order, month),
            "a_week": SESSIONS_A_WEEK,
            "editable": request.user.has_role(User.Role.VENDOR_PM)
            and (report is None or report.status in KpiReport.EDITABLE),
            "editing": editing,
            "values": values or {},
            "platforms": Platform.choices,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def kpi_session_delete(request, pk, session):
    order = _order(request, pk)
    require_role(request, User.Role.VENDOR_PM)
    session = get_object_or_404(LiveSession, order=order, pk=session)
    try:
        sessions.live_session_delete(session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The live session was deleted."))
    return _back(order, session.date.replace(day=1))


@login_required
def kpi_sessions_export(request, pk, month):
    order = _order(request, pk)
    month = month_from_url(month)
    return attachment(
        sessions_workbook(order, month, month_sessions(order, month)),
        f"直播记录-{order.number}-{month:%Y-%m}.xlsx",
        XLSX,
    )


@login_required
@require_POST
def kpi_sessions_import(request, pk, month):
    """The month's sessions replaced by an uploaded workbook, all or nothing."""
    order = _order(request, pk)
    month = month_from_url(month)
    require_role(request, User.Role.VENDOR_PM)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a workbook to upload."))
        return _back(order, month)
    try:
        count = sessions.live_sessions_replace(order=order, month=month, rows=read_sessions(upload))
    except DomainError as error:
        return _page(request, order, month, problems=error.messages)
    messages.success(request, _("%(count)s live sessions imported.") % {"count": count})
    return _back(order, month)
