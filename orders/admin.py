from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdmin
from orders.models import LedgerEntry, Order, OrderAttachment, OrderLine, PaymentPlanItem


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


class PaymentPlanInline(admin.TabularInline):
    model = PaymentPlanItem
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = OrderAttachment
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
    inlines = [OrderLineInline, PaymentPlanInline, AttachmentInline]


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
