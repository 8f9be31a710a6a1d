"""What every app's staff pages share."""

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.auth import token_create, token_revoke, user_tokens
from core.bank_accounts import (
    bank_account_change_confirm,
    bank_account_change_reject,
    bank_account_change_submit,
    bank_account_change_withdraw,
)
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
from core.forms import BankAccountChangeForm, CalendarImportForm, CalendarNoticeForm
from core.health import readiness
from core.http import XLSX, attachment
from core.models import BankAccountChange, CalendarYear, User
from core.numbers import NumberError, parse_for, parse_whole
from core.states import Step

# The most rows a page's form posts (incidents, a template's indicators): its script adds them
# one at a time, so more is a made-up request that would make the server loop as long as asked.
MAX_FORM_ROWS = 500


def require_role(request, *roles) -> None:
    """A page the user may see but not act on answers 403 (another vendor's is 404 before)."""
    if not request.user.has_role(*roles):
        raise PermissionDenied


def take_step(request, step: Step, perform: Callable[[], object], done: str) -> None:
    """A page's button for a step of an object's flow: the user must hold the step's role
    (403 otherwise); `perform` calls the service, whose refusal becomes the page's error message
    and whose success says `done`."""
    require_role(request, *step.roles)
    try:
        perform()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


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


def typed_number(data, name: str, field, where: str | None = None):
    """The number typed in a form's `name`, as many digits as the model field holds; else a
    DomainError for the form, prefixed with `where` it was typed (a row) if given."""
    try:
        return parse_for(field, data.get(name, ""))
    except NumberError as error:
        message = str(error)
        if where is not None:
            message = _("%(where)s: %(message)s") % {"where": where, "message": message}
        raise DomainError(message, field=name) from error


def posted_rows(data, name: str = "rows", *, most: int = MAX_FORM_ROWS) -> int:
    """How many rows a form says it posts (its hidden count, which the page's script keeps):
    a whole number up to `most`, else a DomainError for the form, never a loop as long as the
    client asks."""
    try:
        count = parse_whole(data.get(name), max_digits=9) or 0
    except NumberError as error:
        raise DomainError(str(error), field=name) from error
    if not 0 <= count <= most:
        raise DomainError(
            _("The form sends %(count)s rows; it takes %(most)s at most.")
            % {"count": count, "most": most},
            field=name,
        )
    return count


def filtered(filterset) -> tuple:
    """(rows, problems) of a list page's filter. A value the filter refuses (a month that is no
    month, a contract the user does not see) keeps no row and is named, as the API answers
    400: django-filter's `.qs` skips such a filter and keeps every row. A page shows the
    problems (templates/core/filter_problems.html) with status 400; a download sends no file."""
    if not filterset.errors:  # an unbound filter (no query) has none either
        return filterset.qs, []
    form = filterset.form
    return filterset.queryset.none(), [
        _("%(where)s: %(message)s") % {"where": form[name].label, "message": error}
        if name in form.fields
        else error
        for name, errors in form.errors.items()
        for error in errors
    ]


def page_of(request, queryset, size: int) -> Page:
    """The list page asked for; `?page_size=` (1 to 100) overrides the list's own size, as in
    the API (what is no page size leaves the list's own)."""
    try:
        asked = parse_whole(request.GET.get("page_size"), max_digits=9)
    except NumberError:
        asked = None
    if asked is not None:
        size = min(max(asked, 1), 100)
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def health(request):
    """For load balancers and `make bench`'s floor: the server answers, touching nothing."""
    return HttpResponse("ok", content_type="text/plain")


@transaction.non_atomic_requests  # a request's transaction would need the database first
def ready(request):
    """For orchestrators and operators: 200 when every part can work, else 503; each part
    named with what was found (core.health)."""
    checks = readiness()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


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


@login_required
def api_tokens(request):
    """The user's API tokens: make one (its text shown once), see when each expires, revoke."""
    token_text = None
    if request.method == "POST":
        if "revoke" in request.POST:
            if not token_revoke(request.user, request.POST["revoke"]):
                raise Http404
            messages.success(request, _("The token is revoked: it no longer opens the API."))
            return redirect("api-tokens")
        _token, token_text = token_create(request.user)
    return render(
        request,
        "core/api_tokens.html",
        {
            "tokens": user_tokens(request.user),
            "token_text": token_text,
            "ttl_days": settings.REST_KNOX["TOKEN_TTL"].days,
        },
    )


def server_error(request):
    """500: nothing of the error, only the request's id to quote (its log line has the rest)."""
    page = loader.get_template("500.html").render({"request_id": getattr(request, "id", "")})
    return HttpResponseServerError(page)


def _back(request) -> str:
    """The page a form was posted from (`next`), if it is one of the portal's."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
@require_POST
def bank_account_change_request(request):
    """The vendor's PM gives notice of a new payee account (clause 4.6.3)."""
    form = BankAccountChangeForm(request.POST)
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            label = form.fields[field].label if field in form.fields else ""
            raise DomainError(f"{label}: {errors[0]}" if label else errors[0])
        change = bank_account_change_submit(actor=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The new account is requested: it takes effect on %(day)s at the earliest, once "
                "every buyer that still pays the vendor has confirmed it."
            )
            % {"day": change.effective_on},
        )
    return redirect(_back(request))


BANK_ACCOUNT_ACTIONS = {
    "confirm": (
        lambda request, change: bank_account_change_confirm(change=change, actor=request.user),
        gettext_lazy("The new account is confirmed."),
    ),
    "reject": (
        lambda request, change: bank_account_change_reject(
            change=change, actor=request.user, reason=request.POST.get("reason", "")
        ),
        gettext_lazy("The new account is rejected."),
    ),
    "withdraw": (
        lambda request, change: bank_account_change_withdraw(change=change, actor=request.user),
        gettext_lazy("The request is withdrawn."),
    ),
}


@login_required
@require_POST
def bank_account_change_action(request, pk, action):
    """Confirm or reject (a buyer's procurement), withdraw (the vendor) a pending change."""
    if action not in BANK_ACCOUNT_ACTIONS:
        raise Http404
    change = get_object_or_404(BankAccountChange.objects.visible_to(request.user), pk=pk)
    act, done = BANK_ACCOUNT_ACTIONS[action]
    take_step(request, BankAccountChange.flow[action], lambda: act(request, change), done)
    return redirect(_back(request))
