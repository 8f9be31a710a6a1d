"""What every app's staff pages share."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import (
    LOG_DUE_WORKDAY,
    Year,
    calendar_publish,
    calendar_year,
    holidays_of,
    outside_range,
    workdays_of,
)
from core.calendar_files import notice_workbook, read_notice
from core.dates import add_months
from core.errors import DomainError
from core.forms import CalendarImportForm, CalendarNoticeForm
from core.http import XLSX, attachment
from core.models import CalendarYear, User


def require_role(request, *roles) -> None:
    """A page the user may see but not act on answers 403 (another vendor's is 404 before)."""
    if not request.user.has_role(*roles):
        raise PermissionDenied


def month_from_url(text: str) -> date:
    """The `YYYY-MM` of a URL as the month's first day; anything else is not a page."""
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise Http404 from error


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from start's to end's, both included."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def page_of(request, queryset, size: int) -> Page:
    """The list page asked for; `?page_size=` (1 to 100) overrides the list's own size, as in
    the API."""
    asked = request.GET.get("page_size", "")
    if asked.isdigit():
        size = min(max(int(asked), 1), 100)
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def health(request):
    """For load balancers and `make bench`'s floor: the server answers, touching nothing."""
    return HttpResponse("ok", content_type="text/plain")


def _calendar_row(year: int):
    if outside_range(year):
        raise Http404
    return calendar_year(year)


@login_required
def calendar_list(request):
    """The years around today, and every year published: which are official, which 暂定."""
    this_year = timezone.localdate().year
    numbers = set(range(this_year - 2, this_year + 2)) | set(
        CalendarYear.objects.filter(
            status=CalendarYear.Status.OFFICIAL, year__gte=this_year - 5
        ).values_list("year", flat=True)
    )
    years = [
        (row, Year.of(row)) for row in (calendar_year(n) for n in sorted(numbers, reverse=True))
    ]
    rows = [
        {"row": row, "working_days": sum(year.month_count(m) for m in range(1, 13))}
        for row, year in years
    ]
    return render(request, "core/calendar_list.html", {"rows": rows, "this_year": this_year})


@login_required
def calendar_detail(request, year):
    """A year's months, days off and make-up days; procurement publishes its notice here."""
    row = _calendar_row(year)
    may_publish = request.user.has_role(User.Role.PROCUREMENT) and not request.user.is_vendor
    form = CalendarNoticeForm(instance=row)
    if request.method == "POST":
        require_role(request, User.Role.PROCUREMENT)
        form = CalendarNoticeForm(request.POST, instance=row)
        if form.is_valid():
            try:
                publication = form.publish(request.user)
            except DomainError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                _published(request, publication)
                return redirect("calendar-detail", year=year)
    return render(
        request, "core/calendar_year.html", _year_context(request, row, form, may_publish)
    )


@login_required
def calendar_import(request, year):
    """The same notice as a small .xlsx or .csv file, all or nothing."""
    row = _calendar_row(year)
    require_role(request, User.Role.PROCUREMENT)
    form = CalendarImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            holidays, workdays = read_notice(form.cleaned_data["file"])
            publication = calendar_publish(
                number=row.year,
                holidays=holidays,
                workdays=workdays,
                notice_number=form.cleaned_data["notice_number"],
                notice_date=form.cleaned_data["notice_date"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            _published(request, publication)
            return redirect("calendar-detail", year=year)
    context = _year_context(request, row, CalendarNoticeForm(instance=row), True)
    return render(request, "core/calendar_year.html", {**context, "import_form": form})


@login_required
def calendar_export(request, year):
    row = _calendar_row(year)
    return attachment(notice_workbook(row), f"工作日历-{row.year}.xlsx", XLSX)


def _published(request, publication):
    messages.success(
        request,
        _(
            "The %(year)s calendar is published: %(months)s months count differently, "
            "%(findings)s items to check."
        )
        % {
            "year": publication.year.year,
            "months": len(publication.changes),
            "findings": len(publication.findings),
        },
    )


def _year_context(request, row, form, may_publish):
    year = Year.of(row)
    months = [
        {
            "month": m,
            "working_days": year.month_count(m),
            "log_due": year.nth_workday(m, LOG_DUE_WORKDAY),
        }
        for m in range(1, 13)
    ]
    findings = row.findings.all()
    if not request.user.sees_everything:
        findings = (
            findings.filter(buyer_id=request.user.organization_id)
            if may_publish
            else findings.none()
        )
    return {
        "calendar": row,
        "months": months,
        "holidays": holidays_of(row),
        "workdays": workdays_of(row),
        "form": form,
        "import_form": CalendarImportForm(),
        "may_publish": may_publish,
        "findings": findings,
        "history": row.history.select_related("history_user").order_by("-history_date")[:20],
    }
