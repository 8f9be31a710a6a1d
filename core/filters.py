import operator
from functools import reduce

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from drf_spectacular.utils import extend_schema_field

from core.models import BankAccountChange, Organization, User
from core.rest import MONTH

ALL = _("All")


def typed(value: str, *paths: str) -> Q:
    """What people type in a list's search box (`?q=`), found case-insensitively in any of the
    fields named by `paths`."""
    return reduce(operator.or_, (Q(**{f"{path}__icontains": value}) for path in paths))


class PortalFilterSet(django_filters.FilterSet):
    """Labels stay lazy, so a list reads in the user's language whichever language first
    touched the filter (django-filter would otherwise keep the first label it computed).
    A choice left empty reads "All", not django's "---------"."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter) and (
                filter_.extra.get("empty_label", filter_settings.EMPTY_CHOICE_LABEL)
                == filter_settings.EMPTY_CHOICE_LABEL
            ):
                filter_.extra["empty_label"] = ALL
            if filter_._label is None:
                try:
                    field = cls._meta.model._meta.get_field(filter_.field_name)
                except FieldDoesNotExist:
                    continue
                filter_.label = capfirst(field.verbose_name)
        return filters


@extend_schema_field(MONTH)
class MonthFilter(django_filters.DateFilter):
    """`?month=YYYY-MM` on a month-bearing list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        super().__init__(*args, **kwargs)


def visible(model, **lookups):
    """A filter's choices limited to what the user may see (and to `lookups`: a vendor filter
    offers vendors only), so that filtering on another vendor's id answers "not a valid
    choice" exactly like an id that does not exist."""

    def choices(request):
        if request is None or not request.user.is_authenticated:
            return model.objects.none()
        return model.objects.visible_to(request.user).filter(**lookups)

    return choices


class UserFilter(PortalFilterSet):
    organization = django_filters.ModelChoiceFilter(queryset=visible(Organization))

    class Meta:
        model = User
        fields = ["role", "organization"]


class BankAccountChangeFilter(PortalFilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible(Organization))

    class Meta:
        model = BankAccountChange
        fields = ["vendor", "status"]
