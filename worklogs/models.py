from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import User
from core.states import Flow, Step
from orders.models import Order
from staffing.models import StaffMember

REMARK_LENGTH = 200


class WorkLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the order: the buyer side sees its contracts' logs, a vendor its own."""
        return self.filter(order__in=Order.objects.visible_to(user))


class WorkLog(models.Model):
    """One order's person-days for one month (SPEC §4)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    flow = Flow(
        Step("submit", EDITABLE, Status.SUBMITTED, (User.Role.VENDOR_PM,)),
        # SPEC §4: only approved logs are settled.
        Step("approve", (Status.SUBMITTED,), Status.APPROVED, (User.Role.PROCUREMENT,)),
        Step("return", (Status.SUBMITTED,), Status.RETURNED, (User.Role.PROCUREMENT,)),
        # Back to the vendor while no confirmed sheet rests on it.
        Step(
            "reopen",
            (Status.APPROVED,),
            Status.RETURNED,
            (User.Role.PROCUREMENT,),
            guard=lambda log: log.locked_at is None,
        ),
    )

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="worklogs", verbose_name=_("order")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    returned_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # Set when the vendor confirms a settlement sheet resting on this log: from then on it
    # can no longer be reopened.
    locked_at = models.DateTimeField(_("locked by settlement at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = WorkLogQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "order"]
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [
            models.UniqueConstraint(fields=["order", "month"], name="one_log_per_order_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="log_month_first_day"),
        ]

    def __str__(self):
        return f"{self.order.number} {self.month:%Y-%m}"

    @property
    def total_days(self) -> Decimal:
        return sum((line.days for line in self.lines.all()), Decimal("0"))

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.deliveries.all())


class WorkLogLine(models.Model):
    log = models.ForeignKey(WorkLog, models.CASCADE, related_name="lines", verbose_name=_("log"))
    staff = models.ForeignKey(
        StaffMember, models.PROTECT, related_name="worklog_lines", verbose_name=_("staff member")
    )
    days = models.DecimalField(_("person-days"), max_digits=4, decimal_places=1)
    # The role and level the days were logged at: a later change of the staff member's level
    # never reprices a month.
    role = models.CharField(_("role"), max_length=100)
    level = models.CharField(_("level"), max_length=4, blank=True)
    remark = models.CharField(_("remark"), max_length=REMARK_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["log", "staff__role", "staff__level", "staff__name"]
        verbose_name = _("log line")
        verbose_name_plural = _("log lines")
        constraints = [
            models.UniqueConstraint(fields=["log", "staff"], name="one_line_per_staff"),
            models.CheckConstraint(condition=models.Q(days__gte=0), name="days_not_negative"),
        ]

    def __str__(self):
        return f"{self.staff.name} {self.days}"


class DeliveryLine(models.Model):
    """002: a parcel of one item delivered under the order in the month. `qa_claims` counts
    the pieces the vendor remade under its quality guarantee: recorded, never paid."""

    log = models.ForeignKey(
        WorkLog, models.CASCADE, related_name="deliveries", verbose_name=_("log")
    )
    item = models.CharField(_("item produced"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    tracking_ref = models.CharField(_("tracking number"), max_length=60)
    qa_claims = models.PositiveIntegerField(_("quality-guarantee claims"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["log", "id"]
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        constraints = [
            models.UniqueConstraint(
                fields=["log", "item", "tracking_ref"], name="one_delivery_line_per_parcel_item"
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"
