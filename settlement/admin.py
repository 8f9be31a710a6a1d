from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from settlement.models import SettlementSheet, SheetLine


class SheetLineInline(admin.TabularInline):
    model = SheetLine
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_signed

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(SettlementSheet)
class SettlementSheetAdmin(SimpleHistoryAdmin):
    """A signed sheet is read-only here too: a mistake is corrected by an adjustment sheet."""

    list_display = ["__str__", "contract", "status", "payable_incl_tax", "capped", "signed_at"]
    list_filter = ["status", "capped"]
    list_select_related = ["order", "contract"]
    inlines = [SheetLineInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_signed)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_signed)
