import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.http import attachment
from staffing.models import PersonalDataErasure, QualificationRule, StaffMember
from staffing.retention import personal_data_of


@admin.register(QualificationRule)
class QualificationRuleAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "level", "min_education", "min_years"]
    list_select_related = ["contract"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "contract",
        "role",
        "level",
        "status",
        "id_number_masked",
        "start_date",
        "end_date",
    ]
    list_filter = ["status", "level"]
    search_fields = ["name"]
    list_select_related = ["contract"]
    readonly_fields = ["id_number_masked"]
    exclude = ["phone"]
    actions = ["export_personal_data"]

    @admin.action(description=_("Export the chosen people's personal data (JSON)"))
    def export_personal_data(self, request, queryset):
        """A person's request to see what is kept of them (README, Personal data)."""
        people = [personal_data_of(member) for member in queryset.select_related("contract")]
        content = json.dumps(people, ensure_ascii=False, indent=1).encode()
        return attachment(content, "personal-data.json", "application/json")


@admin.register(PersonalDataErasure)
class PersonalDataErasureAdmin(admin.ModelAdmin):
    list_display = ["contract", "contract_ended_on", "people", "erased_at"]
    list_select_related = ["contract"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
