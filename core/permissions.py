from rest_framework.permissions import SAFE_METHODS, BasePermission


class RolePermission(BasePermission):
    """Reading needs a login; writing needs one of the view's `write_roles`.

    On a detail route the role is checked only after the object was found in the user's
    visible queryset, so another vendor's object answers 404 and never 403.
    """

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return True
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        return lookup in view.kwargs or self._may_write(request, view)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or self._may_write(request, view)

    @staticmethod
    def _may_write(request, view):
        # An extra action is named by its URL path (`return/`, whose method is `return_`).
        action = getattr(view, "action", None)
        action = getattr(getattr(view, action or "", None), "url_path", action)
        roles = getattr(view, "action_roles", {}).get(action)
        if roles is None:
            roles = getattr(view, "write_roles", ())
        return request.user.has_role(*roles)
