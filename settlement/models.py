from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models import Assessment
from contracts.models import FrameworkContract, RateCardLine, money_field
from core.models import Organization, User
from core.states import Flow, Step
from core.writes import AnnouncedWritesQuerySet
from kpi.models import PASS_LINE
from orders.models import Order, PaymentPlanItem
from worklogs.models import WorkLog


class SheetQuerySet(AnnouncedWritesQuerySet):
    def visible_to(self, user):
        """The buyer side (finance included) sees its contracts' sheets; a vendor its own."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(contract__vendor_id=user.organization_id)
        return self.filter(contract__buyer_id=user.organization_id)


def visibility(user) -> tuple:
    """What decides which sheets `user` sees (visible_to): users alike see the same list."""
    if user.sees_everything:
        return ("everything",)
    return ("vendor" if user.is_vendor else "buyer", user.organization_id)


class SettlementSheet(models.Model):
    """结算单 (附件7): what one order earned in one month or one milestone, or an adjustment of a
    signed sheet. Its kind says which; the kind's strategy (`settlement.kinds`) says what the
    sheet rests on and how it is shown."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Month of work")
        MILESTONE = "milestone", _("Milestone")
        ADJUSTMENT = "adjustment", _("Adjustment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VENDOR_CONFIRMED = "vendor_confirmed", _("Confirmed by the vendor")
        SIGNED = "signed", _("Signed")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")

    SIGNED_STATES = (Status.SIGNED, Status.INVOICED, Status.PAID)

    # The API's `confirm/` (and the page's) is the vendor's confirmation or the buyer's
    # signature, by who posts it.
    flow = Flow(
        Step("confirm", (Status.DRAFT,), Status.VENDOR_CONFIRMED, (User.Role.VENDOR_PM,)),
        Step(
            "sign",
            (Status.VENDOR_CONFIRMED,),
            Status.SIGNED,
            (User.Role.PROCUREMENT,),
            action="confirm",
        ),
    )
    # Signed → invoiced → paid is no step: the status sums up the sheet's invoices and payments,
    # kept by finance's services (finance.services._summarize).

    # Each kind's strategy, by kind: settlement.kinds registers them as the app loads.
    strategies: dict = {}

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONTH)

    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="sheets", verbose_name=_("contract")
    )
    order = models.ForeignKey(Order, models.PROTECT, related_name="sheets", verbose_name=_("order"))
    month = models.DateField(_("month"))
    adjusts = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("adjusts"),
    )
    adjustment_reason = models.TextField(_("reason of the adjustment"), blank=True)
    worklog = models.ForeignKey(
        WorkLog,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name=_("person-day log"),
    )
    assessment = models.ForeignKey(
        Assessment,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name=_("assessment"),
    )
    # A fixed-price contract's milestone (004) instead of a month's work; `achievement` is
    # the share of its KPI baselines reached, the least of them.
    payment_item = models.ForeignKey(
        PaymentPlanItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name=_("milestone"),
    )
    achievement = models.DecimalField(
        _("share of the baselines reached"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    base_amount = models.DecimalField(_("base (exact)"), max_digits=18, decimal_places=4, default=0)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=0)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4, default=0)
    uncapped_incl_tax = money_field(_("before the ceiling"), default=0)
    # The decided penalties and refunds the sheet offsets (governance.Penalty.offset_sheet).
    deductions_incl_tax = money_field(_("deductions (penalties, refunds)"), default=0)
    payable_incl_tax = money_field(_("payable incl. tax"), default=0)
    payable_excl_tax = money_field(_("payable excl. tax"), default=0)
    tax_amount = money_field(_("tax"), default=0)
    capped = models.BooleanField(_("cut by the ceiling"), default=False)
    vendor_confirmed_at = models.DateTimeField(
        _("confirmed by the vendor at"), null=True, blank=True
    )
    vendor_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by the vendor"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    # The contract's settled and remaining amounts as this sheet signed them (附件7 prints them).
    contract_settled_at_signing = money_field(
        _("contract settled at signing"), null=True, blank=True
    )
    contract_remaining_at_signing = money_field(
        _("contract remaining at signing"), null=True, blank=True
    )
    invoice_due_by = models.DateField(_("invoice due by"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    invoice_amount = money_field(_("invoice amount"), null=True, blank=True)
    invoiced_on = models.DateField(_("invoiced on"), null=True, blank=True)
    payment_due_by = models.DateField(_("payment due by"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = SheetQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-order_id", "id"]
        verbose_name = _("settlement sheet")
        verbose_name_plural = _("settlement sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "month"],
                condition=Q(kind="month"),
                name="one_month_sheet_per_order_month",
            ),
            models.UniqueConstraint(
                fields=["payment_item"],
                condition=Q(kind="milestone"),
                name="one_sheet_per_milestone",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="sheet_month_first_day"),
            models.CheckConstraint(
                condition=Q(kind="month", payment_item__isnull=True, adjusts__isnull=True)
                | Q(
                    kind="milestone",
                    payment_item__isnull=False,
                    adjusts__isnull=True,
                    worklog__isnull=True,
                )
                | Q(kind="adjustment", adjusts__isnull=False, payment_item__isnull=True),
                name="sheet_references_match_its_kind",
            ),
        ]

    def __str__(self):
        # Also a history row's (dashboard.activity), which has the fields but not `basis`.
        suffix = SettlementSheet.strategies[self.kind].title_suffix
        return f"{self.order.number} {self.month:%Y-%m}{suffix}"

    @property
    def basis(self):
        """The strategy of the sheet's kind: its lines, score, evidence, figures and display."""
        return self.strategies[self.kind]

    @property
    def is_signed(self):
        return self.status in self.SIGNED_STATES

    @property
    def paid_in_full(self):
        """A milestone whose KPI period reached 90% of its baselines (004)."""
        return self.achievement is not None and self.achievement >= PASS_LINE


class SheetLine(models.Model):
    """A quantity of one priced item in its unit: the month's person-days of a role and level,
    or the pieces of an item delivered (002), at the price in force on the month's first day."""

    sheet = models.ForeignKey(
        SettlementSheet, models.CASCADE, related_name="lines", verbose_name=_("settlement sheet")
    )
    # The rate card's priced item: a role for person-days, the item itself for pieces.
    item = models.CharField(_("priced item"), max_length=100)
    level = models.CharField(_("level"), max_length=4, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=1)
    unit = models.CharField(
        _("unit"),
        max_length=4,
        choices=RateCardLine.Unit.choices,
        default=RateCardLine.Unit.PERSON_DAY,
    )
    unit_price_incl_tax = money_field(_("unit price incl. tax"))
    amount = models.DecimalField(_("amount (exact)"), max_digits=18, decimal_places=4)

    objects = AnnouncedWritesQuerySet.as_manager()

    class Meta:
        ordering = ["sheet_id", "item", "level"]
        verbose_name = _("sheet line")
        verbose_name_plural = _("sheet lines")

    def __str__(self):
        return f"{self.item} {self.level} {self.quantity}"


class TaskRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A long job is followed by who started it, their organization's procurement and the
        admins: another user's job does not exist for them."""
        if user.sees_everything:
            return self
        mine = Q(user=user)
        if user.role == User.Role.PROCUREMENT and user.organization_id:
            mine |= Q(organization_id=user.organization_id)
        return self.filter(mine)


class TaskRun(models.Model):
    """Who started a long job (a Celery task), recorded as it is queued; a job of Celery beat's
    has no one (its runs are the admins' to follow)."""

    task_id = models.CharField(_("task ID"), max_length=36, unique=True)
    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    objects = TaskRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")

    def __str__(self):
        return f"{self.name} {self.task_id}"


class TaskPart(models.Model):
    """One part of a job fanned out across Celery workers (`settlement.fanout`): the ids it works
    on, where it stands, and what it did or why it failed. The job's progress is its parts'; a
    part is done once, in the transaction that does its work, so running it again does nothing."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    run = models.ForeignKey(
        TaskRun, models.CASCADE, related_name="parts", verbose_name=_("task run")
    )
    index = models.PositiveIntegerField(_("part"))
    label = models.CharField(_("label"), max_length=200)
    items = models.JSONField(_("items"), help_text=_("The ids of what the part works on."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    task_id = models.CharField(_("task ID"), max_length=36, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="one_part_per_index")]
        verbose_name = _("task part")
        verbose_name_plural = _("task parts")

    def __str__(self):
        return f"{self.run.task_id} #{self.index}"
