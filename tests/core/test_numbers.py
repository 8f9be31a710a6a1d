"""One reading of a typed number (core.numbers) for the forms, the API and the workbooks: no NaN,
infinity or exponent, no more digits than the field holds, with a message naming the value."""

import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from rest_framework import serializers

from config.urls import router
from core import forms as core_forms
from core import rest
from core.numbers import NumberError, parse_decimal, parse_whole

HOSTILE = ["NaN", "nan", "sNaN", "-sNaN", "Infinity", "-inf", "1e5", "1E2", "1e1000000", "0x10"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (849.06, "849.06"),  # a workbook's double, read as the shortest text that gives it back
        (977.5, "977.50"),
        (1250, "1250"),
        ("1,250.5", "1250.5"),
        (" -3.20 ", "-3.20"),
        ("1.50", "1.5"),  # trailing zeros are no decimals the field lacks
        (".5", "0.5"),
        (None, None),
        ("", None),
    ],
)
def test_typed_numbers_become_exact_decimals(value, expected):
    assert parse_decimal(value, max_digits=14, decimal_places=2) == (
        None if expected is None else Decimal(expected)
    )


@pytest.mark.parametrize("value", [*HOSTILE, "八百", "١٢", "1,5", "1.2.3", "-", True])
def test_what_is_not_plain_digits_is_refused(value):
    with pytest.raises(NumberError):
        parse_decimal(value, max_digits=14, decimal_places=2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("67,861.99", "67861.99"),
        ("1,234,567", "1234567"),
        ("-1,234,567.5", "-1234567.5"),
        ("999,999,999,999.99", "999999999999.99"),  # the most a money field holds
        ("67，861.99", "67861.99"),  # a Chinese input method's full-width comma
        ("1，234，567.00", "1234567.00"),
        ("123", "123"),  # fewer than four digits need no separator
    ],
)
def test_thousands_separators_are_read_when_every_group_has_three_digits(value, expected):
    assert parse_decimal(value, max_digits=14, decimal_places=2) == Decimal(expected)


@pytest.mark.parametrize(
    "value",
    [
        "6,78,61.99",  # Indian grouping is not how the buyer writes money
        "67,86,1.99",
        "1,2345",
        "12,34",
        ",123",
        "123,",
        "1,,234",
        "1.234,56",  # a decimal comma
        "1,234.567,8",
        "1 234",  # spaces do not group
        "NaN",
        "1,234e5",
        "1e1,000",
    ],
)
def test_malformed_grouping_and_exponents_are_still_refused(value):
    with pytest.raises(NumberError):
        parse_decimal(value, max_digits=14, decimal_places=2)


def test_grouped_money_is_read_in_the_forms_and_the_api_and_json_numbers_still_work():
    assert core_forms.DecimalField(max_digits=14, decimal_places=2).clean("67,861.99") == Decimal(
        "67861.99"
    )
    assert rest.MoneyField().run_validation("67,861.99") == Decimal("67861.99")
    assert rest.MoneyField().run_validation(67861.99) == Decimal("67861.99")
    assert rest.MoneyField().run_validation(67861) == Decimal("67861.00")


def test_each_refusal_says_why_in_chinese():
    def message(value, **digits):
        with pytest.raises(NumberError) as refused:
            parse_decimal(value, **(digits or {"max_digits": 14, "decimal_places": 2}))
        return str(refused.value)

    assert message("1e5") == "“1e5”不是数字：请只用数字书写，如 1250.50。"
    assert message("1234567890123") == "1234567890123 超出范围：整数部分最多 12 位。"
    assert message("1.234") == "1.234 的小数超过 2 位"
    assert message("1.5", max_digits=9, decimal_places=0) == "“1.5”不是整数"
    assert message(float("nan")) == "“nan”不是数字"
    assert message(1e300) == "1e+300 超出范围：整数部分最多 12 位。"
    # A value of a megabyte is quoted short.
    assert message("9" * 1_000_000).startswith("9" * 30 + "… 超出范围")


def test_whole_numbers_are_ints():
    assert parse_whole("007", max_digits=9) == 7
    assert parse_whole(12.0, max_digits=9) == 12
    with pytest.raises(NumberError):
        parse_whole("1000000000", max_digits=9)


@pytest.mark.parametrize("value", [*HOSTILE, "12345.6"])
def test_a_form_field_refuses_with_a_form_error(value):
    field = core_forms.DecimalField(max_digits=6, decimal_places=2)

    with pytest.raises(forms.ValidationError):
        field.clean(value)
    assert field.clean("1,234.5") == Decimal("1234.5")


@pytest.mark.parametrize("value", [*HOSTILE, "1234567890123", "0.001", 1e300, [1], {"a": 1}])
def test_an_api_field_refuses_with_a_400_message(value):
    field = rest.MoneyField()

    with pytest.raises(serializers.ValidationError):
        field.run_validation(value)
    assert field.run_validation(849.06) == Decimal("849.06")
    assert field.run_validation("12.5") == Decimal("12.50")


def _fields(serializer):
    """Every field of a serializer, its nested serializers' and list or dict children's too."""
    for field in serializer.fields.values():
        yield field
        child = getattr(field, "child", None)
        if isinstance(field, serializers.BaseSerializer):
            yield from _fields(child or field)
        elif child is not None:
            yield child


def test_every_decimal_of_the_api_is_read_by_the_one_parser():
    serializer_classes = {viewset.serializer_class for _prefix, viewset, _ in router.registry}
    serializer_classes.discard(None)  # a viewset that picks its serializer by action
    for app in ["contracts", "staffing", "orders", "worklogs", "kpi", "assessment", "settlement"]:
        module = importlib.import_module(f"{app}.api")
        serializer_classes |= {
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__
        }
    decimals = [
        (cls.__name__, field.field_name, type(field))
        for cls in serializer_classes
        for field in _fields(cls())
        if isinstance(field, serializers.DecimalField)
    ]
    assert len(decimals) > 20
    assert [d for d in decimals if not issubclass(d[2], rest.DecimalField)] == []


def test_every_decimal_of_a_form_is_read_by_the_one_parser():
    decimals = []
    for app in ["core", "contracts", "staffing", "orders", "worklogs"]:
        module = importlib.import_module(f"{app}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and hasattr(cls, "base_fields"):
                decimals += [
                    (cls.__name__, name, type(field))
                    for name, field in cls.base_fields.items()
                    if isinstance(field, forms.DecimalField)
                ]
    assert len(decimals) >= 5
    assert [d for d in decimals if not issubclass(d[2], core_forms.DecimalField)] == []


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["NaN", "Infinity", "sNaN", "1e5", "1234567890123", "1.001"])
def test_the_api_refuses_a_number_that_is_no_plain_one_in_every_field(
    api, procurement, contract, typed
):
    """DRF's own field took "1e5" as 100000; a model's decimal (estimated_quantity) and a money
    field (cap_price_excl_tax) now read it as the forms do, with the same message."""
    body = {"contract": contract.pk, "role": "运维支撑", "level": "高级"}

    answer = api(procurement).post(
        "/api/v1/rate-card-lines/",
        {**body, "estimated_quantity": typed, "cap_price_excl_tax": typed},
        format="json",
    )

    assert answer.status_code == 400
    errors = answer.json()
    for field in ("estimated_quantity", "cap_price_excl_tax"):
        assert errors[field][0].startswith((f"“{typed}”不是数字", f"{typed} "))
    assert not contract.rate_card_lines.exists()
