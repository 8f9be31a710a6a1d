from django.contrib import admin

from core.admin_mixins import ReadOnlyAdmin
from settlement.models import SettlementSheet, SheetLine


class SheetLineInline(admin.TabularInline):
    model = SheetLine
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(SettlementSheet)
class SettlementSheetAdmin(ReadOnlyAdmin):
    """Sheets move only through their actions: a mistake is corrected by an adjustment sheet."""

    list_display = ["__str__", "contract", "status", "payable_incl_tax", "capped", "signed_at"]
    list_filter = ["status", "capped"]
    list_select_related = ["order", "contract"]
    inlines = [SheetLineInline]
