from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import FrameworkContract
from core.dates import add_months
from core.models import User
from core.states import Flow, Step
from orders.models import Order

REPORT_DUE_DAY = 5  # 004 四、验收方式: the month's report by the 5th of the next
PASS_LINE = Decimal("0.9")  # 004 考核条款 2: 90% of the baselines is paid in full


class KpiBaseline(models.Model):
    """One KPI's baseline (004 考核核心指标): per month, per half-year and per year. Its code
    is the code of the template indicator it sets the target of."""

    contract = models.ForeignKey(
        FrameworkContract, models.CASCADE, related_name="kpi_baselines", verbose_name=_("contract")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=10)
    monthly = models.DecimalField(_("monthly baseline"), max_digits=14, decimal_places=2)
    half_year = models.DecimalField(_("half-year baseline"), max_digits=14, decimal_places=2)
    year = models.DecimalField(_("year baseline"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("KPI baseline")
        verbose_name_plural = _("KPI baselines")
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="one_baseline_per_code"),
            models.CheckConstraint(
                condition=models.Q(monthly__gt=0, half_year__gt=0, year__gt=0),
                name="baselines_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def for_months(self, months: int):
        """The baseline of a period of `months` from the start: the contract's own half-year
        and year figures, else the monthly one times the months."""
        return {6: self.half_year, 12: self.year}.get(months, self.monthly * months)


class KpiReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the order, as person-day logs are."""
        return self.filter(order__in=Order.objects.visible_to(user))


class KpiReport(models.Model):
    """The vendor's figures of one month (SPEC §6), due by the 5th of the next."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    flow = Flow(
        Step("submit", EDITABLE, Status.SUBMITTED, (User.Role.VENDOR_PM,)),
        Step("approve", (Status.SUBMITTED,), Status.APPROVED, (User.Role.PROCUREMENT,)),
        Step("return", (Status.SUBMITTED,), Status.RETURNED, (User.Role.PROCUREMENT,)),
    )
    # (field, the baseline and indicator code it feeds); the rest are reported, not scored.
    FIGURES = (
        ("videos", "videos"),
        ("views", "views"),
        ("likes", None),
        ("shares", None),
        ("followers", "followers"),
        ("live_sessions", "sessions"),
        ("live_hours", "hours"),
        ("viewers", "viewers"),
        ("qualifying_sessions", None),
        ("enquiries", None),
        ("placements", None),
    )

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="kpi_reports", verbose_name=_("order")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    videos = models.PositiveIntegerField(_("short videos published"), default=0)
    views = models.PositiveBigIntegerField(_("video views"), default=0)
    likes = models.PositiveBigIntegerField(_("likes"), default=0)
    shares = models.PositiveBigIntegerField(_("shares"), default=0)
    followers = models.PositiveIntegerField(_("followers gained"), default=0)
    live_sessions = models.PositiveIntegerField(_("live sessions"), default=0)
    live_hours = models.DecimalField(_("live hours"), max_digits=8, decimal_places=1, default=0)
    viewers = models.PositiveBigIntegerField(_("live viewers"), default=0)
    qualifying_sessions = models.PositiveIntegerField(
        _("sessions with 800 viewers or more"), default=0
    )
    enquiries = models.PositiveIntegerField(_("enquiries"), default=0)
    placements = models.PositiveIntegerField(_("placements"), default=0)
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = KpiReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "order"]
        verbose_name = _("KPI report")
        verbose_name_plural = _("KPI reports")
        constraints = [
            models.UniqueConstraint(fields=["order", "month"], name="one_kpi_report_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="kpi_report_month_first_day"
            ),
            models.CheckConstraint(
                condition=models.Q(qualifying_sessions__lte=models.F("live_sessions")),
                name="qualifying_sessions_within_sessions",
            ),
            models.CheckConstraint(
                condition=models.Q(live_hours__gte=0), name="live_hours_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.order.number} {self.month:%Y-%m}"

    @property
    def due_on(self) -> date:
        return add_months(self.month, 1).replace(day=REPORT_DUE_DAY)

    @property
    def is_late(self) -> bool:
        """Submitted after the 5th, or still not submitted past it."""
        on = self.submitted_at.date() if self.submitted_at else timezone.localdate()
        return on > self.due_on
