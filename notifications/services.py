"""Telling people (SPEC §8). A service that hands work to another role calls `notify` inside its
transaction: the notifications are rows of that transaction (a rolled-back action tells no
one), and their mails and chat posts are sent by tasks queued when it commits, retried on their
own, so a mail server that is down never blocks nor loses anything (the inbox has it already).
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.bulk import create
from core.errors import DomainError
from core.models import User
from notifications.kinds import KINDS
from notifications.models import Channel, ChatWebhook, Notification, Preference

_muted = ContextVar("notifications_muted", default=False)
logger = logging.getLogger(__name__)

# A mail for at once whose task gave up (tasks.DELIVERY retries for a little over four hours)
# goes in the next daily digest instead: a mail server that is down a long time loses nothing.
GIVEN_UP_AFTER = timedelta(hours=5)


class NotificationError(DomainError):
    code = "notification"


@contextmanager
def muted():
    """Nobody is told of what happens inside (the demo's and the bench's generated history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def users_of(organization_id, *roles) -> Iterable[User]:
    """The active users of one organisation in the given roles: who a hand-off goes to."""
    return User.objects.filter(organization_id=organization_id, role__in=roles, is_active=True)


def notify_contract(
    kind: str, contract, *roles, message, params=None, url: str = "", users=None, but=None
) -> list:
    """Tells the users of `roles` on the contract's own side of it (vendor PMs: its vendor;
    procurement, finance: its buyer): the one rule for who a hand-off goes to. `users`, if
    given, are those users already fetched (a batch reusing one list per vendor); `but`, a user
    not told (the one who did it)."""
    if users is None:
        users = [
            user
            for role in roles
            for user in users_of(
                contract.vendor_id if role == User.Role.VENDOR_PM else contract.buyer_id, role
            )
        ]
    if but is not None:
        users = [user for user in users if user.pk != but.pk]
    return notify(kind, users, message=message, params=params, url=url)


def notify(kind: str, users, *, message, params=None, url: str = "", key: str = "") -> list:
    """Tells each user (an iterable of `User`) of one event: `message % params`, rendered in
    the portal's language, and where to act on it. A user who turned the kind off is not told;
    with a `key` (a reminder's step) a user already told of it is not told again (the caller,
    `send_reminders`, passes over most of them in one query for the day)."""
    return notify_each(kind, [Event(users, message, params, url)], key=key)


@dataclass(frozen=True)
class Event:
    """One thing to tell: its users, `message % params`, and where to act on it."""

    users: Iterable[User]
    message: str
    params: dict | None = None
    url: str = ""


def notify_each(kind: str, events: list[Event], *, key: str = "") -> list:
    """`notify` of many events of one kind (a month's sheets, each to its vendor's PMs): the
    same notifications in three queries however many events (three per event was most of
    computing a month's sheets); their mails go in one task (`mail_now` sends each on its own,
    a failure keeping the rest for the next try), each event's chat post in its own."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind: {kind}")
    if _muted.get():
        return []
    events = [(event, {user.pk: user for user in event.users}) for event in events]
    everyone = {pk for _event, users in events for pk in users}
    if not everyone:
        return []
    chosen = dict(
        Preference.objects.filter(user__in=everyone, kind=kind).values_list("user", "channel")
    )
    told = []  # per event, its notifications
    for event, users in events:
        with translation.override(settings.LANGUAGE_CODE):
            text = str(event.message) % event.params if event.params else str(event.message)
        made = []
        for pk, user in users.items():
            channel = chosen.get(pk, Channel.EMAIL)
            if channel == Channel.OFF and KINDS[kind].mandatory:
                channel = Channel.PORTAL
            if channel == Channel.OFF:
                continue
            if channel != Channel.PORTAL and not user.email:
                channel = Channel.PORTAL
            made.append(
                Notification(
                    user=user, kind=kind, text=text[:500], url=event.url, key=key, channel=channel
                )
            )
        told.append(made)
    rows = [row for made in told for row in made]
    if key:
        _created(rows, key)  # those already told keep no id
    else:
        create(rows)
    told = [[row for row in made if row.pk is not None] for made in told]
    if not any(told):
        return []
    from notifications.tasks import chat_task, mail_task

    organizations = {row.user.organization_id for made in told for row in made}
    chatting = set(
        ChatWebhook.objects.filter(organization__in=organizations, enabled=True).values_list(
            "organization", flat=True
        )
    )
    # Robust: a broker that is down must not turn an action that committed into an error page;
    # the mails then go in the next digest (GIVEN_UP_AFTER).
    mails = [row.pk for made in told for row in made if row.channel == Channel.EMAIL]
    if mails:
        transaction.on_commit(lambda: mail_task.delay(mails), robust=True)
    for made in told:
        ids = [notification.pk for notification in made]
        if any(notification.user.organization_id in chatting for notification in made):
            transaction.on_commit(lambda ids=ids: chat_task.delay(ids), robust=True)
    return [row for made in told for row in made]


def _created(rows: list[Notification], key: str) -> list[Notification]:
    """Creates the rows of a reminder's step but for the users already told of it (the
    database's constraint decides, so two runs at once tell each user once and neither fails);
    answers those this call created, with their ids, read back by their own creation moment."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    ours = {(row.user_id, row.created_at): row for row in rows}
    created = Notification.objects.filter(key=key, user__in=[row.user_id for row in rows])
    for pk, user, at in created.values_list("pk", "user", "created_at"):
        if (user, at) in ours:
            ours[user, at].pk = pk
    return [row for row in rows if row.pk is not None]


@transaction.atomic
def notification_read(*, notification: Notification, actor: User) -> Notification:
    """Marks the actor's notification read; callers fetch it through the actor's own list
    (`selectors.notification_list`), so another's is a 404 before it comes here."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, actor: User) -> int:
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, actor: User, channels: dict[str, str]) -> None:
    """Sets the user's channel per kind; a kind that cannot be turned off refuses `off`."""
    for kind, channel in channels.items():
        if kind not in KINDS:
            raise NotificationError(_("Unknown kind of notification."), field=kind)
        if channel not in Channel.values:
            raise NotificationError(_("Choose a valid channel."), field=kind)
        if channel == Channel.OFF and KINDS[kind].mandatory:
            raise NotificationError(
                _("%(kind)s cannot be turned off.") % {"kind": KINDS[kind].label}, field=kind
            )
    for kind, channel in channels.items():
        Preference.objects.update_or_create(user=actor, kind=kind, defaults={"channel": channel})


def absolute(url: str) -> str:
    return f"{settings.PORTAL_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _mail(user: User, notifications: list[Notification], template: str) -> EmailMultiAlternatives:
    """One mail in the portal's language: plain text, and the same as simple escaped HTML."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "notifications": [(n, absolute(n.url)) for n in notifications],
            "inbox": absolute(reverse("notification-list")),
        }
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}_body.txt", context)
        html = render_to_string(f"notifications/email/{template}_body.html", context)
    mail = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    mail.attach_alternative(html, "text/html")
    return mail


def _claim(notifications: list[Notification]) -> list[Notification]:
    """Those of `notifications` no other task has mailed or is mailing: each marked mailed first
    (a conditional UPDATE), so a retried, redelivered or concurrent task never sends it twice."""
    now = timezone.now()
    unclaimed = Notification.objects.filter(emailed_at__isnull=True)
    return [n for n in notifications if unclaimed.filter(pk=n.pk).update(emailed_at=now) == 1]


def _permanently(refused: smtplib.SMTPRecipientsRefused) -> bool:
    """The server refused the address for good (a 5xx answer: no such mailbox), not for now
    (4xx: mailbox busy, greylisted)."""
    return all(code >= 500 for code, _answer in refused.recipients.values())


def _deliver(connection, user: User, notifications: list[Notification], template: str) -> bool:
    """Sends one mail of the notifications it claims. An address the server refuses for good
    is given up: logged, its notifications left marked (the inbox has them), so no digest tries
    it again; refused for now, it is logged and left for the next digest. Either way it does not
    hold back the others' mails. Any other failure gives the claim back and is raised for the
    task to retry."""
    claimed = _claim(notifications)
    if not claimed:
        return False
    try:
        connection.send_messages([_mail(user, claimed, template)])
    except smtplib.SMTPRecipientsRefused as refused:
        if _permanently(refused):
            logger.warning("Mail server refused %s (user %s); given up", user.email, user.pk)
            return False
        logger.warning("Mail server refused %s (user %s) for now", user.email, user.pk)
        _unclaim(claimed)
        return False
    except BaseException:
        _unclaim(claimed)
        raise
    return True


def _unclaim(notifications: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=None)


def _mailable():
    """Not mailed yet, to an active user with an address."""
    return Notification.objects.filter(emailed_at__isnull=True, user__is_active=True).exclude(
        user__email=""
    )


def mail_now(ids: list[int]) -> int:
    """Mails each notification of `ids` whose user chose email at once and that was not mailed
    (nor claimed) yet; a failure leaves it and the rest unmailed for the task's next try.
    Returns how many went."""
    pending = _mailable().filter(pk__in=ids, channel=Channel.EMAIL).select_related("user")
    sent = 0
    with get_connection() as connection:
        for notification in pending.order_by("pk"):
            sent += _deliver(connection, notification.user, [notification], "one")
    return sent


def mail_digests(*, until=None) -> int:
    """One mail per user of everything chosen for the daily digest since the last one (what
    was not mailed yet), and of the mails for at once that could not go; each claimed before it
    is sent (`_deliver`). Returns how many mails went."""
    until = until or timezone.now()
    waiting = defaultdict(list)
    given_up = Q(channel=Channel.EMAIL, created_at__lte=until - GIVEN_UP_AFTER)
    rows = _mailable().filter(Q(channel=Channel.DIGEST) | given_up, created_at__lte=until)
    for notification in rows.select_related("user").order_by("user", "created_at", "pk"):
        waiting[notification.user].append(notification)
    sent = 0
    with get_connection() as connection:
        for user, notifications in waiting.items():
            sent += _deliver(connection, user, notifications, "digest")
    return sent
