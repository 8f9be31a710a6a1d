from operator import attrgetter

import django_filters
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment, AssessmentTemplate
from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, visible
from core.lists import NUMBER, Column, Table
from orders.models import Order

TEMPLATES = Table(
    Column("name", _("Name"), attrgetter("name"), order="name"),
    Column("version", _("Version"), attrgetter("version"), NUMBER, order="version"),
    Column("total", _("Total"), attrgetter("total"), NUMBER, order="total"),
    Column("period", _("Period (months)"), attrgetter("period_months"), NUMBER, "period_months"),
    Column("status", _("Status"), AssessmentTemplate.get_status_display, order="status"),
    Column("contracts", _("Contracts"), attrgetter("used_by"), NUMBER, order="used_by"),
    title=_("Assessment templates"),
)


class AssessmentFilter(PortalFilterSet):
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    contract = django_filters.ModelChoiceFilter(
        field_name="order__contract", queryset=visible(FrameworkContract), label=_("Contract")
    )
    month = MonthFilter(field_name="month", label=_("Month"))

    class Meta:
        model = Assessment
        fields = ["order", "contract", "month", "status", "template"]


class TemplateFilter(PortalFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    ordering = TEMPLATES.ordering_filter()

    class Meta:
        model = AssessmentTemplate
        fields = ["q", "status"]
