"""The daily digest (issue 23): at 08:30 each user who chose the digest for some kinds gets one
mail of everything of those kinds since their last digest, numbered, each with its link; then
it is marked mailed, so the next digest starts after it. A user without an address (or no
longer active) gets none: the portal has it. A mail for at once that could not go for hours
(its task gave up) goes in the digest, so a long outage loses nothing."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import User
from notifications.models import Channel, Notification, Preference
from notifications.services import GIVEN_UP_AFTER, mail_digests, notify
from notifications.tasks import digest_task
from tests.factories import UserFactory


def person(vendor, name, email, *digest_kinds):
    user = UserFactory(
        username=name, full_name=name, role=User.Role.VENDOR_PM, organization=vendor, email=email
    )
    for kind in digest_kinds:
        Preference.objects.create(user=user, kind=kind, channel=Channel.DIGEST)
    return user


def tell(kind, users, text, url=""):
    with transaction.atomic():
        return notify(kind, users, message=text, url=url)


@pytest.mark.django_db
def test_one_digest_per_user_since_the_last(
    vendor, eager, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://portal.example.cn"
    zhang = person(vendor, "张三", "zhang@vendor.example", "order_issued", "log_returned")
    li = person(vendor, "李四", "li@vendor.example")
    with django_capture_on_commit_callbacks(execute=True):
        tell("order_issued", [zhang, li], "订单 MGYY-2026-001-001 已下达", "/orders/7/")
        tell("log_returned", [zhang], "2026-10 工作量记录被退回：人数有误", "/orders/7/worklog/")
        tell("score_published", [zhang], "2026-10 考核结果已发布")
    # At once: 李四's order and 张三's score (a kind he left at email at once).
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("li@vendor.example", "【框架合同结算门户】订单 MGYY-2026-001-001 已下达"),
        ("zhang@vendor.example", "【框架合同结算门户】2026-10 考核结果已发布"),
    ]
    mailoutbox.clear()

    assert digest_task.apply().get() == 1
    [mail] = mailoutbox
    assert mail.to == ["zhang@vendor.example"]
    assert mail.subject == "【框架合同结算门户】今日摘要：2 条通知"
    assert mail.body == (
        "张三，您好：\n"
        "\n"
        "自上次摘要以来：\n"
        "\n"
        "1. 订单 MGYY-2026-001-001 已下达\n"
        "   https://portal.example.cn/orders/7/\n"
        "\n"
        "2. 2026-10 工作量记录被退回：人数有误\n"
        "   https://portal.example.cn/orders/7/worklog/\n"
        "\n"
        "您的通知： https://portal.example.cn/notifications/\n"
        "您收到此邮件是因为您在门户中的通知设置；可在通知页面修改。\n"
    )
    [(html, _)] = mail.alternatives
    link = '<a href="https://portal.example.cn/orders/7/">订单 MGYY-2026-001-001 已下达</a>'
    assert f"<li>{link}</li>" in html
    assert not Notification.objects.filter(emailed_at__isnull=True, channel="digest").exists()

    # Nothing new: no digest. Something new: the next digest has it alone.
    assert mail_digests() == 0
    with django_capture_on_commit_callbacks(execute=True):
        tell("order_issued", [zhang], "订单 MGYY-2026-001-002 已下达", "/orders/8/")
    assert mail_digests() == 1
    assert mailoutbox[-1].subject == "【框架合同结算门户】今日摘要：1 条通知"
    assert "订单 MGYY-2026-001-002 已下达" in mailoutbox[-1].body
    assert "MGYY-2026-001-001" not in mailoutbox[-1].body
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_no_address_or_inactive_no_digest(vendor, mailoutbox):
    portal_only = person(vendor, "no_address", "", "order_issued")
    gone = person(vendor, "gone", "gone@vendor.example", "order_issued")
    removed = person(vendor, "removed", "removed@vendor.example", "order_issued")
    made = {n.user.username: n for n in tell("order_issued", [portal_only, gone, removed], "订单")}
    assert made["no_address"].channel == Channel.PORTAL
    assert made["gone"].channel == made["removed"].channel == Channel.DIGEST
    User.objects.filter(pk=gone.pk).update(is_active=False)
    User.objects.filter(pk=removed.pk).update(email="")
    assert mail_digests() == 0
    assert mailoutbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 3  # all in the inbox


@pytest.mark.django_db
def test_a_mail_that_could_not_go_goes_in_the_digest(vendor, mailoutbox):
    user = person(vendor, "wang", "wang@vendor.example")
    [late] = tell("payment_made", [user], "付款已完成")
    [recent] = tell("invoice_recorded", [user], "发票已登记")
    now = timezone.now()
    Notification.objects.filter(pk=late.pk).update(created_at=now - GIVEN_UP_AFTER)
    # The recent one's task may still be retrying: not yet.
    assert mail_digests(until=now) == 1
    [mail] = mailoutbox
    assert "付款已完成" in mail.body
    assert "发票已登记" not in mail.body
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.emailed_at is not None
    assert recent.emailed_at is None


def test_digest_runs_daily_at_half_past_eight():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-digest"]
    assert entry["task"] == digest_task.name
    assert entry["schedule"] == crontab(hour=8, minute=30)
    assert timedelta(hours=5) == GIVEN_UP_AFTER
