import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, visible
from kpi.models import KpiReport
from orders.models import Order


class KpiReportFilter(PortalFilterSet):
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    contract = django_filters.ModelChoiceFilter(
        field_name="order__contract", queryset=visible(FrameworkContract), label=_("Contract")
    )
    month = MonthFilter(field_name="month", label=_("Month"))

    class Meta:
        model = KpiReport
        fields = ["order", "contract", "month", "status"]
