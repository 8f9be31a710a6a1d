from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import Assessment, AssessmentEntry, Incident


class EntryInline(admin.TabularInline):
    model = AssessmentEntry
    extra = 0


class IncidentInline(admin.TabularInline):
    model = Incident
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "template", "status", "total_score", "confirmed_at"]
    list_filter = ["status", "month"]
    list_select_related = ["order", "template"]
    inlines = [EntryInline, IncidentInline]
