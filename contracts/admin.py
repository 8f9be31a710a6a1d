from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import FrameworkContract, RateCardLine, TaxRate


class TaxRateInline(admin.TabularInline):
    model = TaxRate
    extra = 0


class RateCardLineInline(admin.TabularInline):
    model = RateCardLine
    extra = 0


@admin.register(FrameworkContract)
class FrameworkContractAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "buyer", "vendor", "status", "ceiling_incl_tax", "end_date"]
    list_filter = ["status", "settlement_mode"]
    search_fields = ["code", "name"]
    list_select_related = ["buyer", "vendor"]
    inlines = [TaxRateInline, RateCardLineInline]


@admin.register(TaxRate)
class TaxRateAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "effective_from", "rate"]
    list_select_related = ["contract"]


@admin.register(RateCardLine)
class RateCardLineAdmin(SimpleHistoryAdmin):
    list_display = [
        "contract",
        "role",
        "level",
        "estimated_quantity",
        "cap_price_excl_tax",
        "price_excl_tax",
    ]
    list_filter = ["level", "unit"]
    list_select_related = ["contract"]
