from django.contrib import admin

from core.admin_mixins import ReadOnlyAdmin
from worklogs.models import WorkLog, WorkLogLine


class WorkLogLineInline(admin.TabularInline):
    model = WorkLogLine
    extra = 0
    raw_id_fields = ["staff"]


@admin.register(WorkLog)
class WorkLogAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "submitted_at", "approved_at", "locked_at"]
    list_filter = ["status", "month"]
    list_select_related = ["order"]
    inlines = [WorkLogLineInline]
