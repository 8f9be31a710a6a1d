"""One month walked through the services as its users act (issue 23's acceptance test): the
order issued, October's log submitted and approved, its score published and confirmed, the
sheet computed, confirmed by the vendor and signed by the buyer, the invoice recorded and the
sheet paid. After each step exactly the users whose turn it is are told, in the inbox and by
mail: the vendor's PMs and the buyer's procurement or finance, never the actor, another vendor's
PM or another buyer's staff. One vendor PM reads a daily digest (no mail at once, one digest
mail at the end); another turned every kind off and is told nothing.

The figures, by hand: 10 senior 产品/平台服务 days at 900.00 = 9,000.00; scored 45 of 50 for
quality and full marks elsewhere (95): 9,000.00 × 95 / 100 = 8,550.00 payable; excl. 8,550.00 /
1.06 = 8,066.037… → 8,066.04, tax 483.96. Signed on Monday 2 November 2026, the invoice is due
10 working days later (November 2026 has no holiday): 16 November.
"""

from datetime import date
from decimal import Decimal

import pytest

from assessment.services import assessment_confirm
from core.models import Organization, User
from demo.common import published_score
from finance.models import Invoice
from finance.services import invoice_record, payment_record
from notifications.kinds import KINDS
from notifications.models import Channel, Notification, Preference
from notifications.services import mail_digests
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.factories import BuyerFactory, UserFactory
from tests.worklogs.conftest import member
from worklogs.lines import LineInput
from worklogs.services import worklog_approve, worklog_open, worklog_save, worklog_submit

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)
PORTAL = "http://portal.example.cn"


@pytest.fixture
def people(buyer, vendor, procurement, finance, vendor_pm, other_vendor_pm):
    """The buyer's procurement and finance and the vendor's PM, each with an email; a second
    PM who reads the digest, a third who turned everything off; a PM of another vendor and the
    staff of another buyer, who must hear nothing."""
    for user in (procurement, finance, vendor_pm, other_vendor_pm):
        user.email = f"{user.username}@example.cn"
        user.save()
    digest = UserFactory(
        username="pm_digest", role=User.Role.VENDOR_PM, organization=vendor, email="d@example.cn"
    )
    off = UserFactory(
        username="pm_off", role=User.Role.VENDOR_PM, organization=vendor, email="o@example.cn"
    )
    for user, channel in ((digest, Channel.DIGEST), (off, Channel.OFF)):
        Preference.objects.bulk_create(
            Preference(user=user, kind=kind, channel=channel) for kind in KINDS
        )
    elsewhere = BuyerFactory(name="另一采购方")
    for role in (User.Role.PROCUREMENT, User.Role.FINANCE):
        UserFactory(role=role, organization=elsewhere, email=f"{role}@elsewhere.cn")
    Organization.objects.filter(pk=buyer.pk).update(tax_id="91440300MA5F000001")
    Organization.objects.filter(pk=vendor.pk).update(tax_id="91440300MA5F000002")


@pytest.fixture
def walk(settings, eager, mailoutbox, django_capture_on_commit_callbacks):
    """walk(action): runs one user's action as a request would (its on-commit tasks run, Celery
    eager) and answers who was told: [(username, kind)] in the inbox and the addresses mailed,
    each sorted."""
    settings.PORTAL_URL = PORTAL
    last = [0]  # the newest notification seen

    def step(action):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        new = Notification.objects.filter(pk__gt=last[0]).select_related("user")
        last[0] = max([last[0], *(n.pk for n in new)])
        told = sorted((n.user.username, n.kind) for n in new)
        mailed = sorted(address for mail in mailoutbox for address in mail.to)
        return result, told, mailed, {n.user.username: n for n in new}

    return step


def test_one_month_tells_each_user_exactly_their_turns(
    people, active_contract, procurement, finance, vendor_pm, clock, walk, mailoutbox
):
    clock(date(2026, 11, 2))  # a Monday
    order = order_create(
        contract=active_contract,
        name="运营支撑",
        service_start=date(2026, 2, 1),
        service_end=date(2026, 12, 31),
        lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "100"}],
    )
    worker = member(active_contract, 1)
    Notification.objects.all().delete()  # the roster's own notices are test_events'

    order, told, mailed, by_user = walk(lambda: order_issue(order=order, actor=procurement))
    assert told == [("pm", "order_issued"), ("pm_digest", "order_issued")]
    assert mailed == ["pm@example.cn"]
    assert by_user["pm"].text == f"订单 {order.number}（运营支撑）已下达给贵方。"
    assert by_user["pm"].url == f"/orders/{order.pk}/"
    (mail,) = mailoutbox
    assert by_user["pm"].text in mail.subject
    assert f"{PORTAL}/orders/{order.pk}/" in mail.body

    log = worklog_open(order=order, month=OCTOBER)
    worklog_save(log=log, lines=[LineInput(worker.pk, Decimal("10"), worker.name)])
    log, told, mailed, by_user = walk(lambda: worklog_submit(log=log))
    assert told == [("caigou", "log_submitted")]
    assert mailed == ["caigou@example.cn"]
    assert by_user["caigou"].text == f"{order.number} 的 2026-10 工作量记录已提交，待审批。"
    assert by_user["caigou"].url == f"/orders/{order.pk}/worklog/2026-10/"

    log, told, mailed, _ = walk(lambda: worklog_approve(log=log, actor=procurement))
    assert (told, mailed) == ([], [])  # approved: nothing is anybody's to do yet

    score, told, mailed, by_user = walk(
        lambda: published_score(order, OCTOBER, "45", [], procurement)
    )
    assert told == [("pm", "score_published"), ("pm_digest", "score_published")]
    assert mailed == ["pm@example.cn"]
    assert (
        by_user["pm"].text == f"{order.number} 的 2026-10 考核得分已发布：95 分，请确认或提出异议。"
    )

    score, told, mailed, _ = walk(lambda: assessment_confirm(assessment=score, actor=vendor_pm))
    assert (told, mailed) == ([], [])

    _, told, mailed, by_user = walk(lambda: settlements_compute(month=OCTOBER))
    sheet = SettlementSheet.objects.get(order=order, month=OCTOBER)
    assert told == [("pm", "sheet_to_confirm"), ("pm_digest", "sheet_to_confirm")]
    assert mailed == ["pm@example.cn"]
    assert by_user["pm"].text == (
        f"结算单 {order.number} 2026-10 已生成：应付 8,550.00 元，待贵方确认。"
    )
    assert by_user["pm"].url == f"/settlements/{sheet.pk}/"

    _, told, mailed, _ = walk(lambda: settlements_compute(month=OCTOBER))
    assert (told, mailed) == ([], [])  # computed again, unchanged: nobody is told twice

    sheet, told, mailed, by_user = walk(lambda: sheet_confirm(sheet=sheet, actor=vendor_pm))
    assert told == [("caigou", "sheet_to_sign")]
    assert mailed == ["caigou@example.cn"]
    assert by_user["caigou"].text == (
        f"乙方已确认结算单 {order.number} 2026-10（8,550.00 元），待签署。"
    )

    sheet, told, mailed, by_user = walk(lambda: sheet_confirm(sheet=sheet, actor=procurement))
    assert told == [
        ("caiwu", "sheet_signed"),
        ("pm", "sheet_signed"),
        ("pm_digest", "sheet_signed"),
    ]
    assert mailed == ["caiwu@example.cn", "pm@example.cn"]
    assert by_user["caiwu"].text == (
        f"结算单 {order.number} 2026-10 已签署：应付 8,550.00 元，发票须于 2026-11-16 前开具。"
    )

    clock(date(2026, 11, 3))
    invoice, told, mailed, by_user = walk(
        lambda: invoice_record(
            actor=vendor_pm,
            sheets=[sheet],
            kind=Invoice.Kind.SPECIAL,
            number="26442000000012345678",
            issued_on=date(2026, 11, 3),
            amount_incl_tax=Decimal("8550.00"),
            amount_excl_tax=Decimal("8066.04"),
            tax_rate=Decimal("0.06"),
            tax_amount=Decimal("483.96"),
            seller_tax_id="91440300MA5F000002",
            buyer_name="咪咕音乐有限公司",
            buyer_tax_id="91440300MA5F000001",
        )
    )
    # The PM who recorded it is not told of his own act; his digest-reading colleague is.
    assert told == [("caigou", "invoice_recorded"), ("pm_digest", "invoice_recorded")]
    assert mailed == ["caigou@example.cn"]
    assert by_user["caigou"].text == (
        f"发票 26442000000012345678 已登记，金额 8,550.00 元，对应结算单 {order.number} 2026-10"
    )
    assert by_user["caigou"].url == f"/invoices/{invoice.pk}/"

    clock(date(2026, 11, 20))
    _, told, mailed, by_user = walk(
        lambda: payment_record(
            actor=finance, sheet=sheet, paid_on=date(2026, 11, 20), amount=Decimal("8550.00")
        )
    )
    assert told == [("pm", "payment_made"), ("pm_digest", "payment_made")]
    assert mailed == ["pm@example.cn"]
    assert by_user["pm"].text == f"结算单 {order.number} 2026-10 已于 2026-11-20 付款 8,550.00 元。"
    sheet.refresh_from_db()
    assert sheet.status == SettlementSheet.Status.PAID

    # The whole month in each inbox, oldest first.
    def inbox(username):
        return list(
            Notification.objects.filter(user__username=username)
            .order_by("pk")
            .values_list("kind", flat=True)
        )

    assert inbox("pm") == [
        "order_issued",
        "score_published",
        "sheet_to_confirm",
        "sheet_signed",
        "payment_made",
    ]
    assert inbox("pm_digest") == [
        "order_issued",
        "score_published",
        "sheet_to_confirm",
        "sheet_signed",
        "invoice_recorded",
        "payment_made",
    ]
    assert inbox("caigou") == ["log_submitted", "sheet_to_sign", "invoice_recorded"]
    assert inbox("caiwu") == ["sheet_signed"]
    assert inbox("pm_off") == []
    assert inbox("pm2") == []  # another vendor's PM
    assert not Notification.objects.filter(user__organization__name="另一采购方").exists()

    # The digest reader gets the month in one mail; nobody else gets a digest.
    mailoutbox.clear()
    assert mail_digests() == 1
    (digest,) = mailoutbox
    assert digest.to == ["d@example.cn"]
    assert "6" in digest.subject
    assert f"{PORTAL}/settlements/{sheet.pk}/" in digest.body
