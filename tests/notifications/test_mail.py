"""Mail at once (issue 23): when the action commits, each user who chose email at once gets one
mail in Chinese from the templates, its subject the event, its body the event and the absolute
link to the object (PORTAL_URL), with the same as escaped HTML beside; nothing for an action
rolled back, nothing twice when the task runs again, nothing at once for the digest or the
portal only."""

import pytest
from django.db import transaction

from core.models import User
from notifications.models import Channel, Notification, Preference
from notifications.services import Event, notify, notify_each
from notifications.tasks import mail_task
from tests.factories import UserFactory


@pytest.fixture
def pm(vendor):
    return UserFactory(
        username="pm",
        full_name="王经理",
        role=User.Role.VENDOR_PM,
        organization=vendor,
        email="wang@vendor.example",
    )


def order_issued(users, number="MGYY-2026-001-001"):
    with transaction.atomic():
        return notify(
            "order_issued",
            users,
            message="订单 %(number)s 已下达，请安排人员",
            params={"number": number},
            url="/orders/7/",
        )


@pytest.mark.django_db
def test_one_mail_in_chinese_with_the_link(
    pm, eager, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://portal.example.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = order_issued([pm])

    [mail] = mailoutbox
    assert mail.to == ["wang@vendor.example"]
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert mail.subject == "【框架合同结算门户】订单 MGYY-2026-001-001 已下达，请安排人员"
    assert mail.body == (
        "王经理，您好：\n"
        "\n"
        "订单 MGYY-2026-001-001 已下达，请安排人员\n"
        "打开： https://portal.example.cn/orders/7/\n"
        "\n"
        "您的通知： https://portal.example.cn/notifications/\n"
        "您收到此邮件是因为您在门户中的通知设置；可在通知页面修改。\n"
    )
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://portal.example.cn/orders/7/">' in html
    assert "订单 MGYY-2026-001-001 已下达，请安排人员" in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_text_is_escaped_in_html_only(pm, eager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_issued([pm], number="<b>R&D</b>")
    [mail] = mailoutbox
    assert mail.subject == "【框架合同结算门户】订单 <b>R&D</b> 已下达，请安排人员"
    assert "订单 <b>R&D</b> 已下达" in mail.body
    [(html, _)] = mail.alternatives
    assert "订单 &lt;b&gt;R&amp;D&lt;/b&gt; 已下达" in html
    assert "<b>" not in html


@pytest.mark.django_db
def test_each_user_one_mail_and_only_once(
    vendor, pm, eager, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(
        username="pm2", role=User.Role.VENDOR_PM, organization=vendor, email="li@vendor.example"
    )
    digest = UserFactory(
        username="pm3", role=User.Role.VENDOR_PM, organization=vendor, email="zh@vendor.example"
    )
    Preference.objects.create(user=digest, kind="order_issued", channel=Channel.DIGEST)
    no_address = UserFactory(username="pm4", role=User.Role.VENDOR_PM, organization=vendor)
    with django_capture_on_commit_callbacks(execute=True):
        made = order_issued([pm, colleague, digest, no_address])
    assert len(made) == 4  # each of them has it in the inbox
    assert sorted(mail.to[0] for mail in mailoutbox) == ["li@vendor.example", "wang@vendor.example"]
    # The task run again (a redelivery) sends nothing more.
    assert mail_task.apply(args=[[n.pk for n in made]]).get() == 0
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_nothing_for_an_action_rolled_back(
    pm, eager, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_issued([pm])
        raise RuntimeError("the action failed")
    assert mailoutbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_batch_of_events_is_mailed_by_one_task_each_event_its_own_mail(
    pm, eager, mailoutbox, django_capture_on_commit_callbacks
):
    events = [
        Event([pm], "订单 %(number)s 已下达，请安排人员", {"number": f"MGYY-2026-001-00{n}"})
        for n in (1, 2, 3)
    ]
    with django_capture_on_commit_callbacks(execute=True) as queued, transaction.atomic():
        notify_each("order_issued", events)

    assert len(queued) == 1  # one mail task for the batch, not one per event
    assert sorted(mail.subject for mail in mailoutbox) == [
        f"【框架合同结算门户】订单 MGYY-2026-001-00{n} 已下达，请安排人员" for n in (1, 2, 3)
    ]
