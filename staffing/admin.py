from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from staffing.models import QualificationRule, StaffMember


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
