import django_filters
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, visible
from orders.models import Order


class AssessmentFilter(PortalFilterSet):
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    contract = django_filters.ModelChoiceFilter(
        field_name="order__contract", queryset=visible(FrameworkContract), label=_("Contract")
    )
    month = MonthFilter(field_name="month", label=_("Month"))

    class Meta:
        model = Assessment
        fields = ["order", "contract", "month", "status", "template"]
