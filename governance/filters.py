import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import ALL, PortalFilterSet, visible
from governance.models import Rectification
from governance.selectors import overdue
from orders.models import Order


class RectificationFilter(PortalFilterSet):
    """One filter for the list page and the API's list."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        widget=forms.Select(choices=[("", ALL), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Rectification
        fields = ["status", "contract", "order", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = overdue(queryset, today=timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))
