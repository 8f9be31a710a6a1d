"""A few notifications for each demo login, so the bell and the inbox show something the day
the demo is loaded: what the demo's own history handed to each role (a log to approve, a score
to confirm, a sheet signed, an invoice recorded…), each linking to its object, the older ones
read. They are told through `notify` after the demo is loaded (which tells no one), so each
user's settings apply as to any other; running it again adds nothing."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from core.models import User
from finance.models import Invoice
from governance.models import Rectification
from kpi.models import KpiReport
from notifications.models import Notification
from notifications.services import notification_read, notify
from orders.models import Order
from settlement.models import SettlementSheet
from staffing.models import StaffMember
from worklogs.models import WorkLog

OCTOBER = date(2026, 10, 1)
LOGINS = ["caigou", "caiwu", "yunqi_pm", "xinghe_pm", "zhiyin_pm", "anyuan"]


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def _worklog(number, month):
    log = WorkLog.objects.filter(order__number=number, month=month).first()
    return log and (
        reverse("worklog-month", args=[log.order_id, _month(month)]),
        {"order": number, "month": _month(month)},
    )


def _sheet(number, month):
    sheet = SettlementSheet.objects.filter(order__number=number, month=month).first()
    return sheet and (
        reverse("sheet-detail", args=[sheet.pk]),
        {"order": number, "month": _month(month)},
    )


def _assessment(number, month):
    assessment = Assessment.objects.filter(order__number=number, month=month).first()
    return assessment and (
        reverse("assessment-month", args=[assessment.order_id, _month(month)]),
        {"order": number, "month": _month(month)},
    )


def _order(number):
    order = Order.objects.filter(number=number).first()
    return order and (reverse("order-detail", args=[order.pk]), {"order": number})


def _invoice(number):
    invoice = Invoice.objects.filter(number=number).first()
    return invoice and (
        reverse("invoice-detail", args=[invoice.pk]),
        {"invoice": number, "amount": f"{invoice.amount_incl_tax:,.2f}"},
    )


def _rectification(number, status):
    found = Rectification.objects.filter(order__number=number, status=status).first()
    return found and (
        reverse("rectification-detail", args=[found.pk]),
        {"order": number, "due": f"{found.due_on:%Y-%m-%d}"},
    )


def _staff(code, status):
    member = StaffMember.objects.filter(contract__code=code, status=status).first()
    return member and (
        reverse("staff-detail", args=[member.pk]),
        {"name": member.name, "contract": code},
    )


def _kpi(number, month):
    report = KpiReport.objects.filter(order__number=number, month=month).first()
    return report and (
        reverse("kpi-month", args=[report.order_id, _month(month)]),
        {"order": number, "month": _month(month)},
    )


def _stories():
    """(login, kind, message, (url, params) or None when the demo lacks the object, read)."""
    return [
        # 张采购, procurement: two logs to approve, an answer to judge, a newcomer to approve.
        ("caigou", "staff_approval_requested",
         _("%(name)s awaits approval for %(contract)s."),
         _staff("MGYY-2026-003", "pending"), True),
        ("caigou", "log_submitted",
         _("The work log of %(order)s for %(month)s was submitted for approval."),
         _worklog("MGYY-2026-002-001", OCTOBER), False),
        ("caigou", "log_submitted",
         _("The work log of %(order)s for %(month)s was submitted for approval."),
         _worklog("MGYY-2026-003-001", OCTOBER), False),
        ("caigou", "rectification_answered",
         _("The vendor answered the rectification request on %(order)s; accept it or record it "
           "as failed."),
         _rectification("MGYY-2026-003-001", "answered"), False),
        # 陈财务, finance: signed sheets to expect invoices for, a payment falling due.
        ("caiwu", "sheet_signed",
         _("The settlement sheet of %(order)s for %(month)s was signed."),
         _sheet("MGYY-2026-002-001", date(2026, 8, 1)), True),
        ("caiwu", "sheet_signed",
         _("The settlement sheet of %(order)s for %(month)s was signed."),
         _sheet("MGYY-2026-003-001", date(2026, 8, 1)), False),
        ("caiwu", "payment_due",
         _("Invoice %(invoice)s (%(amount)s yuan) is not fully paid yet."),
         _invoice("INV20260701"), False),
        # 李项目, 云启's PM: the order, a payment, a score to confirm, a request to answer.
        ("yunqi_pm", "order_issued",
         _("Order %(order)s was issued to you."),
         _order("MGYY-2026-003-001"), True),
        ("yunqi_pm", "payment_made",
         _("The settlement sheet of %(order)s for %(month)s was paid."),
         _sheet("MGYY-2026-003-001", date(2026, 6, 1)), True),
        ("yunqi_pm", "rectification_requested",
         _("A rectification was requested on %(order)s, due %(due)s."),
         _rectification("MGYY-2026-003-001", "open"), False),
        ("yunqi_pm", "score_published",
         _("The score of %(order)s for %(month)s was published; confirm or dispute it."),
         _assessment("MGYY-2026-003-001", OCTOBER), False),
        # 王项目, 星河's PM on 004: the order, a payment, an invoice recorded.
        ("xinghe_pm", "order_issued",
         _("Order %(order)s was issued to you."),
         _order("AYQ-2025-004-001"), True),
        ("xinghe_pm", "payment_made",
         _("The settlement sheet of %(order)s for %(month)s was paid."),
         _sheet("AYQ-2025-004-001", date(2025, 12, 1)), True),
        ("xinghe_pm", "invoice_recorded",
         _("Invoice %(invoice)s (%(amount)s yuan) was recorded."),
         _invoice("AYQ20260601"), False),
        # 赵项目, 智印's PM on 002: the order, a score, a signed sheet.
        ("zhiyin_pm", "order_issued",
         _("Order %(order)s was issued to you."),
         _order("MGYY-2026-002-001"), True),
        ("zhiyin_pm", "score_published",
         _("The score of %(order)s for %(month)s was published; confirm or dispute it."),
         _assessment("MGYY-2026-002-001", date(2026, 9, 1)), True),
        ("zhiyin_pm", "sheet_signed",
         _("The settlement sheet of %(order)s for %(month)s was signed."),
         _sheet("MGYY-2026-002-001", date(2026, 8, 1)), False),
        # 刘采购, the district's procurement on 004: a KPI report, an invoice recorded.
        ("anyuan", "kpi_report_submitted",
         _("The KPI report of %(order)s for %(month)s was submitted."),
         _kpi("AYQ-2025-004-001", OCTOBER), True),
        ("anyuan", "invoice_recorded",
         _("Invoice %(invoice)s (%(amount)s yuan) was recorded."),
         _invoice("AYQ20260601"), False),
    ]  # fmt: skip


@transaction.atomic
def load_notifications() -> None:
    users = {user.username: user for user in User.objects.filter(username__in=LOGINS)}
    if Notification.objects.filter(user__in=users.values()).exists():
        return
    for username, kind, message, target, read in _stories():
        if target is None or username not in users:
            continue
        url, params = target
        user = users[username]
        for notification in notify(kind, [user], message=message, params=params, url=url):
            if read:
                notification_read(notification=notification, actor=user)
