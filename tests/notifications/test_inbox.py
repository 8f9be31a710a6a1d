"""The inbox in the portal: the bell counts the unread on every page, the inbox lists and
filters them, opening one reads it and goes to its object (never off the portal), one or all
are marked read, and another user's notification is a 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db

MESSAGE = _("Order %(order)s was issued to you.")


def tell(user, order="MGYY-2026-003-001", url="/orders/1/"):
    (notification,) = notify(
        "order_issued", [user], message=MESSAGE, params={"order": order}, url=url
    )
    return notification


def test_the_bell_counts_the_unread(client, vendor_pm):
    client.force_login(vendor_pm)
    page = client.get("/orders/").content.decode()
    assert 'aria-label="通知（0 条未读）"' in page
    assert '<span class="bell-count" hidden>0</span>' in page

    tell(vendor_pm)
    tell(vendor_pm, "MGYY-2026-003-002")
    page = client.get("/orders/").content.decode()
    assert 'aria-label="通知（2 条未读）"' in page
    assert '<span class="bell-count">2</span>' in page


def test_the_bell_costs_one_query(client, vendor_pm):
    """One count of the user's unread, on any page; none for the logged-out login page."""
    tell(vendor_pm)
    client.force_login(vendor_pm)
    for url in ("/orders/", "/notifications/preferences/"):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        assert "通知（1 条未读）" in page
        bells = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
        assert len(bells) == 1 and "COUNT(*)" in bells[0], url
    client.logout()
    with CaptureQueriesContext(connection) as captured:
        client.get("/login/")
    assert not [q for q in captured if "notifications_notification" in q["sql"]]


def test_the_inbox_marks_the_unread_and_filters(client, vendor_pm, other_vendor_pm):
    first = tell(vendor_pm, "MGYY-2026-003-001")
    tell(vendor_pm, "MGYY-2026-003-002")
    tell(other_vendor_pm, "MGYY-2026-002-001")
    first.read_at = first.created_at
    first.save()
    client.force_login(vendor_pm)

    page = client.get("/notifications/")
    rows = list(page.context["page"])
    assert [n.text for n in rows] == [
        "订单 MGYY-2026-003-002 已向贵方下达。",
        "订单 MGYY-2026-003-001 已向贵方下达。",
    ]
    html = page.content.decode()
    assert html.count('class="unread"') == 1 and html.count('class="read"') == 1
    assert f'action="/notifications/{first.pk}/open/"' in html

    unread = client.get("/notifications/?unread=true").context["page"]
    assert [n.text for n in unread] == ["订单 MGYY-2026-003-002 已向贵方下达。"]
    read = client.get("/notifications/?unread=false").context["page"]
    assert [n.pk for n in read] == [first.pk]


def test_the_empty_inbox_says_so(client, vendor_pm):
    client.force_login(vendor_pm)
    assert "还没有要告诉您的事" in client.get("/notifications/").content.decode()
    assert "没有未读通知" in client.get("/notifications/?unread=1").content.decode()


def test_the_inbox_pages(client, vendor_pm):
    for number in range(3):
        tell(vendor_pm, f"N{number}")
    client.force_login(vendor_pm)
    page = client.get("/notifications/?page_size=2&unread=true")
    assert len(page.context["page"]) == 2
    assert "?page_size=2&unread=true&page=2" in page.content.decode()
    assert len(client.get("/notifications/?page_size=2&unread=true&page=2").context["page"]) == 1


def test_opening_one_reads_it_and_goes_to_its_object(client, vendor_pm):
    notification = tell(vendor_pm, url="/orders/7/")
    client.force_login(vendor_pm)
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None  # a link from elsewhere changes nothing
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/orders/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_a_link_off_the_portal_goes_to_the_inbox(client, vendor_pm, url):
    notification = tell(vendor_pm, url=url)
    client.force_login(vendor_pm)
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"


def test_one_and_all_are_marked_read(client, vendor_pm, other_vendor_pm):
    one, two, three = tell(vendor_pm), tell(vendor_pm), tell(vendor_pm)
    theirs = tell(other_vendor_pm)
    client.force_login(vendor_pm)

    response = client.post(
        f"/notifications/{one.pk}/read/", {"next": "/notifications/?unread=true"}
    )
    assert response["Location"] == "/notifications/?unread=true"
    assert list(Notification.objects.unread().filter(user=vendor_pm)) == [three, two]

    response = client.post(
        "/notifications/read-all/", {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain == [("/notifications/", 302)]
    assert "已将 2 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.unread().filter(user=vendor_pm).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(f"/notifications/{one.pk}/read/").status_code == 405


def test_another_users_notification_is_404(client, vendor_pm, other_vendor_pm):
    theirs = tell(other_vendor_pm)
    client.force_login(vendor_pm)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_pages_need_a_login(client):
    assert client.get("/notifications/")["Location"].startswith("/login/")
    assert client.get("/notifications/preferences/")["Location"].startswith("/login/")
