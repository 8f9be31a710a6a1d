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
