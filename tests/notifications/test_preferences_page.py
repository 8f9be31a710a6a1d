"""The preferences page: every kind in its group with the four channels, the one that cannot be
turned off without "off"; a choice saved is what `notify` goes by; off for a mandatory kind is
refused with a message naming it, and nothing is saved."""

import pytest

from notifications.kinds import KINDS
from notifications.models import Channel, Preference

pytestmark = pytest.mark.django_db


def test_every_kind_with_its_channels(client, vendor_pm):
    Preference.objects.create(user=vendor_pm, kind="log_due", channel=Channel.DIGEST)
    client.force_login(vendor_pm)
    page = client.get("/notifications/preferences/")
    (handoffs, handoff_rows), (reminders, reminder_rows) = page.context["groups"]
    assert (handoffs, reminders) == ("移交给您的工作", "截止日期提醒")
    assert {row["kind"] for row in reminder_rows} == {
        "log_due",
        "approval_waiting",
        "signature_waiting",
        "invoice_missing",
        "payment_due",
        "payment_overdue",
        "ceiling_used",
        "contract_ending",
        "rectification_due",
    }
    assert len(handoff_rows) + len(reminder_rows) == len(KINDS)
    html = page.content.decode()
    assert html.count('type="radio"') == 4 * len(KINDS) - 1  # no "off" for the bank account
    assert 'name="bank_account_changed" value="off"' not in html
    assert (
        'name="log_due" value="digest" '
        'aria-label="工作量记录即将截止提交：门户内，并汇入每日摘要邮件" checked' in html
    )
    assert 'name="order_issued" value="email"' in html and "不可关闭" in html


def test_a_choice_is_saved(client, vendor_pm):
    client.force_login(vendor_pm)
    response = client.post(
        "/notifications/preferences/",
        {"log_due": "digest", "order_issued": "off", "bank_account_changed": "portal"},
        follow=True,
    )
    assert response.redirect_chain == [("/notifications/preferences/", 302)]
    assert "通知设置已保存。" in response.content.decode()
    assert dict(Preference.objects.filter(user=vendor_pm).values_list("kind", "channel")) == {
        "log_due": "digest",
        "order_issued": "off",
        "bank_account_changed": "portal",
    }


def test_a_mandatory_kind_cannot_be_turned_off(client, vendor_pm):
    client.force_login(vendor_pm)
    response = client.post(
        "/notifications/preferences/", {"log_due": "digest", "bank_account_changed": "off"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“收款银行账户变更”不能关闭。" in html
    assert 'id="kind-bank_account_changed" class="has-error"' in html
    assert not Preference.objects.exists()


def test_a_channel_that_is_none_is_refused(client, vendor_pm):
    client.force_login(vendor_pm)
    response = client.post("/notifications/preferences/", {"log_due": "fax"})
    assert response.status_code == 400
    assert "请选择有效的接收方式。" in response.content.decode()
    assert not Preference.objects.exists()
