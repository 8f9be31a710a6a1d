from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, getcontext
from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import parsers, serializers
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.fields import SkipField
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import PKOnlyObject
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError
from core.locks import BUSY_MESSAGE, is_busy
from core.numbers import NumberError, parse_decimal

MISSING = object()


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class DecimalField(serializers.DecimalField):
    """A number in the API, read by core.numbers as in the forms and the workbooks (DRF's own
    takes "1e5" as 100000), with the same messages."""

    def to_internal_value(self, data):
        try:
            value = parse_decimal(
                data, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
        except NumberError as error:
            raise ValidationError(str(error), code="invalid") from error
        if value is None:
            self.fail("invalid")
        return self.quantize(value)

    def to_representation(self, value):
        """DRF's text of a stored decimal, without the decimal context it copies for every value
        (most of the time of a page of money, make bench): the same quantum and rounding."""
        as_text = getattr(self, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        if not as_text or not isinstance(value, Decimal) or self.localize or self.normalize_output:
            return super().to_representation(value)
        return format(value.quantize(self.quantum, rounding=self.rounding_mode), "f")

    @cached_property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.decimal_places)

    @cached_property
    def rounding_mode(self) -> str:
        return self.rounding or getcontext().rounding


class ModelSerializer(serializers.ModelSerializer):
    """Model decimals become core's DecimalField (every serializer with one derives from this)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalField,
    }

    @cached_property
    def _shown(self) -> list[tuple]:
        """(name, field, attribute) of each field a row shows, worked out once per serializer
        (DRF walks them again for every row of a page); `attribute` names a plain attribute of
        the object read directly, else DRF's own lookup answers (relations, nested, dotted)."""
        shown = []
        for field in self.fields.values():
            if field.write_only:
                continue
            plain = len(field.source_attrs) == 1 and not isinstance(
                field, serializers.RelatedField | serializers.ManyRelatedField | BaseSerializer
            )
            shown.append((field.field_name, field, field.source if plain else None))
        return shown

    def to_representation(self, instance):
        """DRF's, without its generic lookup per value on a page of rows (make bench): a plain
        attribute is read directly; anything else (a callable, a missing attribute, a dict)
        goes through the field's own get_attribute, as in DRF."""
        if isinstance(instance, Mapping):
            return super().to_representation(instance)
        row = {}
        for name, field, attribute in self._shown:
            value = getattr(instance, attribute, MISSING) if attribute else MISSING
            if value is MISSING or callable(value):
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
            if isinstance(value, PKOnlyObject):
                row[name] = None if value.pk is None else field.to_representation(value)
            else:
                row[name] = None if value is None else field.to_representation(value)
        return row


class MoneyField(DecimalField):
    """Money as a JSON string with two decimals, rounded half-up (DRF's default is half-even)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(rounding=ROUND_HALF_UP, **kwargs)


# A month as the API writes and reads it, in bodies and in `?month=` (core.filters) alike.
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-10"}


@extend_schema_field(MONTH)
class MonthField(serializers.Field):
    """A month as "YYYY-MM" (stored as its first day)."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def to_internal_value(self, data):
        try:
            return datetime.strptime(str(data), "%Y-%m").date()
        except ValueError:
            self.fail("invalid")


class WholeItemsMixin:
    """The items of a nested list are whole even in a PATCH (DRF skips a nested item's missing
    required fields when the root update is partial)."""

    def validate(self, attrs):
        missing = {
            name: [_("This field is required.")]
            for name, field in self.fields.items()
            if field.required and not field.read_only and field.source not in attrs
        }
        if missing:
            raise ValidationError(missing)
        return super().validate(attrs)


class VisibleQuerysetMixin:
    """Every list, detail and action of the viewset sees only what the user may see: its
    `selector(user=...)` when it has one, else `queryset.visible_to(user)`."""

    selector = None

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return super().get_queryset().none()
        if self.selector is not None:
            return self.selector(user=self.request.user)
        return super().get_queryset().visible_to(self.request.user)


class CreateOnlyFieldsMixin:
    """Fields (Meta.create_only_fields) written when the object is made and fixed after: an
    update that tries to change one is refused, never silently ignored."""

    def get_fields(self):
        fields = super().get_fields()
        if self._updating():
            for name in self.Meta.create_only_fields:
                fields[name].read_only = True
        return fields

    def to_internal_value(self, data):
        # A body that is no object (`false`) is refused by DRF's own check, after this one.
        if self._updating() and isinstance(data, Mapping):
            current = self.to_representation(self.instance)
            changed = [
                name
                for name in self.Meta.create_only_fields
                if name in data and not _same(data[name], current.get(name))
            ]
            if changed:
                raise ValidationError(
                    {name: [_("This cannot change once created.")] for name in changed}
                )
        return super().to_internal_value(data)

    def _updating(self):
        return self.instance is not None and not isinstance(self.instance, list)


def _same(given, current) -> bool:
    try:
        return Decimal(str(given)) == Decimal(str(current))
    except (InvalidOperation, ValueError):
        return str(given) == str(current)


class VisibleRelatedFieldsMixin:
    """Writable foreign keys accept only objects the user may see.

    DRF does not scope them: without this a vendor could point a new object at another
    vendor's contract id.
    """

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return fields
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(request.user)
        return fields


def reason_field(max_length: int | None = None) -> dict:
    """An action's `{"reason"}`; a fresh field each time: DRF's serializer metaclass takes
    fields out of the dict."""
    return {"reason": serializers.CharField(max_length=max_length)}


def action_input(request, **fields) -> dict:
    """The validated body of an action (`{"reason": ...}`, dates...), or a 400 naming fields."""
    serializer = type("ActionInput", (serializers.Serializer,), fields)(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


MAX_JSON_DEPTH = 32  # the API's deepest body, a template with its indicators, nests 5


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded in depth: Python's parser recurses, so 100,000 nested lists
    were a 500 for anyone, logged in or not. (Its size is bounded before: DRF reads the body
    through request.body, which refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE with a 400.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = _deeper_than(data, MAX_JSON_DEPTH)
        except RecursionError:
            too_deep = True
        if too_deep:
            raise ParseError(
                _("The JSON is nested deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH}
            )
        return data


def _deeper_than(data, limit) -> bool:
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in value)
    return False


class Busy(APIException):
    status_code = 409
    default_detail = _lazy(BUSY_MESSAGE)
    default_code = "busy"


def exception_handler(exc, context):
    """Domain errors answer 400 (409 for a conflict) with the message under the field it
    concerns; a lock that could not be had answers 409, to be tried again."""
    status = None
    if isinstance(exc, DomainError):
        status = exc.status
        exc = ValidationError({exc.field: exc.messages} if exc.field else {"detail": exc.message})
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif is_busy(exc):
        exc = Busy()
    response = drf_exception_handler(exc, context)
    if status and response is not None:
        response.status_code = status
    return response
