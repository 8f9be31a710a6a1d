from decimal import Decimal

from django import template

from core.money import quantize, to_capitals

register = template.Library()


def money(value):
    """1234567.8 → 1,234,567.80; empty stays empty. The figure alone: for sentences that say
    "yuan" themselves, form inputs, and the attachments' PDF layout (`|amount`), which writes
    ￥…元 around it where the contract's forms do and nothing in table cells."""
    if value is None or value == "":
        return ""
    return f"{quantize(value):,.2f}"


register.filter("amount", money)


@register.filter(name="money")
def money_with_sign(value):
    """¥1,234,567.89 (-¥12.30): money as every page of the portal prints it."""
    figure = money(value)
    if figure.startswith("-"):
        return f"-¥{figure[1:]}"
    return f"¥{figure}" if figure else ""


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
