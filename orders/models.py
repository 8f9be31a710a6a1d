from datetime import date
from functools import cached_property
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.models import Document
from contracts.models import FrameworkContract, RateCardLine, money_field
from core.calendar import add_workdays
from core.dates import add_months
from core.models import User
from core.money import ZERO
from core.states import Flow, Step
from core.writes import AnnouncedWritesQuerySet


class OrderQuerySet(AnnouncedWritesQuerySet):
    def visible_to(self, user):
        """The buyer side sees its contracts' orders; a vendor those issued to it."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(contract__vendor_id=user.organization_id).exclude(
                status=Order.Status.DRAFT
            )
        return self.filter(contract__buyer_id=user.organization_id)


class Order(models.Model):
    """A commissioned order (委托订单, 附件6) under a framework contract."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        IN_SERVICE = "in_service", _("In service")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        TERMINATED = "terminated", _("Terminated")

    OPEN = (Status.ISSUED, Status.IN_SERVICE)

    # Issuing an order whose service period has begun starts it at once (orders.services).
    flow = Flow(
        Step("issue", (Status.DRAFT,), Status.ISSUED, (User.Role.PROCUREMENT,)),
        Step("start", (Status.ISSUED,), Status.IN_SERVICE, ()),
        Step("complete", OPEN, Status.COMPLETED, (User.Role.PROCUREMENT,)),
        Step("cancel", (Status.DRAFT, *OPEN), Status.CANCELLED, (User.Role.PROCUREMENT,)),
        # 7.2: procurement gives the notice (`Termination`); the step is taken on its date.
        Step("terminate", OPEN, Status.TERMINATED, (User.Role.PROCUREMENT,)),
    )

    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="orders", verbose_name=_("contract")
    )
    number = models.CharField(_("order number"), max_length=80, editable=False)
    batch = models.PositiveIntegerField(_("batch"), editable=False)
    name = models.CharField(_("order name"), max_length=200)
    service_start = models.DateField(_("service start"))
    service_end = models.DateField(_("service end"))
    buyer_contact_name = models.CharField(_("buyer contact"), max_length=50, blank=True)
    buyer_contact_phone = models.CharField(_("buyer contact phone"), max_length=30, blank=True)
    buyer_contact_email = models.EmailField(_("buyer contact email"), blank=True)
    vendor_contact_name = models.CharField(_("vendor contact"), max_length=50, blank=True)
    vendor_contact_phone = models.CharField(_("vendor contact phone"), max_length=30, blank=True)
    vendor_contact_email = models.EmailField(_("vendor contact email"), blank=True)
    service_items = models.TextField(_("service items"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    commissioned_content = models.TextField(_("commissioned content"), blank=True)
    assessment_and_settlement = models.TextField(
        _("assessment and settlement"), blank=True, default="按照框架协议执行"
    )
    special_notes = models.TextField(_("special notes"), blank=True)
    planned_amount = money_field(_("planned amount"), default=ZERO, editable=False)
    executed_amount_at_issue = money_field(
        _("contract's executed amount at issue"), null=True, blank=True, editable=False
    )
    # What the settlements of this order have paid so far (kept by orders/ledger.py alone).
    settled_total = money_field(_("settled total"), default=ZERO, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    # The last day of service of an order closed by a termination (its own or its contract's).
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Its papers in the archive, 附件6's attachments among them (for prefetching).
    documents = GenericRelation(Document)

    history = HistoricalRecords()
    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("commissioned order")
        verbose_name_plural = _("commissioned orders")
        constraints = [
            models.UniqueConstraint(fields=["contract", "batch"], name="one_batch_number"),
            models.CheckConstraint(
                condition=models.Q(service_end__gte=models.F("service_start")),
                name="order_service_period",
            ),
            # Adjustments never take back more than was paid.
            models.CheckConstraint(
                condition=models.Q(settled_total__gte=0), name="order_settled_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def ended_on(self):
        """The last day of work when a termination closed the order or its contract."""
        days = [d for d in (self.terminated_on, self.contract.terminated_on) if d is not None]
        return min(days, default=None)

    @property
    def reserved_amount(self):
        """What this order still holds of the ceiling: SPEC §3, planned − settled."""
        return max(self.planned_amount - self.settled_total, ZERO) if self.is_open else ZERO


class LedgerEntry(models.Model):
    """One movement of a contract's money, written by orders/ledger.py with the counters it
    moves: the contract's and the order's counters are the sums of their entries."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        RESERVE = "reserve", _("Reserved at issue")
        RELEASE = "release", _("Released at closing")
        SETTLE = "settle", _("Settled at signature")
        ADJUST = "adjust", _("Adjustment signed")

    contract = models.ForeignKey(
        FrameworkContract,
        models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("contract"),
    )
    order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        related_name="ledger_entries",
        verbose_name=_("order"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reference = models.CharField(_("document"), max_length=100, blank=True)
    settled_change = money_field(_("settled change"))
    committed_change = money_field(_("committed change"))
    settled_after = money_field(_("contract settled after"))
    committed_after = money_field(_("contract committed after"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.contract_id} {self.get_kind_display()} {self.reference}"

    @property
    def settled_before(self):
        return self.settled_after - self.settled_change

    @property
    def committed_before(self):
        return self.committed_after - self.committed_change


class OrderLine(models.Model):
    """A planned line: role and level, person-days, at the price in force on the service start."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="lines", verbose_name=_("order"))
    role = models.CharField(_("role"), max_length=100)
    level = models.CharField(
        _("level"), max_length=4, choices=RateCardLine.Level.choices, blank=True
    )
    planned_quantity = models.DecimalField(_("planned quantity"), max_digits=10, decimal_places=1)
    unit_price_incl_tax = money_field(_("unit price incl. tax"))
    planned_amount = money_field(_("planned amount"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self):
        return f"{self.role} {self.level} × {self.planned_quantity}"


class PaymentPlanItem(models.Model):
    class SettleRule(models.TextChoices):
        """004 考核条款 2 read two ways: a milestone resting on a KPI period is paid on its date
        and the difference settled once the period is scored below 90% (as 004's 40% reads),
        or it waits for the period's confirmed score."""

        TRUE_UP = "true_up", _("Pay on its date, then true up")
        HOLD = "hold", _("Hold until the assessment")

    FIELDS = [
        "stage",
        "condition",
        "amount_incl_tax",
        "ratio",
        "note",
        "due_after_months",
        "assessed_months",
        "settle_rule",
    ]
    # 004 商务条件 一: each payment falls due 7 working days after its date (签订合同后7个工作日内).
    DUE_WORKDAYS = 7

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="payment_plan", verbose_name=_("order")
    )
    stage = models.CharField(_("payment stage"), max_length=100)
    condition = models.CharField(_("payment condition"), max_length=300, blank=True)
    amount_incl_tax = money_field(_("amount incl. tax"))
    ratio = models.DecimalField(_("ratio"), max_digits=5, decimal_places=4)
    # A milestone of a fixed-price contract (004): due so many months after the contract's
    # signing (`due_on`), and paid on the KPI roll-up of its first `assessed_months` when it
    # has one.
    due_after_months = models.PositiveSmallIntegerField(
        _("due after months"), null=True, blank=True
    )
    assessed_months = models.PositiveSmallIntegerField(
        _("assessed over months"),
        null=True,
        blank=True,
        help_text=_("The KPI period the payment rests on (6: the half-year, 12: the year)."),
    )
    note = models.CharField(_("stage note"), max_length=300, blank=True)
    settle_rule = models.CharField(
        _("settle rule"),
        max_length=10,
        choices=SettleRule.choices,
        default=SettleRule.TRUE_UP,
        help_text=_(
            "A milestone with a KPI period: paid on its date and trued up once the "
            "period is scored, or held until then."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("payment plan item")
        verbose_name_plural = _("payment plan")

    def __str__(self):
        return self.stage

    @cached_property
    def payable_from(self) -> date | None:
        """The day the milestone may be paid from (合同满10个月后): the contract's signing day
        moved on `due_after_months` calendar months (民法典 202: the same day of the month, or
        its last day; 2025-11-20 + 10 → 2026-09-20). None: no date. Its sheet is computed, and
        procurement told, from this day; `due_on` is the deadline."""
        if self.due_after_months is None:
            return None
        return add_months(self.order.contract.signed_on, self.due_after_months)

    @cached_property
    def due_on(self) -> date | None:
        """004 商务条件 一 (合同满10个月后7个工作日内): 7 working days after `payable_from` on
        the portal's calendar, counted from the next day (民法典 201: the first day is not
        counted). None: no date. Cached: a list asks it of each row more than once, and each
        count reads the calendar."""
        if self.payable_from is None:
            return None
        return add_workdays(self.payable_from, self.DUE_WORKDAYS)

    @property
    def holds_for_score(self) -> bool:
        """A milestone resting on a KPI period that waits for the period's confirmed score."""
        return bool(self.assessed_months) and self.settle_rule == self.SettleRule.HOLD


class AcceptanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Seen by who sees the order (`Order.objects.visible_to`)."""
        if user.sees_everything:
            return self
        return self.filter(order__in=Order.objects.visible_to(user))

    def current(self):
        return self.filter(status=Acceptance.Status.ACCEPTED)


class Acceptance(models.Model):
    """验收: procurement accepts what an order delivered in a month (a person-day or per-item
    order) or for a milestone (004's payment plan), with a note and its record attached in the
    archive. 002's months and 004's milestones are signed only once accepted
    (`settlement.kinds`); a withdrawal, with its reason, is possible until the sheet resting
    on it is signed (`locked_at`)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Never once the sheet resting on it is signed (`locked_at`).
    flow = Flow(
        Step(
            "withdraw",
            (Status.ACCEPTED,),
            Status.WITHDRAWN,
            (User.Role.PROCUREMENT,),
            guard=lambda acceptance: acceptance.locked_at is None,
        ),
    )

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="acceptances", verbose_name=_("order")
    )
    month = models.DateField(_("month"), null=True, blank=True)
    payment_item = models.ForeignKey(
        PaymentPlanItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptances",
        verbose_name=_("milestone"),
    )
    accepted_on = models.DateField(_("accepted on"))
    note = models.TextField(_("acceptance note"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("accepted by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    withdrawn_reason = models.CharField(_("reason of the withdrawal"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    # Set when the buyer signs the sheet resting on it: from then on it is never withdrawn.
    locked_at = models.DateTimeField(_("frozen by a signed sheet at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AcceptanceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "month", "payment_item", "-created_at"]
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=False, month__day=1, payment_item__isnull=True)
                | Q(month__isnull=True, payment_item__isnull=False),
                name="acceptance_of_a_month_or_a_milestone",
            ),
            models.UniqueConstraint(
                fields=["order", "month"],
                condition=Q(status="accepted", month__isnull=False),
                name="one_acceptance_per_order_month",
            ),
            models.UniqueConstraint(
                fields=["payment_item"],
                condition=Q(status="accepted"),
                name="one_acceptance_per_milestone",
            ),
        ]

    def __str__(self):
        # Also a history row's, which has the fields but not the relations' properties.
        what = f"{self.month:%Y-%m}" if self.month else str(self.payment_item)
        return f"{self.order.number} {what}"


def attachment_path(attachment, filename):
    """Where 附件6's attachments were stored before the archive kept them: migration 0001 names
    it, and those files stay there (their archive.Document rows point at them)."""
    return f"orders/{attachment.order_id}/{PurePath(filename).name}"


class TerminationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Seen by who sees the contract (`FrameworkContract.objects.visible_to`)."""
        if user.sees_everything:
            return self
        return self.filter(contract__in=FrameworkContract.objects.visible_to(user))

    def pending(self):
        return self.filter(status__in=Termination.PENDING)


def may_answer(termination) -> bool:
    """11.5: the other side answers a notice within its days, once."""
    return (
        termination.answer_due_on is not None and timezone.localdate() <= termination.answer_due_on
    )


class Termination(models.Model):
    """解除: the end of a contract (11.1 by agreement, 11.2 or 2.10 for breach, 11.5 with 30
    days' notice) or of one order (7.2), given by procurement, in force on `effective_on`: the
    open orders close then and release what they had not settled (`orders.terminations`)."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("By agreement")
        BREACH = "breach", _("For breach")
        NOTICE = "notice", _("With notice")

    class Clause(models.TextChoices):
        C11_1 = "11.1", _("11.1 agreed by both parties")
        C11_2 = "11.2", _("11.2 breach of the agreement")
        C2_10 = "2.10", _("2.10 more than 3 failed rectifications")
        C7_2 = "7.2", _("7.2 support not performed as agreed")
        C11_5 = "11.5", _("11.5 30 days' written notice")

    class Status(models.TextChoices):
        NOTICED = "noticed", _("Noticed")
        ANSWERED = "answered", _("Answered")
        IN_EFFECT = "in_effect", _("In effect")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The clauses each kind rests on, the first the default.
    CLAUSES = {
        Kind.AGREEMENT: (Clause.C11_1,),
        Kind.BREACH: (Clause.C11_2, Clause.C2_10, Clause.C7_2),
        Kind.NOTICE: (Clause.C11_5,),
    }
    PENDING = (Status.NOTICED, Status.ANSWERED)

    flow = Flow(
        Step(
            "answer", (Status.NOTICED,), Status.ANSWERED, (User.Role.VENDOR_PM,), guard=may_answer
        ),
        Step("withdraw", PENDING, Status.WITHDRAWN, (User.Role.PROCUREMENT,)),
        # On its date, by the daily task (or at once when given for today or before).
        Step(
            "apply",
            PENDING,
            Status.IN_EFFECT,
            (),
            guard=lambda t: t.effective_on <= timezone.localdate(),
        ),
    )

    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="terminations", verbose_name=_("contract")
    )
    # Set when one order ends (7.2); empty when the whole contract does.
    order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="terminations",
        verbose_name=_("order"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    clause = models.CharField(_("clause"), max_length=4, choices=Clause.choices)
    reason = models.TextField(_("reason"))
    noticed_on = models.DateField(_("notice given on"))
    effective_on = models.DateField(_("takes effect on"))
    answer_due_on = models.DateField(_("answer due by"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NOTICED
    )
    withdrawn_reason = models.CharField(_("reason of the withdrawal"), max_length=300, blank=True)
    # What the orders it closed still reserved, given back to the ceiling on its date.
    released_amount = money_field(_("released amount"), default=ZERO, editable=False)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = TerminationQuerySet.as_manager()

    class Meta:
        ordering = ["-noticed_on", "-id"]
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("noticed_on")),
                name="termination_not_before_notice",
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(order__isnull=True, status__in=["noticed", "answered"]),
                name="one_pending_contract_termination",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(order__isnull=False, status__in=["noticed", "answered"]),
                name="one_pending_order_termination",
            ),
        ]

    def __str__(self):
        what = self.order.number if self.order_id else self.contract.code
        return f"{what} {self.get_kind_display()} {self.effective_on}"

    @property
    def answer_overdue(self):
        return self.status == self.Status.NOTICED and not may_answer(self) and self.answer_due_on
