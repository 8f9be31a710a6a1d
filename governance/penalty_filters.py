import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import PortalFilterSet, visible
from governance.models import Penalty
from orders.models import Order


class PenaltyFilter(PortalFilterSet):
    """One filter for the penalty list page and the API list."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))

    class Meta:
        model = Penalty
        fields = ["contract", "order", "kind", "clause", "status"]
