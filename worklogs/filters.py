from operator import attrgetter

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, typed, visible
from core.lists import DATE, NUMBER, Column, Table
from orders.models import Order
from worklogs.kinds import log_kind
from worklogs.models import WorkLog, WorkLogLine


def _quantity(log):
    return log_kind(log.order.contract).total(log)


def _unit(log):
    return log_kind(log.order.contract).unit


WORKLOGS = Table(
    Column("order", _("Order"), attrgetter("order.number"), order="order__number"),
    Column("order_name", _("Order name"), attrgetter("order.name"), page=False),
    Column(
        "vendor",
        _("Vendor"),
        attrgetter("order.contract.vendor.name"),
        order="order__contract__vendor__name",
    ),
    Column("month", _("Month"), attrgetter("month"), DATE, order="month"),
    Column("quantity", _("Quantity"), _quantity, NUMBER),
    Column("unit", _("Unit"), _unit, page=False),
    Column("status", _("Status"), WorkLog.get_status_display, order="status"),
    Column("submitted", _("Submitted at"), attrgetter("submitted_at"), DATE, "submitted_at"),
    title=_("Work logs"),
)


class WorkLogFilter(PortalFilterSet):
    """One filter for the log pages, their export and the API list."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    contract = django_filters.ModelChoiceFilter(
        field_name="order__contract", queryset=visible(FrameworkContract), label=_("Contract")
    )
    month = MonthFilter(field_name="month", label=_("Month"))
    ordering = WORKLOGS.ordering_filter()

    class Meta:
        model = WorkLog
        fields = ["q", "order", "contract", "month", "status"]

    def search(self, queryset, name, value):
        """What people type: the order's number or name, the contract, the vendor, a person."""
        people = WorkLogLine.objects.filter(staff__name__icontains=value).values("log")
        return queryset.filter(
            typed(
                value,
                "order__number",
                "order__name",
                "order__contract__code",
                "order__contract__vendor__name",
            )
            | Q(pk__in=people)
        )
