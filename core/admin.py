from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdmin
from core.forms import CalendarNoticeForm
from core.models import BankAccountChange, BankAccountConfirmation, CalendarYear, Organization, User


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
    list_display = ["name", "kind", "tax_id", "phone", "creator", "requires_signed_contract"]
    list_filter = ["kind", "requires_signed_contract"]
    search_fields = ["name", "tax_id"]


class BankAccountConfirmationInline(admin.TabularInline):
    model = BankAccountConfirmation
    extra = 0


@admin.register(BankAccountChange)
class BankAccountChangeAdmin(ReadOnlyAdmin):
    """Requests move only through the portal's services (clause 4.6.3); an administrator who
    must correct an account edits the organization, which keeps its history."""

    list_display = ["vendor", "bank_name", "bank_account", "status", "submitted_at", "effective_on"]
    list_filter = ["status"]
    inlines = [BankAccountConfirmationInline]


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    """The same notice form as the portal's page, published through the same service."""

    form = CalendarNoticeForm
    list_display = ["year", "status", "source", "updated_at", "updated_by"]
    list_filter = ["status"]

    def save_model(self, request, obj, form, change):
        obj.pk = form.publish(request.user).year.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False
