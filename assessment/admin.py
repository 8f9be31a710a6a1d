from django.contrib import admin

from assessment.models import Assessment, AssessmentEntry, Incident
from core.admin_mixins import ReadOnlyAdmin


class EntryInline(admin.TabularInline):
    model = AssessmentEntry
    extra = 0


class IncidentInline(admin.TabularInline):
    model = Incident
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "template", "status", "total_score", "confirmed_at"]
    list_filter = ["status", "month"]
    list_select_related = ["order", "template"]
    inlines = [EntryInline, IncidentInline]
