"""The notices' figure on `/metrics` (core.metrics): those to be mailed at once that an hour
later still are not (the mail server refusing, the worker down)."""

from datetime import timedelta

from django.utils import timezone

from core.metrics import gauge
from notifications.models import Channel, Notification


def figures():
    late = timezone.now() - timedelta(hours=1)
    unmailed = Notification.objects.filter(
        channel=Channel.EMAIL, emailed_at=None, created_at__lt=late
    ).count()
    yield gauge(
        "portal_notifications_unmailed", "Notices to mail, unmailed after an hour", unmailed
    )
