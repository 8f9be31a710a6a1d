from django.contrib import admin

from core.admin_mixins import ReadOnlyAdmin
from notifications.models import ChatWebhook, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What was told to whom and how far its delivery got: shown, never changed."""

    list_display = ["created_at", "user", "kind", "text", "channel", "emailed_at", "read_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["text", "user__username"]
    list_select_related = ["user"]


@admin.register(ChatWebhook)
class ChatWebhookAdmin(admin.ModelAdmin):
    """An organisation's 企业微信 or 钉钉 group robot (off unless added here)."""

    list_display = ["organization", "platform", "enabled"]
    list_filter = ["platform", "enabled"]
