"""How `notify` honours each user's choice per kind (issue 23): no choice is email at once; a
kind turned off tells no one, unless it is mandatory (a changed payee account, 4.6.3), which
then stays in the portal; a user without an email address is told in the portal only; a
reminder's step is told once per user; the mail task is queued only when someone chose email
at once, and nothing is queued for an action that rolled back."""

import pytest
from django.db import transaction

from core.models import User
from notifications.models import Channel, ChatWebhook, Notification, Preference
from notifications.services import NotificationError, muted, notify, preferences_save
from tests.factories import UserFactory

MESSAGE = "订单 %(number)s 已下达"
PARAMS = {"number": "MGYY-2026-001-001"}


def person(vendor, name, email="", **choices):
    user = UserFactory(username=name, role=User.Role.VENDOR_PM, organization=vendor, email=email)
    for kind, channel in choices.items():
        Preference.objects.create(user=user, kind=kind, channel=channel)
    return user


def told(kind="order_issued", users=(), **extra):
    made = notify(kind, users, message=MESSAGE, params=PARAMS, url="/orders/1/", **extra)
    return {n.user.username: n.channel for n in made}


@pytest.mark.django_db
def test_each_choice_gives_its_channel(vendor):
    users = [
        person(vendor, "unset", "unset@vendor.example"),
        person(vendor, "email", "email@vendor.example", order_issued=Channel.EMAIL),
        person(vendor, "digest", "digest@vendor.example", order_issued=Channel.DIGEST),
        person(vendor, "portal", "portal@vendor.example", order_issued=Channel.PORTAL),
        person(vendor, "off", "off@vendor.example", order_issued=Channel.OFF),
        # A choice for another kind does not change this one.
        person(vendor, "other", "other@vendor.example", log_returned=Channel.OFF),
    ]
    assert told(users=users) == {
        "unset": Channel.EMAIL,
        "email": Channel.EMAIL,
        "digest": Channel.DIGEST,
        "portal": Channel.PORTAL,
        "other": Channel.EMAIL,
    }
    assert Notification.objects.get(user__username="unset").text == "订单 MGYY-2026-001-001 已下达"


@pytest.mark.django_db
def test_without_an_address_only_the_portal(vendor):
    users = [
        person(vendor, "unset"),
        person(vendor, "digest", order_issued=Channel.DIGEST),
        person(vendor, "portal", order_issued=Channel.PORTAL),
        person(vendor, "off", order_issued=Channel.OFF),
    ]
    assert told(users=users) == {
        "unset": Channel.PORTAL,
        "digest": Channel.PORTAL,
        "portal": Channel.PORTAL,
    }


@pytest.mark.django_db
def test_a_mandatory_kind_cannot_be_turned_off(vendor):
    with pytest.raises(NotificationError):
        preferences_save(
            actor=person(vendor, "refused", "r@vendor.example"),
            channels={"bank_account_changed": Channel.OFF},
        )
    assert not Preference.objects.filter(kind="bank_account_changed").exists()
    # A row left from before the kind became mandatory still cannot silence it.
    users = [
        person(vendor, "off", "off@vendor.example", bank_account_changed=Channel.OFF),
        person(vendor, "digest", "digest@vendor.example", bank_account_changed=Channel.DIGEST),
    ]
    assert told("bank_account_changed", users) == {
        "off": Channel.PORTAL,
        "digest": Channel.DIGEST,
    }


@pytest.mark.django_db
def test_a_reminder_step_is_told_once(vendor):
    first = person(vendor, "first", "first@vendor.example")
    assert told("log_due", [first], key="log_due:1:2026-10:3") == {"first": Channel.EMAIL}
    second = person(vendor, "second")
    assert told("log_due", [first, second], key="log_due:1:2026-10:3") == {"second": Channel.PORTAL}
    assert told("log_due", [first, second], key="log_due:1:2026-10:3") == {}
    assert told("log_due", [first], key="log_due:1:2026-10:1") == {"first": Channel.EMAIL}


@pytest.mark.django_db
def test_muted_and_unknown(vendor):
    user = person(vendor, "pm", "pm@vendor.example")
    with muted():
        assert told(users=[user]) == {}
    assert not Notification.objects.exists()
    with pytest.raises(ValueError):
        told("no_such_kind", [user])


@pytest.mark.django_db
def test_tasks_are_queued_on_commit_and_only_what_is_needed(
    vendor, django_capture_on_commit_callbacks
):
    by_mail = person(vendor, "mail", "mail@vendor.example")
    in_portal = person(vendor, "portal", "portal@vendor.example", order_issued=Channel.PORTAL)
    # The vendor has a group robot (not reached here: the tasks are only queued).
    ChatWebhook.objects.create(organization=vendor, platform="wecom", url="http://127.0.0.1/")
    # Someone chose email at once: the mail task and the chat task.
    with django_capture_on_commit_callbacks() as queued:
        told(users=[by_mail, in_portal])
    assert len(queued) == 2
    # No one did: the chat task only.
    with django_capture_on_commit_callbacks() as queued:
        told(users=[in_portal])
    assert len(queued) == 1
    # Nobody told: nothing.
    with django_capture_on_commit_callbacks() as queued:
        told(users=[])
    assert queued == []
    # A rolled-back action queues nothing and leaves no notification.
    before = Notification.objects.count()
    with (
        django_capture_on_commit_callbacks() as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        told(users=[by_mail])
        raise RuntimeError("the action failed")
    assert queued == []
    assert Notification.objects.count() == before
