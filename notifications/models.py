from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Organization
from notifications.kinds import KINDS


class Channel(models.TextChoices):
    """How a user wants one kind of notification."""

    EMAIL = "email", _("In the portal and by email at once")
    DIGEST = "digest", _("In the portal and in the daily digest")
    PORTAL = "portal", _("In the portal only")
    OFF = "off", _("Off")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is its recipient's alone, an administrator's included."""
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing one user is told: what (`text`, in the portal's language when it was made),
    where to act on it (`url`), and how far its delivery got. `key` names a reminder's step,
    so that a daily run tells each user of it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [
            # The day's reminders look up their steps by key alone (send_reminders).
            models.Index(fields=["key"], name="notification_key"),
            models.Index(
                fields=["user", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["channel", "created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_to_mail",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def kind_label(self) -> str:
        """What kind of thing this is, in the reader's language (the text is in the portal's)."""
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class Preference(models.Model):
    """A user's channel for one kind; a kind without a row goes by email at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.get_channel_display()}"


class ChatWebhook(models.Model):
    """An organisation's work-chat group robot (企业微信 or 钉钉): every notification to one of
    its users is also posted to the group, once per event. Off unless an administrator adds one."""

    class Platform(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="chat_webhook",
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    url = models.URLField(_("webhook URL"), max_length=500)
    # DingTalk's "加签" security setting: the robot's secret signs each post.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("work chat webhook")
        verbose_name_plural = _("work chat webhooks")

    def __str__(self):
        return f"{self.organization} · {self.get_platform_display()}"
