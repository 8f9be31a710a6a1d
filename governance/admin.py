from django.contrib import admin

from core.admin_mixins import ReadOnlyAdmin
from governance.models import Rectification


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    """Its steps are the portal's (issue, answer, accept or fail): the admin only shows them."""

    list_display = ["__str__", "contract", "order", "status", "issued_on", "due_on"]
    list_filter = ["status"]
    list_select_related = ["contract", "order"]
    raw_id_fields = ["order", "staff", "incident"]
