from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.bank_accounts import bank_account_changes_to_confirm
from core.calendar import calendar_findings, calendar_year, provisional_years
from core.dates import add_months
from core.models import User
from core.templatetags.money import money_with_sign as money
from kpi.models import KpiReport
from kpi.selectors import missing_reports, reports_with_status
from kpi.services import first_month
from orders.models import Order
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
    """A kind of waiting object; `url` is the list filtered to them, `bulk_url` the page that
    acts on many at once."""

    title: str
    items: list[Item] = field(default_factory=list)
    url: str = ""
    bulk_url: str = ""

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


def _sheet_item(sheet, detail="", late=False):
    return Item(str(sheet), f"/settlements/{sheet.pk}/", detail, late)


def _past(deadline, today) -> bool:
    return deadline is not None and deadline < today


def _score_url(assessment) -> str:
    """A KPI period's score is on the order's KPI page, a month's on its own page."""
    if assessment.period_months != 1:
        return f"/orders/{assessment.order_id}/kpi/"
    return f"/orders/{assessment.order_id}/assessment/{assessment.month:%Y-%m}/"


def _fixed_price_orders(user):
    return (
        Order.objects.visible_to(user)
        .filter(
            contract__settlement_mode=FrameworkContract.SettlementMode.FIXED_MILESTONE,
            status__in=[*Order.OPEN, Order.Status.COMPLETED],
        )
        .prefetch_related("payment_plan")
    )


def _kpi_periods_to_score(user) -> list[Item]:
    """004: a period its milestone rests on waits for procurement's score once every month of
    it has an approved report and no score has been published for it yet."""
    orders = list(_fixed_price_orders(user))
    approved = {}
    for order_id, month in KpiReport.objects.filter(
        order__in=orders, status=KpiReport.Status.APPROVED
    ).values_list("order_id", "month"):
        approved.setdefault(order_id, set()).add(month)
    scored = set(
        Assessment.objects.filter(order__in=orders, period_months__gt=1)
        .exclude(status=Assessment.Status.DRAFT)
        .values_list("order_id", "period_months")
    )
    items = []
    for order in orders:
        start = first_month(order)
        for months in sorted({i.assessed_months for i in order.payment_plan.all()} - {None}):
            period = {add_months(start, n) for n in range(months)}
            if (order.pk, months) not in scored and period <= approved.get(order.pk, set()):
                items.append(
                    Item(
                        str(order),
                        f"/orders/{order.pk}/kpi/",
                        _("%(months)s months from %(start)s")
                        % {"months": months, "start": f"{start:%Y-%m}"},
                    )
                )
    return items


def _milestones_to_settle(user, today: date) -> list[Item]:
    """004: a milestone whose month has come, without a sheet yet, and whose KPI period (if it
    rests on one) has a confirmed score: procurement computes its sheet."""
    orders = list(_fixed_price_orders(user))
    settled = set(
        SettlementSheet.objects.filter(
            order__in=orders, payment_item__isnull=False, adjusts__isnull=True
        ).values_list("payment_item_id", flat=True)
    )
    confirmed = set(
        Assessment.objects.filter(
            order__in=orders, period_months__gt=1, status=Assessment.Status.CONFIRMED
        ).values_list("order_id", "period_months")
    )
    items = []
    for order in orders:
        for item in order.payment_plan.all():
            if item.due_after_months is None or item.pk in settled:
                continue
            due = add_months(first_month(order), item.due_after_months)
            ready = item.assessed_months is None or (order.pk, item.assessed_months) in confirmed
            if due <= today and ready:
                items.append(
                    Item(
                        f"{order} · {item.stage}",
                        f"/orders/{order.pk}/kpi/",
                        _("due in %(month)s") % {"month": f"{due:%Y-%m}"},
                    )
                )
    return items


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
        contracts_draft = FrameworkContract.objects.visible_to(user).filter(
            status=FrameworkContract.Status.DRAFT
        )
        orders_draft = Order.objects.visible_to(user).filter(status=Order.Status.DRAFT)
        disputed = (
            Assessment.objects.visible_to(user)
            .filter(status=Assessment.Status.DISPUTED)
            .select_related("order")
        )
        exceptions = staff_list(user=user).filter(status=StaffMember.Status.PENDING)
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
                _("Draft contracts to activate"),
                [Item(str(c), f"/contracts/{c.pk}/") for c in contracts_draft],
                "/contracts/?status=draft",
            ),
            Todo(
                _("Draft orders to issue"),
                [
                    Item(str(o), f"/orders/{o.pk}/", f"{o.service_start} – {o.service_end}")
                    for o in orders_draft
                ],
                "/orders/?status=draft",
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
                "/worklogs/?status=submitted",
                reverse("worklog-approve-many"),
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
            Todo(_("KPI periods to score"), _kpi_periods_to_score(user)),
            Todo(
                _("Disputed scores to answer"),
                [Item(str(a), _score_url(a), a.dispute_reason) for a in disputed],
            ),
            Todo(_("Milestones to settle"), _milestones_to_settle(user, today)),
            Todo(
                _("Sheets to sign"),
                [
                    _sheet_item(s, money(s.payable_incl_tax))
                    for s in sheets.filter(status=SettlementSheet.Status.VENDOR_CONFIRMED)
                ],
                "/settlements/?status=vendor_confirmed",
                reverse("sheet-sign-many"),
            ),
            Todo(
                _("Staff exceptions to approve"),
                [Item(str(m), f"/staff/{m.pk}/", m.qualification_issue) for m in exceptions],
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
                _("Scores to confirm or dispute"),
                [Item(str(a), _score_url(a), f"{a.total_score}") for a in scores],
            ),
            Todo(
                _("Sheets to confirm"),
                [
                    _sheet_item(s, money(s.payable_incl_tax))
                    for s in sheets.filter(status=SettlementSheet.Status.DRAFT)
                ],
                "/settlements/?status=draft",
            ),
            Todo(
                _("Invoices due"),
                [
                    _sheet_item(s, _due(s.invoice_due_by, years), _past(s.invoice_due_by, today))
                    for s in sheets.filter(status=SettlementSheet.Status.SIGNED)
                ],
                "/settlements/?status=signed",
            ),
            Todo(
                _("Staff leaving without a replacement"),
                [Item(str(m), f"/staff/{m.pk}/", f"{m.end_date or ''}") for m in leaving],
            ),
        ]
    else:
        todos = []
    if user.has_role(User.Role.FINANCE) and not user.is_vendor:
        # A signed sheet waits on the vendor's invoice (sheet_invoice is the vendor's), so it
        # is the vendor's to-do, not finance's: finance acts once the invoice is in.
        todos += [
            Todo(
                _("Invoices to pay"),
                [
                    _sheet_item(s, _due(s.payment_due_by, years), _past(s.payment_due_by, today))
                    for s in sheets.filter(status=SettlementSheet.Status.INVOICED)
                ],
                "/settlements/?status=invoiced",
            ),
            Todo(
                _("Overdue payments"),
                [
                    _sheet_item(s, _due(s.payment_due_by, years), True)
                    for s in sheets.filter(
                        status=SettlementSheet.Status.INVOICED, payment_due_by__lt=today
                    )
                ],
            ),
        ]
    return todos
