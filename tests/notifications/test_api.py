"""The notifications API: a user's own notifications (another's is a 404), `?unread=` as on
the inbox page, one or all marked read, and the preferences read as a list and written as a
map of kind to channel, off refused for the kind that cannot be turned off."""

import pytest
from django.utils.translation import gettext_lazy as _

from core.models import User
from notifications.models import Channel, Notification, Preference
from notifications.services import notify

pytestmark = pytest.mark.django_db

MESSAGE = _("Order %(order)s was issued to you.")


def tell(user, order="MGYY-2026-003-001"):
    (notification,) = notify(
        "order_issued", [user], message=MESSAGE, params={"order": order}, url="/orders/1/"
    )
    return notification


def test_the_list_holds_ones_own(api, vendor_pm, other_vendor_pm):
    old, new = tell(vendor_pm, "A-001"), tell(vendor_pm, "A-002")
    tell(other_vendor_pm, "B-001")
    old.read_at = old.created_at
    old.save()
    client = api(vendor_pm)

    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "id": new.pk,
        "kind": "order_issued",
        "text": "订单 A-002 已向贵方下达。",
        "url": "/orders/1/",
        "created_at": body["results"][0]["created_at"],
        "read_at": None,
    }
    assert body["results"][1]["read_at"] is not None
    for unread in ("1", "true", "True"):
        ids = [
            n["id"] for n in client.get(f"/api/v1/notifications/?unread={unread}").json()["results"]
        ]
        assert ids == [new.pk], unread
    for read in ("0", "false"):
        ids = [
            n["id"] for n in client.get(f"/api/v1/notifications/?unread={read}").json()["results"]
        ]
        assert ids == [old.pk], read
    assert (
        client.get(f"/api/v1/notifications/{new.pk}/").json()["text"] == "订单 A-002 已向贵方下达。"
    )


def test_one_and_all_are_marked_read(api, vendor_pm, other_vendor_pm):
    one, two, three = tell(vendor_pm), tell(vendor_pm), tell(vendor_pm)
    theirs = tell(other_vendor_pm)
    client = api(vendor_pm)

    response = client.post(f"/api/v1/notifications/{one.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.post(f"/api/v1/notifications/{one.pk}/read/").status_code == 200  # again: fine

    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert not Notification.objects.unread().filter(user=vendor_pm).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None and {two.pk, three.pk}


@pytest.mark.parametrize("role", list(User.Role))
def test_every_role_reads_its_own(api, buyer, role):
    from tests.factories import UserFactory

    user = UserFactory(role=role, organization=buyer)
    mine = tell(user)
    client = api(user)
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 200
    assert client.post("/api/v1/notifications/read-all/").status_code == 200
    assert (
        client.patch(
            "/api/v1/notifications/preferences/", {"log_due": "digest"}, format="json"
        ).status_code
        == 200
    )


def test_another_users_notification_is_404(api, vendor_pm, other_vendor_pm, procurement):
    theirs = tell(other_vendor_pm)
    for user in (vendor_pm, procurement):
        client = api(user)
        assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
        assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_refused(api):
    assert api().get("/api/v1/notifications/").status_code in (401, 403)
    assert api().get("/api/v1/notifications/preferences/").status_code in (401, 403)


def test_the_preferences(api, vendor_pm):
    Preference.objects.create(user=vendor_pm, kind="log_due", channel=Channel.DIGEST)
    client = api(vendor_pm)
    rows = client.get("/api/v1/notifications/preferences/").json()
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["log_due"] == {
        "kind": "log_due",
        "label": "工作量记录即将截止提交",
        "channel": "digest",
        "mandatory": False,
    }
    assert by_kind["bank_account_changed"]["mandatory"] is True
    assert by_kind["order_issued"]["channel"] == "email"

    response = client.put(
        "/api/v1/notifications/preferences/",
        {"order_issued": "off", "bank_account_changed": "portal"},
        format="json",
    )
    assert response.status_code == 200
    by_kind = {row["kind"]: row["channel"] for row in response.json()}
    assert (by_kind["order_issued"], by_kind["bank_account_changed"], by_kind["log_due"]) == (
        "off",
        "portal",
        "digest",
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"bank_account_changed": "off"}, "bank_account_changed", "“收款银行账户变更”不能关闭。"),
        ({"log_due": "fax"}, "log_due", None),
        ({"no_such_kind": "email"}, "no_such_kind", "未知的通知类型。"),
    ],
)
def test_a_wrong_preference_is_400(api, vendor_pm, body, field, message):
    response = api(vendor_pm).patch("/api/v1/notifications/preferences/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert not Preference.objects.exists()


def test_a_body_that_is_no_map_is_400(api, vendor_pm):
    response = api(vendor_pm).put("/api/v1/notifications/preferences/", ["email"], format="json")
    assert response.status_code == 400
