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
COUNTED_MINUTES = 120  # 004 直播场次: 时间2小时以上一场, a shorter session is no 场
QUALIFYING_VIEWERS = 800  # 004 单场观看人数: 每场直播观看≥800人次
SESSIONS_A_WEEK = 3  # 004 三、2: 每周直播3场 (flexible: a note, never a deduction)


class Platform(models.TextChoices):
    """004 runs the centre's account on both: 抖音 and 微信视频号."""

    DOUYIN = "douyin", _("Douyin")
    CHANNELS = "channels", _("WeChat Channels")


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
    platform = models.CharField(
        _("platform"),
        max_length=10,
        choices=Platform.choices,
        blank=True,
        help_text=_("The platform it measures; empty: both."),
    )
    scored = models.BooleanField(
        _("scored"),
        default=True,
        help_text=_(
            "Counts towards the pass line; a target only tracked (视频号's plays) does not."
        ),
    )
    plan_monthly = models.DecimalField(
        _("monthly plan"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the service text plans a month where it differs from the baseline."),
    )

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
    # The unprefixed platform figures are Douyin's, the account the KPI table scores.
    FIGURES = (
        ("videos", "videos"),
        ("views", "views"),
        ("likes", None),
        ("shares", None),
        ("favourites", None),
        ("followers", "followers"),
        ("channels_videos", None),
        ("channels_views", "channels_views"),
        ("channels_likes", None),
        ("channels_shares", None),
        ("channels_favourites", None),
        ("channels_followers", None),
        ("live_sessions", "sessions"),
        ("live_hours", "hours"),
        ("viewers", "viewers"),
        ("qualifying_sessions", None),
        ("enquiries", None),
        ("placements", None),
        ("companies_registered", None),
        ("jobs_posted", None),
        ("hires", None),
    )
    # Computed from the month's live sessions (`LiveSession`), never entered.
    LIVE_FIGURES = ("live_sessions", "live_hours", "viewers", "qualifying_sessions")
    # 004 四、验收方式: the report by platform, its live figures, then the employment figures.
    GROUPS = (
        (
            Platform.DOUYIN.label,
            ("videos", "views", "likes", "shares", "favourites", "followers"),
        ),
        (
            Platform.CHANNELS.label,
            (
                "channels_videos",
                "channels_views",
                "channels_likes",
                "channels_shares",
                "channels_favourites",
                "channels_followers",
            ),
        ),
        (_("Live"), LIVE_FIGURES),
        (
            _("Employment services"),
            ("enquiries", "placements", "companies_registered", "jobs_posted", "hires"),
        ),
    )

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="kpi_reports", verbose_name=_("order")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    videos = models.PositiveIntegerField(_("Douyin short videos published"), default=0)
    views = models.PositiveBigIntegerField(_("Douyin video views"), default=0)
    likes = models.PositiveBigIntegerField(_("Douyin likes"), default=0)
    shares = models.PositiveBigIntegerField(_("Douyin shares"), default=0)
    favourites = models.PositiveBigIntegerField(_("Douyin favourites"), default=0)
    followers = models.PositiveIntegerField(_("Douyin followers gained"), default=0)
    channels_videos = models.PositiveIntegerField(_("Channels short videos published"), default=0)
    channels_views = models.PositiveBigIntegerField(_("Channels video views"), default=0)
    channels_likes = models.PositiveBigIntegerField(_("Channels likes"), default=0)
    channels_shares = models.PositiveBigIntegerField(_("Channels shares"), default=0)
    channels_favourites = models.PositiveBigIntegerField(_("Channels favourites"), default=0)
    channels_followers = models.PositiveIntegerField(_("Channels followers gained"), default=0)
    live_sessions = models.PositiveIntegerField(_("live sessions of 2 hours or more"), default=0)
    live_hours = models.DecimalField(_("live hours"), max_digits=8, decimal_places=1, default=0)
    viewers = models.PositiveBigIntegerField(_("live viewers"), default=0)
    qualifying_sessions = models.PositiveIntegerField(
        _("sessions with 800 viewers or more"), default=0
    )
    enquiries = models.PositiveIntegerField(_("enquiries"), default=0)
    placements = models.PositiveIntegerField(_("placements"), default=0)
    companies_registered = models.PositiveIntegerField(_("companies registered"), default=0)
    jobs_posted = models.PositiveIntegerField(_("jobs posted"), default=0)
    hires = models.PositiveIntegerField(_("people hired"), default=0)
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


class LiveSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the order, as the month's report is."""
        return self.filter(order__in=Order.objects.visible_to(user))


class LiveSession(models.Model):
    """One live broadcast (004 直播): the month's live figures are computed from these, a
    session counting as a 场 only from 2 hours and qualifying from 800 viewers."""

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="live_sessions", verbose_name=_("order")
    )
    date = models.DateField(_("date"))
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    start = models.TimeField(_("start"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    viewers = models.PositiveIntegerField(_("viewers"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "date", "start", "id"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        indexes = [models.Index(fields=["order", "date"], name="live_session_order_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=24 * 60),
                name="live_session_minutes_in_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.order.number} {self.date} {self.get_platform_display()}"

    @property
    def duration(self) -> str:
        """The minutes as h:mm, as a live platform shows them."""
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"

    @property
    def counts(self) -> bool:
        return self.minutes >= COUNTED_MINUTES

    @property
    def qualifies(self) -> bool:
        return self.counts and self.viewers >= QUALIFYING_VIEWERS


class QuarterReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Through the order, as the month's report is."""
        return self.filter(order__in=Order.objects.visible_to(user))


class QuarterReview(models.Model):
    """004 考核条款 1: 季度复盘, the quarter's cumulative figures against the pro-rated
    baselines with a comment from each side; no score. Quarter n covers the service's
    months 3n-2 to 3n."""

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="quarter_reviews", verbose_name=_("order")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    vendor_comment = models.TextField(_("vendor's comment"), blank=True)
    vendor_commented_at = models.DateTimeField(_("vendor commented at"), null=True, blank=True)
    vendor_commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendor commented by"),
    )
    buyer_comment = models.TextField(_("buyer's comment"), blank=True)
    buyer_commented_at = models.DateTimeField(_("buyer commented at"), null=True, blank=True)
    buyer_commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer commented by"),
    )

    history = HistoricalRecords()
    objects = QuarterReviewQuerySet.as_manager()

    class Meta:
        ordering = ["order", "quarter"]
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        constraints = [
            models.UniqueConstraint(fields=["order", "quarter"], name="one_review_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=8), name="review_quarter_in_term"
            ),
        ]

    def __str__(self):
        return f"{self.order.number} Q{self.quarter}"
