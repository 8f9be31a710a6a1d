import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, visible
from orders.models import Order
from settlement.models import SettlementSheet


class SheetFilter(PortalFilterSet):
    """One filter for the settlement pages, the API list and the ledger export."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    month = MonthFilter(field_name="month", label=_("Month"))

    class Meta:
        model = SettlementSheet
        fields = ["contract", "order", "month", "status", "capped"]
