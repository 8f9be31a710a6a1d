from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.models import Organization, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "organization", "is_active"]
    list_filter = ["role", "organization", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Portal"), {"fields": ["full_name", "role", "organization"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ["full_name", "role", "organization"]}),
    ]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "tax_id", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "tax_id"]
