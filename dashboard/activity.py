"""Who did what to which contract, order, log, score or sheet: the django-simple-history rows
of those five models, merged newest first, limited to the objects the user may see.

How it scales: a page is read by keyset, not by offset. Each kind's history is asked for at
most PAGE_SIZE + 1 rows older than the last row shown (the cursor: its time, its kind's rank,
its history id, a total order), through the `history_date` index, restricted to the user's
visible objects by a subquery; the five answers are merged in Python and the page cut. So
every page, the first or the thousandth, costs five bounded queries (plus the form's person
list), whatever the size of the history.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.filters import typed
from core.history import ACTIONS
from core.models import User
from core.views import require_role
from orders.models import Order
from settlement.models import SettlementSheet
from worklogs.models import WorkLog

PAGE_SIZE = 30
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _month(row) -> str:
    return f"{row.month:%Y-%m}"


def _assessment_url(row) -> str:
    if row.period_months != 1:  # a KPI period of 004: its scores are on the order's KPI page
        return reverse("kpi-order", args=[row.order_id])
    return reverse("assessment-month", args=[row.order_id, _month(row)])


@dataclass(frozen=True)
class Kind:
    """One model whose history the page shows: where a typed name or number is looked for, and
    where a row links to. A row is named by its model's own label (the history row has the
    model's fields)."""

    code: str
    label: str
    model: type
    search: tuple
    url: Callable
    related: tuple = ()

    def name(self, row) -> str:
        return self.model.__str__(row)


# Their order here is their rank in the cursor.
KINDS = [
    Kind(
        "contract",
        _("Contract"),
        FrameworkContract,
        ("code", "name"),
        lambda row: reverse("contract-detail", args=[row.id]),
    ),
    Kind(
        "order",
        _("Order"),
        Order,
        ("number", "name"),
        lambda row: reverse("order-detail", args=[row.id]),
    ),
    Kind(
        "worklog",
        _("Work log"),
        WorkLog,
        ("order__number",),
        lambda row: reverse("worklog-month", args=[row.order_id, _month(row)]),
        ("order",),
    ),
    Kind(
        "assessment", _("Assessment"), Assessment, ("order__number",), _assessment_url, ("order",)
    ),
    Kind(
        "sheet",
        _("Settlement sheet"),
        SettlementSheet,
        ("order__number",),
        lambda row: reverse("sheet-detail", args=[row.id]),
        ("order",),
    ),
]


@dataclass
class Entry:
    at: datetime
    user: str
    action: str
    kind: str
    name: str
    url: str
    status: str
    cursor: str


def _people(user):
    """Whom the user may filter by: the people of their buyer and of the vendors it contracts
    with (the administrator: everyone)."""
    if user.sees_everything:
        return User.objects.order_by("username")
    vendors = FrameworkContract.objects.visible_to(user).values("vendor_id")
    return User.objects.filter(
        Q(organization_id=user.organization_id) | Q(organization_id__in=vendors)
    ).order_by("organization__name", "username")


class ActivityForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    kind = forms.ChoiceField(label=_("Object"), required=False)
    q = forms.CharField(label=_("Name or number"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(user)
        self.fields["kind"].choices = [("", _("Every kind")), *((k.code, k.label) for k in KINDS)]


def _after(cursor: str):
    """The cursor `<microseconds since the epoch>-<rank>-<history id>`; anything else is the
    first page."""
    try:
        micros, rank, history_id = (int(part) for part in cursor.split("-"))
        at = EPOCH + timedelta(microseconds=micros)
    except (ValueError, OverflowError):
        return None
    return at, rank, history_id


def _cursor(at: datetime, rank: int, history_id: int) -> str:
    return f"{(at - EPOCH) // timedelta(microseconds=1)}-{rank}-{history_id}"


def _older_than(after, rank: int) -> Q:
    """The rows after the cursor in the order (time, rank, history id), all descending."""
    at, after_rank, history_id = after
    if rank < after_rank:
        return Q(history_date__lte=at)
    if rank == after_rank:
        return Q(history_date__lt=at) | Q(history_date=at, history_id__lt=history_id)
    return Q(history_date__lt=at)


def activity(
    *, user, since=None, until=None, person=None, kind="", q="", after=None
) -> tuple[list[Entry], str]:
    """A page of the history of what `user` may see, newest first, and the cursor of the next
    page ("" on the last)."""
    rows = []
    for rank, each in enumerate(KINDS):
        if kind and each.code != kind:
            continue
        history = each.model.history.model.objects.filter(
            id__in=each.model.objects.visible_to(user).values("pk")
        )
        if since:
            history = history.filter(
                history_date__gte=timezone.make_aware(datetime.combine(since, time.min))
            )
        if until:
            history = history.filter(
                history_date__lt=timezone.make_aware(
                    datetime.combine(until + timedelta(days=1), time.min)
                )
            )
        if person:
            history = history.filter(history_user=person)
        if q:
            history = history.filter(typed(q, *each.search))
        if after:
            history = history.filter(_older_than(after, rank))
        history = history.select_related("history_user", *each.related).order_by(
            "-history_date", "-history_id"
        )
        rows += [
            (row.history_date, rank, row.history_id, each, row) for row in history[: PAGE_SIZE + 1]
        ]
    rows.sort(key=lambda item: item[:3], reverse=True)
    page = rows[:PAGE_SIZE]
    entries = [
        Entry(
            at=at,
            user=str(row.history_user) if row.history_user else str(_("system")),
            action=str(ACTIONS.get(row.history_type, row.history_type)),
            kind=str(each.label),
            name=each.name(row),
            url=each.url(row),
            status=row.get_status_display(),
            cursor=_cursor(at, rank, history_id),
        )
        for at, rank, history_id, each, row in page
    ]
    more = len(rows) > PAGE_SIZE
    return entries, entries[-1].cursor if more and entries else ""


@login_required
def activity_page(request):
    """动态: who did what, for procurement, finance and the administrator."""
    require_role(request, User.Role.PROCUREMENT, User.Role.FINANCE)
    form = ActivityForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    after = _after(request.GET.get("after", ""))
    entries, next_cursor = activity(user=request.user, after=after, **filters)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "dashboard/activity.html",
        {
            "form": form,
            "entries": entries,
            "next": next_cursor,
            "query": query.urlencode(),
            "first_page": after is None,
        },
        status=400 if form.errors else 200,
    )
