from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Objects that only the portal's own services move (money, sign-offs): the admin shows
    them and their history, and changes nothing — no add, no edit, no delete, no revert."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
