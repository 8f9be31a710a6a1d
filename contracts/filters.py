from operator import attrgetter

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from contracts.models import Amendment, FrameworkContract, RateCardLine, TaxRate
from core.filters import PortalFilterSet, typed, visible
from core.lists import DATE, MONEY, Column, Table
from core.models import Organization

CONTRACTS = Table(
    Column("code", _("Code"), attrgetter("code"), order="code"),
    Column("name", _("Name"), attrgetter("name"), order="name"),
    Column("vendor", _("Vendor"), attrgetter("vendor.name"), order="vendor__name"),
    Column("term", _("Term"), order="start_date"),
    Column("start", _("Start date"), attrgetter("start_date"), DATE, page=False),
    Column("end", _("End date"), attrgetter("end_date"), DATE, page=False),
    Column(
        "ceiling",
        _("Ceiling incl. tax"),
        attrgetter("ceiling_incl_tax"),
        MONEY,
        order="ceiling_incl_tax",
    ),
    Column(
        "free",
        _("Free"),
        attrgetter("free_amount"),
        MONEY,
        order=F("ceiling_incl_tax") - F("settled_total") - F("committed_total"),
    ),
    Column("status", _("Status"), FrameworkContract.get_status_display, order="status"),
    title=_("Framework contracts"),
)


class ContractFilter(PortalFilterSet):
    """One filter for the staff list page, its export and the API list."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    buyer = django_filters.ModelChoiceFilter(
        queryset=visible(Organization, kind=Organization.Kind.BUYER), label=_("Buyer")
    )
    vendor = django_filters.ModelChoiceFilter(
        queryset=visible(Organization, kind=Organization.Kind.VENDOR), label=_("Vendor")
    )
    ordering = CONTRACTS.ordering_filter()

    class Meta:
        model = FrameworkContract
        fields = ["q", "status", "settlement_mode", "buyer", "vendor"]

    def search(self, queryset, name, value):
        """What people type: the contract's code or name, or its vendor's name."""
        return queryset.filter(typed(value, "code", "name", "vendor__name"))


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


class AmendmentFilter(PortalFilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=visible(FrameworkContract))

    class Meta:
        model = Amendment
        fields = ["contract", "status"]
