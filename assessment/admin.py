from django.contrib import admin

from assessment.models import (
    Assessment,
    AssessmentEntry,
    AssessmentTemplate,
    Incident,
    Indicator,
    TemplateCategory,
)
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


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(TemplateCategory)
class TemplateCategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "template", "max", "is_bonus"]
    inlines = [IndicatorInline]


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(ReadOnlyAdmin):
    """Templates change through their pages and API: a published one only by a new version."""

    list_display = ["name", "version", "buyer", "status", "total", "period_months"]
    list_filter = ["status", "buyer"]
