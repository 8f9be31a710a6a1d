from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdmin
from orders.models import Acceptance, LedgerEntry, Order, OrderLine, PaymentPlanItem


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


class PaymentPlanInline(admin.TabularInline):
    model = PaymentPlanItem
    extra = 0


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "name",
        "contract",
        "status",
        "planned_amount",
        "service_start",
        "service_end",
    ]
    list_filter = ["status"]
    search_fields = ["number", "name"]
    list_select_related = ["contract"]
    readonly_fields = [
        "number",
        "batch",
        "planned_amount",
        "executed_amount_at_issue",
        "settled_total",
        "issued_at",
    ]
    inlines = [OrderLineInline, PaymentPlanInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """The money's movements, as orders/ledger.py wrote them: read, never changed."""

    list_display = [
        "created_at",
        "contract",
        "order",
        "kind",
        "reference",
        "settled_change",
        "committed_change",
        "settled_after",
        "committed_after",
        "actor",
    ]
    list_filter = ["kind"]
    search_fields = ["contract__code", "order__number", "reference"]
    list_select_related = ["contract", "order", "actor"]


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdmin):
    """验收 moves only through the portal's services (a signed sheet freezes it)."""

    list_display = ["order", "month", "payment_item", "accepted_on", "accepted_by", "status"]
    list_filter = ["status"]
    search_fields = ["order__number"]
    list_select_related = ["order", "payment_item", "accepted_by"]
