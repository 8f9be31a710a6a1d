"""A mail server that is down never blocks work and loses nothing (issue 23). The action that
tells someone commits, and the inbox has it, whatever the mail server does; the mail task is
retried with a growing pause (2, 4, 8 … seconds up to half an hour, 17 times: about four hours)
and, once the server answers, sends exactly one mail per notification, claimed before it is sent
(two tasks at once send it once); a task that gave up leaves its mail to the next digest. An
address the server refuses does not hold back the others'; refused for good it is given up, for
now it waits for the next digest. Shown in-process through the task's retry (Django's SMTP
backend against a local port) and with the real worker, whose mail server is down and then
comes back."""

import smtplib
import threading
import time
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval
from django.db import connection, transaction
from django.utils import timezone

from core.models import User
from notifications.models import Channel, Notification, Preference
from notifications.selectors import unread_count
from notifications.services import GIVEN_UP_AFTER, mail_digests, mail_now, notify
from notifications.tasks import chat_post_task, digest_task, mail_task
from tests.factories import UserFactory
from tests.notifications.conftest import smtp_at
from tests.notifications.stubs import SmtpStub, closed_port


def subject(message) -> str:
    # Django folds a long encoded subject onto the next line; unfolded, it starts with a space.
    return message["Subject"].strip()


def pm(vendor, name="pm", email="wang@vendor.example"):
    return UserFactory(username=name, role=User.Role.VENDOR_PM, organization=vendor, email=email)


def payment_made(users):
    with transaction.atomic():
        return notify("payment_made", users, message="2026-10 结算款已支付", url="/settlements/3/")


def test_the_retry_schedule():
    for task in (mail_task, digest_task, chat_post_task):
        assert (task.retry_backoff, task.retry_backoff_max, task.max_retries) == (2, 1800, 17)
        assert task.retry_jitter  # each pause drawn at random up to its bound
        assert {smtplib.SMTPException, OSError} <= set(task.autoretry_for)
    bounds = [get_exponential_backoff_interval(2, n, 1800, False) for n in range(17)]
    assert bounds == [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, *[1800] * 7]
    # 4 h 4 min 6 s at most; a mail still not sent after that goes in the digest.
    assert sum(bounds) == 4 * 3600 + 4 * 60 + 6
    assert sum(bounds) < GIVEN_UP_AFTER.total_seconds()
    # No pause reaches Redis's visibility timeout (an hour): a waiting retry is not redelivered.
    assert max(bounds) < 3600


@pytest.mark.django_db
def test_down_then_up_one_mail_each(
    vendor, settings, eager, mailoutbox, django_capture_on_commit_callbacks
):
    port = closed_port()
    smtp_at(settings, port)
    wang, li = pm(vendor), pm(vendor, "pm2", "li@vendor.example")

    # The action commits while nothing answers at the mail server's port: no error reaches it,
    # and both have the notification in their inbox, not mailed.
    with django_capture_on_commit_callbacks(execute=True):
        made = payment_made([wang, li])
    assert unread_count(wang) == unread_count(li) == 1
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()

    # The task meets the refused connection and asks to be tried again within 2 seconds.
    ids = [n.pk for n in made]
    with pytest.raises(Retry) as retry:
        mail_task.apply(args=[ids])
    assert isinstance(retry.value.exc, ConnectionRefusedError)
    assert 0 <= retry.value.when <= 2
    assert retry.value.sig.options["retries"] == 1

    # The server is back when the retry runs: one mail each, marked mailed.
    with SmtpStub(port) as server:
        assert retry.value.sig.apply().get() == 2
        assert sorted((m["To"], subject(m)) for m in server.inbox) == [
            ("li@vendor.example", "【框架合同结算门户】2026-10 结算款已支付"),
            ("wang@vendor.example", "【框架合同结算门户】2026-10 结算款已支付"),
        ]
        assert not Notification.objects.filter(emailed_at__isnull=True).exists()
        # A redelivered task sends nothing more.
        assert mail_task.apply(args=[ids]).get() == 0
        assert len(server.inbox) == 2
    assert mailoutbox == []  # all went through SMTP


@pytest.mark.django_db
def test_given_up_goes_in_the_digest(vendor, settings, eager):
    port = closed_port()
    smtp_at(settings, port)
    [notification] = payment_made([pm(vendor)])
    # The last retry fails too: the task ends with the error, the mail is not lost.
    with pytest.raises(ConnectionRefusedError):
        mail_task.apply(args=[[notification.pk]], retries=17)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    with SmtpStub(port) as server:
        assert mail_digests(until=timezone.now() + GIVEN_UP_AFTER) == 1
        [mail] = server.inbox
    assert subject(mail) == "【框架合同结算门户】今日摘要：1 条通知"
    assert "2026-10 结算款已支付" in mail.get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_a_refused_address_does_not_hold_back_the_others(vendor, smtp, caplog):
    smtp.refused.add("gone@vendor.example")
    made = payment_made([pm(vendor, "gone", "gone@vendor.example"), pm(vendor)])
    assert mail_task.apply(args=[[n.pk for n in made]]).get() == 1
    assert [m["To"] for m in smtp.inbox] == ["wang@vendor.example"]
    assert "Mail server refused gone@vendor.example (user" in caplog.text
    assert "given up" in caplog.text


@pytest.mark.django_db
def test_an_address_refused_for_good_is_given_up_not_tried_daily(vendor, smtp, caplog):
    """550 (no such mailbox) is given up at once: no digest tries it again."""
    smtp.refused.add("gone@vendor.example")
    gone = pm(vendor, "gone", "gone@vendor.example")
    Preference.objects.create(user=gone, kind="payment_made", channel=Channel.DIGEST)
    payment_made([gone])
    later = timezone.now() + timedelta(minutes=1)
    assert mail_digests(until=later) == 0
    assert mail_digests(until=later + timedelta(days=1)) == 0
    assert smtp.inbox == []
    assert caplog.text.count("Mail server refused gone@vendor.example") == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_an_address_refused_for_now_waits_for_the_next_digest(vendor, smtp, caplog):
    """450 (mailbox busy) is tried again in the next digest, and goes once it is taken."""
    smtp.busy.add("busy@vendor.example")
    busy = pm(vendor, "busy", "busy@vendor.example")
    Preference.objects.create(user=busy, kind="payment_made", channel=Channel.DIGEST)
    payment_made([busy])
    later = timezone.now() + timedelta(minutes=1)
    assert mail_digests(until=later) == 0
    assert "Mail server refused busy@vendor.example (user" in caplog.text
    assert Notification.objects.get().emailed_at is None
    smtp.busy.clear()
    assert mail_digests(until=later + timedelta(days=1)) == 1
    assert [m["To"] for m in smtp.inbox] == ["busy@vendor.example"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tasks_at_once_send_one_mail(vendor, smtp):
    """A redelivered task runs while the first is still sending: the first claimed the
    notification, so the second sends nothing (before: both sent it)."""
    # Made as `notify` makes it, without queueing its task (which would mail it at once).
    notification = Notification.objects.create(
        user=pm(vendor), kind="payment_made", text="2026-10 结算款已支付", channel=Channel.EMAIL
    )
    smtp.hold.clear()  # the first task's mail waits at the server

    def first():
        try:
            mail_now([notification.pk])
        finally:
            connection.close()

    sending = threading.Thread(target=first)
    sending.start()
    assert smtp.sending.wait(timeout=5)
    assert mail_now([notification.pk]) == 0
    smtp.hold.set()
    sending.join()
    assert [m["To"] for m in smtp.inbox] == ["wang@vendor.example"]


@pytest.mark.django_db
def test_a_failed_send_gives_the_claim_back(vendor, settings):
    """The server goes away mid-send: the notification is not marked, so the retry sends it."""
    smtp_at(settings, closed_port())
    [notification] = payment_made([pm(vendor)])
    with pytest.raises(ConnectionRefusedError):
        mail_now([notification.pk])
    notification.refresh_from_db()
    assert notification.emailed_at is None


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_retries_until_the_server_answers(vendor, celery_worker, worker_mail_port):
    if celery_worker is None:
        pytest.skip("needs a broker (REDIS_URL) for a real worker")
    address = "worker-retry@vendor.example"
    with SmtpStub(worker_mail_port) as server:
        server.down = True  # every connection answered 421
        [notification] = payment_made([pm(vendor, email=address)])
        # Committed, in the inbox; the worker tries and tries again.
        assert Notification.objects.filter(pk=notification.pk, emailed_at=None).exists()
        wait_for(lambda: server.attempts >= 2)
        assert server.inbox == []

        server.down = False
        wait_for(lambda: any(m["To"] == address for m in server.inbox))
        wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)
        time.sleep(2)  # a second send would have come by now
        mails = [m for m in server.inbox if m["To"] == address]
    assert len(mails) == 1
    assert subject(mails[0]) == "【框架合同结算门户】2026-10 结算款已支付"
