from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import FrameworkContract
from core.models import Organization, User
from core.states import Flow, Step
from orders.models import Order


class AssessmentTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A buyer's procurement sees its own templates; everyone the published shared
        starters and the templates of the contracts and scores they see. Another buyer's
        template is never seen."""
        if user.sees_everything:
            return self
        contracts = FrameworkContract.objects.visible_to(user)
        seen = (
            models.Q(buyer__isnull=True, status=AssessmentTemplate.Status.PUBLISHED)
            | models.Q(contracts__in=contracts)
            | models.Q(assessments__order__contract__in=contracts)
        )
        if user.role == User.Role.PROCUREMENT and user.organization_id:
            seen |= models.Q(buyer_id=user.organization_id)
        return self.filter(pk__in=AssessmentTemplate.objects.filter(seen).values("pk"))


class AssessmentTemplate(models.Model):
    """A scoring template (附件2) as data: categories of indicators, each of a kind (SPEC §5).

    Published templates are frozen; changing one makes a new version, so no past score moves.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # A new version is a new template (template_new_version), not a step of this one.
    flow = Flow(Step("publish", (Status.DRAFT,), Status.PUBLISHED, (User.Role.PROCUREMENT,)))

    buyer = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_templates",
        verbose_name=_("buyer"),
        limit_choices_to={"kind": Organization.Kind.BUYER},
        help_text=_("Empty: a shared starter, read-only but for the administrator."),
    )
    # The shared starter this is the buyer's unchanged copy of (made the first time it used it).
    copied_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
        editable=False,
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2)
    period_months = models.PositiveSmallIntegerField(
        _("period in months"),
        default=1,
        help_text=_("The period the indicators' targets are set for (1: a month, 12: a year)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AssessmentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "name", "version"], name="template_version_once_per_buyer"
            ),
            models.UniqueConstraint(
                fields=["name", "version"],
                condition=models.Q(buyer__isnull=True),
                name="starter_version_once",
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class TemplateCategory(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate, models.CASCADE, related_name="categories", verbose_name=_("template")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    max = models.DecimalField(_("maximum"), max_digits=6, decimal_places=2)
    is_bonus = models.BooleanField(
        _("bonus category"),
        default=False,
        help_text=_("Bonus points are added on top and do not count towards the total."),
    )

    class Meta:
        ordering = ["template", "position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Indicator(models.Model):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual score")
        DEDUCTION = "deduction", _("Deduction per incident")
        SHORTFALL = "shortfall", _("Deduction per unit short of the target")
        RATIO = "ratio", _("Share of the target reached")
        SHARE = "share", _("Share of qualifying events")
        BONUS = "bonus", _("Bonus")

    category = models.ForeignKey(
        TemplateCategory, models.CASCADE, related_name="indicators", verbose_name=_("category")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    max = models.DecimalField(_("maximum"), max_digits=6, decimal_places=2)
    per_unit = models.DecimalField(
        _("points per unit"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rule = models.CharField(_("scoring rule"), max_length=300, blank=True)

    class Meta:
        ordering = ["category", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


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

    # Procurement may still change the figures and incidents.
    EDITABLE = (Status.DRAFT, Status.DISPUTED)

    flow = Flow(
        # Published again after a dispute, changed or not.
        Step(
            "publish",
            (Status.DRAFT, Status.DISPUTED),
            Status.PUBLISHED,
            (User.Role.PROCUREMENT,),
        ),
        Step("confirm", (Status.PUBLISHED,), Status.CONFIRMED, (User.Role.VENDOR_PM,)),
        Step("dispute", (Status.PUBLISHED,), Status.DISPUTED, (User.Role.VENDOR_PM,)),
        # Until the vendor confirms a settlement sheet resting on the score (locked_at).
        Step(
            "reopen",
            (Status.PUBLISHED, Status.CONFIRMED),
            Status.DRAFT,
            (User.Role.PROCUREMENT,),
            guard=lambda assessment: assessment.locked_at is None,
        ),
    )

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
