"""Delivery runs in tasks queued when the action commits: a mail server or a chat robot that is
down delays only its own task, retried with a growing pause; the inbox has everything already."""

import smtplib

from celery import shared_task
from django.utils import timezone

from core.tasks import RETRY, TRANSIENT
from notifications import chat
from notifications.models import ChatWebhook, Notification
from notifications.reminders import send_reminders
from notifications.selectors import chat_webhooks
from notifications.services import mail_digests, mail_now

# A mail server or robot that is down is tried again after up to 2, 4, 8 … seconds (each pause
# drawn at random up to that, so many tasks do not return at once), doubling to half an hour:
# 17 times, about four hours in all (4 h 4 min at most). A blip passes in seconds; after a
# longer outage the mail goes in the next daily digest (services.GIVEN_UP_AFTER). No pause
# reaches Redis's visibility timeout (an hour), after which a retry waiting in a worker would
# be delivered a second time.
DELIVERY = {
    **RETRY,
    "autoretry_for": (*TRANSIENT, smtplib.SMTPException, OSError, chat.ChatError),
    "retry_backoff_max": 1800,
    "max_retries": 17,
}


@shared_task(**DELIVERY)
def mail_task(ids):
    """Mails the notifications chosen for email at once (safe to run twice, or two at once:
    each is claimed before it is sent)."""
    return mail_now(ids)


@shared_task(**RETRY)
def chat_task(ids):
    """Posts one event to each recipient organisation's group robot, each post its own task
    (a robot that is down is retried without posting twice to the others)."""
    for hook, notification in chat_webhooks(ids):
        chat_post_task.delay(hook.pk, notification.pk)


@shared_task(**DELIVERY)
def chat_post_task(hook_id, notification_id):
    """Posts one event to one group robot; a robot that refuses it (errcode not 0) or cannot
    be reached is tried again."""
    hook = ChatWebhook.objects.get(pk=hook_id)
    notification = Notification.objects.get(pk=notification_id)
    chat.post(hook, notification.text, notification.url)


@shared_task(**DELIVERY)
def digest_task():
    """Daily: each user's digest of what they chose to read once a day."""
    return mail_digests()


@shared_task(**RETRY)
def reminders_task():
    """Daily: the deadlines near or past today, each step told once."""
    return send_reminders(today=timezone.localdate())
