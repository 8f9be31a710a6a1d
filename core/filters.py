import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from core.models import BankAccountChange, Organization, User


class PortalFilterSet(django_filters.FilterSet):
    """Labels stay lazy, so a list reads in the user's language whichever language first
    touched the filter (django-filter would otherwise keep the first label it computed)."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            if filter_._label is None:
                try:
                    field = cls._meta.model._meta.get_field(filter_.field_name)
                except FieldDoesNotExist:
                    continue
                filter_.label = capfirst(field.verbose_name)
        return filters


class MonthFilter(django_filters.DateFilter):
    """`?month=YYYY-MM` on a month-bearing list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        super().__init__(*args, **kwargs)


def visible(model):
    """A filter's choices limited to what the user may see, so that filtering on another
    vendor's id answers "not a valid choice" exactly like an id that does not exist."""

    def choices(request):
        if request is None or not request.user.is_authenticated:
            return model.objects.none()
        return model.objects.visible_to(request.user)

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
