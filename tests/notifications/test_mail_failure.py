"""A mail server that is down never blocks work and loses nothing (issue 23). The action that
tells someone commits, and the inbox has it, whatever the mail server does; the mail task is
retried with a growing pause (2, 4, 8 … seconds up to an hour, 14 times: about four hours) and,
once the server answers, sends exactly one mail per notification and marks it mailed; a task
that gave up leaves its mail to the next digest. An address the server refuses does not hold
back the others'. Shown in-process through the task's retry (Django's SMTP backend against a
local port) and with the real worker, whose mail server is down and then comes back."""

import smtplib
import time

import pytest
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval
from django.db import transaction
from django.utils import timezone

from core.models import User
from notifications.models import Notification
from notifications.services import GIVEN_UP_AFTER, mail_digests, notify, unread_count
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
        assert (task.retry_backoff, task.retry_backoff_max, task.max_retries) == (2, 3600, 14)
        assert task.retry_jitter  # each pause drawn at random up to its bound
        assert {smtplib.SMTPException, OSError} <= set(task.autoretry_for)
    bounds = [get_exponential_backoff_interval(2, n, 3600, False) for n in range(14)]
    assert bounds == [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600]
    # 4 h 8 min 14 s at most; a mail still not sent after that goes in the digest.
    assert sum(bounds) == 4 * 3600 + 8 * 60 + 14
    assert sum(bounds) < GIVEN_UP_AFTER.total_seconds()


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
        mail_task.apply(args=[[notification.pk]], retries=14)
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
    assert "Mail server refused gone@vendor.example" in caplog.text
    mailed = dict(Notification.objects.values_list("user__username", "emailed_at"))
    assert mailed["gone"] is None
    assert mailed["pm"] is not None


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
