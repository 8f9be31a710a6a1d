import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, visible
from kpi.models import KpiReport, LiveSession, QuarterReview
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


class QuarterReviewFilter(PortalFilterSet):
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))

    class Meta:
        model = QuarterReview
        fields = ["order", "quarter"]


class LiveSessionFilter(PortalFilterSet):
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    month = MonthFilter(method="in_month", label=_("Month"))

    class Meta:
        model = LiveSession
        fields = ["order", "month", "platform"]

    def in_month(self, queryset, name, value):
        return queryset.filter(date__year=value.year, date__month=value.month)
