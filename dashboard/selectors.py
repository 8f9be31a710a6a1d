from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.bank_accounts import bank_account_changes_to_confirm
from core.calendar import calendar_findings, calendar_year, provisional_years
from core.dates import add_months
from core.models import User
from kpi.models import KpiReport
from kpi.selectors import missing_reports, reports_with_status
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list
from staffing.models import StaffMember
from staffing.selectors import staff_list
from worklogs.models import WorkLog
from worklogs.selectors import logs_returned, logs_to_review, missing_logs, worklog_list

CALENDAR_NOTICE_MONTH = 11  # the State Council's notice for next year comes in November
FINDINGS_DAYS = 30


@dataclass
class Item:
    """One line of a to-do: what, and where to act on it."""

    label: str
    url: str
    detail: str = ""
    late: bool = False


@dataclass
class Todo:
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def count(self):
        return len(self.items)


def _contracts_near_ceiling(user, share):
    """A fixed-price contract is wholly committed by design: it raises no ceiling alert."""
    contracts = (
        FrameworkContract.objects.visible_to(user)
        .filter(status=FrameworkContract.Status.ACTIVE)
        .exclude(settlement_mode=FrameworkContract.SettlementMode.FIXED_MILESTONE)
    )
    return [
        c
        for c in contracts
        if c.settled_total + c.committed_total >= c.ceiling_incl_tax * Decimal(share)
    ]


def _months_to_score(user, month):
    scored = (
        Assessment.objects.filter(month=month)
        .exclude(status=Assessment.Status.DRAFT)
        .values("order_id")
    )
    return (
        worklog_list(user=user)
        .filter(month=month, status=WorkLog.Status.APPROVED)
        .exclude(order_id__in=scored)
    )


def _sheet_item(sheet, detail=""):
    return Item(str(sheet), f"/settlements/{sheet.pk}/", detail)


def _due(day, years, before="") -> str:
    """A deadline as the to-do shows it, 暂定 when its year is provisional."""
    if day is None:
        return before
    if day.year in years:
        return before + _("due %(day)s (provisional)") % {"day": day}
    return before + _("due %(day)s") % {"day": day}


def _calendar_todos(user, today: date) -> list[Todo]:
    """SPEC §9: from 1 November the buyer publishes next year's notice; after a publication,
    what now counts differently."""
    upcoming = today.year + 1
    publish = []
    if today.month >= CALENDAR_NOTICE_MONTH and not calendar_year(upcoming).is_official:
        publish.append(
            Item(
                _("%(year)s is provisional: publish the State Council's holiday notice")
                % {"year": upcoming},
                f"/calendar/{upcoming}/",
            )
        )
    findings = calendar_findings(user=user, since=today - timedelta(days=FINDINGS_DAYS))
    return [
        Todo(_("Calendar to publish"), publish),
        Todo(
            _("To check after a calendar was published"),
            [Item(f.text, f.url, f"{f.year.year}") for f in findings],
        ),
    ]


def _bank_accounts_to_confirm(user) -> Todo:
    """Clause 4.6.3: a vendor's new account waits for this buyer's confirmation; the link goes
    to a contract with the vendor, whose page holds the buttons."""
    changes = list(bank_account_changes_to_confirm(user=user))
    contracts = dict(
        FrameworkContract.objects.visible_to(user)
        .filter(
            status=FrameworkContract.Status.ACTIVE, vendor_id__in=[c.vendor_id for c in changes]
        )
        .values_list("vendor_id", "pk")
    )
    return Todo(
        _("Bank-account changes to confirm"),
        [
            Item(
                f"{c.vendor} → {c.bank_name} {c.bank_account}",
                f"/contracts/{contracts[c.vendor_id]}/#bank-account-changes",
                _("in force from %(day)s at the earliest") % {"day": c.effective_on},
            )
            for c in changes
        ],
    )


def dashboard(*, user, today: date) -> list[Todo]:
    """SPEC §8: what waits for this user, with counts and links."""
    last_month = add_months(today.replace(day=1), -1)
    sheets = sheet_list(user=user)
    years = provisional_years()
    if user.has_role(User.Role.PROCUREMENT) and not user.is_vendor:
        near90 = _contracts_near_ceiling(user, "0.9")
        near80 = [c for c in _contracts_near_ceiling(user, "0.8") if c not in near90]
        ending = FrameworkContract.objects.visible_to(user).filter(
            status=FrameworkContract.Status.ACTIVE, end_date__lte=today + timedelta(days=60)
        )
        todos = [
            *_calendar_todos(user, today),
            Todo(
                _("Contracts past 90 per cent of their ceiling"),
                [Item(str(c), f"/contracts/{c.pk}/") for c in near90],
            ),
            Todo(
                _("Contracts past 80 per cent of their ceiling"),
                [Item(str(c), f"/contracts/{c.pk}/") for c in near80],
            ),
            Todo(
                _("Contracts ending within 60 days"),
                [Item(str(c), f"/contracts/{c.pk}/", f"{c.end_date}") for c in ending],
            ),
            Todo(
                _("Orders missing last month's log"),
                [
                    Item(
                        str(m.order),
                        f"/orders/{m.order.pk}/worklog/{m.month:%Y-%m}/",
                        _due(m.deadline, years, f"{m.month:%Y-%m} "),
                        m.overdue,
                    )
                    for m in missing_logs(user=user, today=today)
                ],
            ),
            Todo(
                _("Logs to approve"),
                [
                    Item(str(log), f"/orders/{log.order_id}/worklog/{log.month:%Y-%m}/")
                    for log in logs_to_review(user=user)
                ],
            ),
            Todo(
                _("KPI reports to approve"),
                [
                    Item(str(r), f"/orders/{r.order_id}/kpi/{r.month:%Y-%m}/")
                    for r in reports_with_status(user=user, status=KpiReport.Status.SUBMITTED)
                ],
            ),
            Todo(
                _("Months to score"),
                [
                    Item(str(log), f"/orders/{log.order_id}/assessment/{log.month:%Y-%m}/")
                    for log in _months_to_score(user, last_month)
                ],
            ),
            Todo(
                _("Sheets to sign"),
                [
                    _sheet_item(s)
                    for s in sheets.filter(status=SettlementSheet.Status.VENDOR_CONFIRMED)
                ],
            ),
            _bank_accounts_to_confirm(user),
        ]
    elif user.is_vendor:
        scores = (
            Assessment.objects.visible_to(user)
            .filter(status=Assessment.Status.PUBLISHED)
            .select_related("order")
        )
        leaving = staff_list(user=user).filter(
            Q(status=StaffMember.Status.LEAVING) | Q(replacement_demanded_on__isnull=False),
            replaced_by__isnull=True,
        )
        todos = [
            Todo(
                _("Logs to submit"),
                [
                    Item(
                        str(m.order),
                        f"/orders/{m.order.pk}/worklog/{m.month:%Y-%m}/",
                        _due(m.deadline, years, f"{m.month:%Y-%m} "),
                        m.overdue,
                    )
                    for m in missing_logs(user=user, today=today)
                ]
                + [
                    Item(
                        str(log),
                        f"/orders/{log.order_id}/worklog/{log.month:%Y-%m}/",
                        log.returned_reason,
                        True,
                    )
                    for log in logs_returned(user=user)
                ],
            ),
            Todo(
                _("KPI reports to submit"),
                [
                    Item(
                        str(m.order),
                        f"/orders/{m.order.pk}/kpi/{m.month:%Y-%m}/",
                        f"{m.month:%Y-%m}",
                        m.overdue,
                    )
                    for m in missing_reports(user=user, today=today)
                ]
                + [
                    Item(
                        str(r),
                        f"/orders/{r.order_id}/kpi/{r.month:%Y-%m}/",
                        r.returned_reason,
                        True,
                    )
                    for r in reports_with_status(user=user, status=KpiReport.Status.RETURNED)
                ],
            ),
            Todo(
                _("Logs waiting for approval"),
                [
                    Item(str(log), f"/orders/{log.order_id}/worklog/{log.month:%Y-%m}/")
                    for log in logs_to_review(user=user)
                ],
            ),
            Todo(
                _("Scores to confirm or dispute"),
                [
                    Item(
                        str(a),
                        f"/orders/{a.order_id}/kpi/"
                        if a.period_months != 1
                        else f"/orders/{a.order_id}/assessment/{a.month:%Y-%m}/",
                        f"{a.total_score}",
                    )
                    for a in scores
                ],
            ),
            Todo(
                _("Sheets to confirm"),
                [
                    _sheet_item(s, f"{s.payable_incl_tax}")
                    for s in sheets.filter(status=SettlementSheet.Status.DRAFT)
                ],
            ),
            Todo(
                _("Invoices due"),
                [
                    _sheet_item(s, _due(s.invoice_due_by, years))
                    for s in sheets.filter(status=SettlementSheet.Status.SIGNED)
                ],
            ),
            Todo(
                _("Staff leaving without a replacement"),
                [Item(str(m), f"/staff/{m.pk}/", f"{m.end_date or ''}") for m in leaving],
            ),
        ]
    else:
        todos = []
    if user.has_role(User.Role.FINANCE) and not user.is_vendor:
        todos += [
            Todo(
                _("Signed sheets without invoice"),
                [
                    _sheet_item(s, _due(s.invoice_due_by, years))
                    for s in sheets.filter(status=SettlementSheet.Status.SIGNED)
                ],
            ),
            Todo(
                _("Invoices to pay"),
                [
                    _sheet_item(s, _due(s.payment_due_by, years))
                    for s in sheets.filter(status=SettlementSheet.Status.INVOICED)
                ],
            ),
            Todo(
                _("Overdue payments"),
                [
                    _sheet_item(s, _due(s.payment_due_by, years))
                    for s in sheets.filter(
                        status=SettlementSheet.Status.INVOICED, payment_due_by__lt=today
                    )
                ],
            ),
        ]
    return todos
