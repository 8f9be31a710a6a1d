from functools import cache

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.widgets import BooleanWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from archive.models import Document
from archive.targets import TARGETS
from core.filters import PortalFilterSet, visible


@extend_schema_field(OpenApiTypes.INT)
class AttachedTo(django_filters.ModelChoiceFilter):
    """`?order=<id>`: the papers of that order, one the user sees (another's is refused as an
    id that does not exist)."""

    def __init__(self, target):
        self.target = target
        super().__init__(queryset=visible(target.model), label=target.label)

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        content_type = ContentType.objects.get_for_model(self.target.model)
        return queryset.filter(content_type=content_type, object_id=value.pk)


class DocumentFilterBase(PortalFilterSet):
    current = django_filters.BooleanFilter(
        method="only_current", label=_("Current versions"), widget=BooleanWidget
    )

    class Meta:
        model = Document
        fields = ["kind"]

    def only_current(self, queryset, name, value):
        return queryset.filter(is_current=value)


@cache
def document_filter():
    """The documents' filters: kind, current, and one per registered object (`contract`,
    `order`, `staff`, `sheet`, `invoice`, `payment`, `acceptance`), known once every app has
    registered its own."""
    by_object = {name: AttachedTo(target) for name, target in TARGETS.items()}
    return type("DocumentFilter", (DocumentFilterBase,), by_object)
