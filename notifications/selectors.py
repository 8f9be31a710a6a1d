"""What the notifications' pages, API and tasks read: a user's own notifications, their channel
for each kind, and the group robots an event is posted to."""

from core.models import User
from notifications.kinds import KINDS
from notifications.models import Channel, ChatWebhook, Notification, Preference


def notification_list(*, user):
    return Notification.objects.visible_to(user)


def unread_count(user: User) -> int:
    return Notification.objects.visible_to(user).unread().count()


def channels_of(user: User) -> dict[str, str]:
    """The user's channel for every kind: email at once unless they chose otherwise."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, Channel.EMAIL) for kind in KINDS}


def chat_webhooks(ids: list[int]) -> list[tuple[ChatWebhook, Notification]]:
    """Each enabled group robot of the recipients' organisations, with the event to post: once
    per organisation, however many of its users were told."""
    rows = Notification.objects.filter(pk__in=ids).select_related("user")
    first = {}
    for notification in rows.order_by("pk"):
        first.setdefault(notification.user.organization_id, notification)
    hooks = ChatWebhook.objects.filter(organization__in=first, enabled=True)
    return [(hook, first[hook.organization_id]) for hook in hooks]
