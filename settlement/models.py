from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models import Assessment
from contracts.models import FrameworkContract, RateCardLine, money_field
from core.models import Organization, User
from kpi.models import PASS_LINE
from orders.models import Order, PaymentPlanItem
from worklogs.models import WorkLog


class SheetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The buyer side (finance included) sees its contracts' sheets; a vendor its own."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(contract__vendor_id=user.organization_id)
        return self.filter(contract__buyer_id=user.organization_id)


class SettlementSheet(models.Model):
    """结算单 (附件7): what one order earned in one month, or an adjustment of a signed sheet."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VENDOR_CONFIRMED = "vendor_confirmed", _("Confirmed by the vendor")
        SIGNED = "signed", _("Signed")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")

    SIGNED_STATES = (Status.SIGNED, Status.INVOICED, Status.PAID)

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
                condition=Q(adjusts__isnull=True),
                name="one_sheet_per_order_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="sheet_month_first_day"),
        ]

    def __str__(self):
        label = f"{self.order.number} {self.month:%Y-%m}"
        return f"{label} 调整" if self.adjusts_id else label

    @property
    def is_signed(self):
        return self.status in self.SIGNED_STATES

    @property
    def paid_in_full(self):
        """A milestone whose KPI period reached 90% of its baselines (004)."""
        return self.achievement is not None and self.achievement >= PASS_LINE


class SheetLine(models.Model):
    """The month's days of one role and level (or pieces of one item, 002), at the price in
    force on the month's first day."""

    sheet = models.ForeignKey(
        SettlementSheet, models.CASCADE, related_name="lines", verbose_name=_("settlement sheet")
    )
    role = models.CharField(_("role"), max_length=100)
    level = models.CharField(_("level"), max_length=4, blank=True)
    days = models.DecimalField(_("quantity"), max_digits=10, decimal_places=1)
    unit = models.CharField(
        _("unit"),
        max_length=4,
        choices=RateCardLine.Unit.choices,
        default=RateCardLine.Unit.PERSON_DAY,
    )
    unit_price_incl_tax = money_field(_("unit price incl. tax"))
    amount = models.DecimalField(_("amount (exact)"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["sheet_id", "role", "level"]
        verbose_name = _("sheet line")
        verbose_name_plural = _("sheet lines")

    def __str__(self):
        return f"{self.role} {self.level} {self.days}"


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
    """Who started a long job (a Celery task), recorded as it is queued."""

    task_id = models.CharField(_("task ID"), max_length=36, unique=True)
    name = models.CharField(_("task"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("started by")
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
