from operator import attrgetter

import django_filters
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import PortalFilterSet, visible
from core.lists import DATE, NUMBER, Column, Table
from staffing.models import StaffMember

ROSTER = Table(
    Column("name", _("Name"), attrgetter("name"), order="name"),
    Column("role", _("Role"), attrgetter("role"), order="role"),
    Column("level", _("Level"), attrgetter("level"), order="level"),
    Column("id_number", _("ID number"), attrgetter("id_number_masked")),
    Column("phone", _("Phone"), attrgetter("phone_masked")),
    Column("education", _("Education"), StaffMember.get_education_display),
    Column("years", _("Years"), attrgetter("years_experience"), NUMBER, "years_experience"),
    Column("period", _("Period"), order="start_date"),
    Column("start", _("Start date"), attrgetter("start_date"), DATE, page=False),
    Column("end", _("End date"), attrgetter("end_date"), DATE, page=False),
    Column("status", _("Status"), StaffMember.get_status_display, order="status"),
    title=_("Staff roster"),
)


class StaffFilter(PortalFilterSet):
    """One filter for the roster page, its export and the API list."""

    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    ordering = ROSTER.ordering_filter()

    class Meta:
        model = StaffMember
        fields = ["contract", "status", "role", "level", "q"]
