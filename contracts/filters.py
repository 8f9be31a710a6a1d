import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract, RateCardLine, TaxRate
from core.filters import PortalFilterSet, visible
from core.models import Organization


class ContractFilter(PortalFilterSet):
    """One filter for the staff list page and the API list."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    buyer = django_filters.ModelChoiceFilter(queryset=visible(Organization), label=_("Buyer"))
    vendor = django_filters.ModelChoiceFilter(queryset=visible(Organization), label=_("Vendor"))

    class Meta:
        model = FrameworkContract
        fields = ["q", "status", "settlement_mode", "buyer", "vendor"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class TaxRateFilter(PortalFilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=visible(FrameworkContract))

    class Meta:
        model = TaxRate
        fields = ["contract"]


class RateCardLineFilter(PortalFilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=visible(FrameworkContract))

    class Meta:
        model = RateCardLine
        fields = ["contract", "level", "unit"]
