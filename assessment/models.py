from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import AssessmentTemplate, Indicator
from orders.models import Order


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the order; a vendor sees a score only once it is published to it."""
        visible = self.filter(order__in=Order.objects.visible_to(user))
        if user.is_vendor:
            visible = visible.exclude(status=Assessment.Status.DRAFT)
        return visible


class Assessment(models.Model):
    """An order's monthly score out of the template's total (附件2, SPEC §5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="assessments", verbose_name=_("order")
    )
    month = models.DateField(_("month"))
    # A KPI roll-up (004) covers `period_months` from `month`; a monthly score covers one.
    period_months = models.PositiveSmallIntegerField(_("period in months"), default=1)
    template = models.ForeignKey(
        AssessmentTemplate, models.PROTECT, related_name="assessments", verbose_name=_("template")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    base_score = models.DecimalField(
        _("score before bonus"), max_digits=6, decimal_places=2, default=0
    )
    bonus_score = models.DecimalField(_("bonus points"), max_digits=6, decimal_places=2, default=0)
    total_score = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, default=0)
    dispute_reason = models.TextField(_("reason of the dispute"), blank=True)
    reopened_reason = models.TextField(_("reason of the reopening"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    # Set when the vendor confirms a settlement sheet resting on this score: from then on it
    # can no longer be reopened.
    locked_at = models.DateTimeField(_("locked by settlement at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "order"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "month", "period_months"], name="one_score_per_order_period"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="assessment_month_first_day"
            ),
        ]

    def __str__(self):
        label = f"{self.order.number} {self.month:%Y-%m}"
        return label if self.period_months == 1 else f"{label} +{self.period_months}"


class AssessmentEntry(models.Model):
    """The figures behind one indicator's score; what each means depends on its kind:
    manual and bonus `value` (points given), shortfall and ratio `actual` (what was
    achieved), share `count` qualifying events of `actual` in all, deduction `count` incidents.
    """

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="entries", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    actual = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The target scored against when not the indicator's own (a KPI period's baseline).
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "indicator__category__position", "indicator__position"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="one_entry_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.score}"


class Incident(models.Model):
    """A deduction's evidence: what happened, and when (SPEC §5)."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="incidents", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "date", "id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self):
        return f"{self.date} {self.description}"
