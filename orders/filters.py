from operator import attrgetter

import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, typed, visible
from core.lists import DATE, MONEY, Column, Table
from orders.models import Acceptance, Order, PaymentPlanItem, Termination

ORDERS = Table(
    Column("number", _("Order number"), attrgetter("number"), order="number"),
    Column("name", _("Name"), attrgetter("name"), order="name"),
    Column("contract", _("Contract"), attrgetter("contract.code"), order="contract__code"),
    Column("vendor", _("Vendor"), attrgetter("contract.vendor.name"), page=False),
    Column("period", _("Service period"), order="service_start"),
    Column("start", _("Service start"), attrgetter("service_start"), DATE, page=False),
    Column("end", _("Service end"), attrgetter("service_end"), DATE, page=False),
    Column("planned", _("Planned amount"), attrgetter("planned_amount"), MONEY, "planned_amount"),
    Column("settled", _("Settled"), attrgetter("settled_total"), MONEY, "settled_total"),
    Column("status", _("Status"), Order.get_status_display, order="status"),
    title=_("Commissioned orders"),
)


class OrderFilter(PortalFilterSet):
    """One filter for the order list page, its export and the API list."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    active_on = django_filters.DateFilter(method="in_service_on", label=_("In service on"))
    ordering = ORDERS.ordering_filter()

    class Meta:
        model = Order
        fields = ["contract", "status", "q", "active_on"]

    def search(self, queryset, name, value):
        """What people type: the order's number or name, its contract's code, its vendor."""
        return queryset.filter(
            typed(value, "number", "name", "contract__code", "contract__vendor__name")
        )

    def in_service_on(self, queryset, name, value):
        return queryset.filter(service_start__lte=value, service_end__gte=value)


def _milestones(request):
    """The milestones of the orders the user sees (another vendor's: "not a valid choice")."""
    if request is None or not request.user.is_authenticated:
        return PaymentPlanItem.objects.none()
    return PaymentPlanItem.objects.filter(order__in=Order.objects.visible_to(request.user))


class AcceptanceFilter(PortalFilterSet):
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    contract = django_filters.ModelChoiceFilter(
        field_name="order__contract", queryset=visible(FrameworkContract), label=_("Contract")
    )
    month = MonthFilter(field_name="month", label=_("Month"))
    payment_item = django_filters.ModelChoiceFilter(queryset=_milestones, label=_("Milestone"))

    class Meta:
        model = Acceptance
        fields = ["order", "contract", "month", "payment_item", "status"]


class TerminationFilter(PortalFilterSet):
    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))

    class Meta:
        model = Termination
        fields = ["contract", "order", "kind", "status"]
