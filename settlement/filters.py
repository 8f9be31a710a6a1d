import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.filters import MonthFilter, PortalFilterSet, typed, visible
from core.lists import MONEY, NUMBER, Column, Table
from orders.models import Order
from settlement.models import SettlementSheet

SHEETS = Table(
    Column("order", _("Order"), order="order__number"),
    Column("month", _("Month"), order="month"),
    Column("vendor", _("Vendor"), order="contract__vendor__name"),
    Column("score", _("Score"), kind=NUMBER, order="score"),
    Column("payable", _("Payable incl. tax"), kind=MONEY, order="payable_incl_tax"),
    Column("excl", _("excl. tax"), kind=MONEY, order="payable_excl_tax"),
    Column("tax", _("tax"), kind=MONEY, order="tax_amount"),
    Column("status", _("Status"), order="status"),
    title=_("Settlement sheets"),  # exported as the ledger (settlement/documents.py)
)


class SheetFilter(PortalFilterSet):
    """One filter for the settlement pages, the API list and the ledger export."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    contract = django_filters.ModelChoiceFilter(
        queryset=visible(FrameworkContract), label=_("Contract")
    )
    order = django_filters.ModelChoiceFilter(queryset=visible(Order), label=_("Order"))
    month = MonthFilter(field_name="month", label=_("Month"))
    ordering = SHEETS.ordering_filter()

    class Meta:
        model = SettlementSheet
        fields = ["q", "contract", "order", "month", "status", "capped"]

    def search(self, queryset, name, value):
        """What people type: the order's number or name, the contract's code, the vendor."""
        return queryset.filter(
            typed(value, "order__number", "order__name", "contract__code", "contract__vendor__name")
        )


class ExportFilter(SheetFilter):
    """The ledger's and the PDF zip's: any statuses at once (`?status=signed&status=paid`),
    signed and later unless some are chosen, so a draft's money is never added to what is
    owed without asking."""

    status = django_filters.MultipleChoiceFilter(
        choices=SettlementSheet.Status.choices, label=_("Status")
    )

    def __init__(self, data=None, *args, **kwargs):
        data = (data or QueryDict()).copy()
        if not data.getlist("status"):
            data.setlist("status", list(SettlementSheet.SIGNED_STATES))
        super().__init__(data, *args, **kwargs)
