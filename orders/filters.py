import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import PortalFilterSet, visible
from orders.models import Order


class OrderFilter(PortalFilterSet):
    """One filter for the order list page and the API list."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    active_on = django_filters.DateFilter(method="in_service_on", label=_("In service on"))

    class Meta:
        model = Order
        fields = ["contract", "status", "q", "active_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value))

    def in_service_on(self, queryset, name, value):
        return queryset.filter(service_start__lte=value, service_end__gte=value)
