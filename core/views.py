"""What every app's staff pages share."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse

from core.dates import add_months


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
