"""The finance panel of a settlement sheet's page: its invoices and payments, what is left, and
the forms that record them. Settlement's template loads it; settlement imports nothing of
finance (tests/test_layers.py)."""

from django import template

from finance.invoice_views import sheet_panel

register = template.Library()


@register.inclusion_tag("finance/sheet_panel.html", takes_context=True)
def sheet_finance(context, sheet):
    request = context["request"]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        **sheet_panel(sheet=sheet, user=request.user),
    }
