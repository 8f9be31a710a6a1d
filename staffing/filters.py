import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import PortalFilterSet, visible
from staffing.models import StaffMember


class StaffFilter(PortalFilterSet):
    """One filter for the roster page and the API list."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = StaffMember
        fields = ["contract", "status", "role", "level", "q"]
