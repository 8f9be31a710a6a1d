from decimal import Decimal

from django import template

from core.money import quantize, to_capitals

register = template.Library()


@register.filter
def money(value):
    """1234567.8 → 1,234,567.80; empty stays empty."""
    if value is None or value == "":
        return ""
    return f"{quantize(value):,.2f}"


@register.filter
def capitals(value):
    return "" if value is None else to_capitals(value)


@register.filter
def percent(value):
    return "" if value is None else f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


@register.filter
def figure(value):
    """A count or measure with thousands separators and no trailing zeros: 1,200,000 · 24.5."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    return f"{number:,f}" if number != number.to_integral() else f"{number:,.0f}"
