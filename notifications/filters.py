import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import ALL, PortalFilterSet
from notifications.models import Notification


class NotificationFilter(PortalFilterSet):
    """One filter for the inbox and the API's list: `?unread=true` (or 1) keeps the unread,
    `false` (or 0) the read ones."""

    unread = django_filters.BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label=_("Unread"),
        widget=forms.Select(choices=[("", ALL), ("true", _("Unread")), ("false", _("Read"))]),
    )

    class Meta:
        model = Notification
        fields = ["unread"]
