from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Organization, User
from core.money import ZERO, quantize, with_tax, without_tax
from core.states import Flow, Step
from core.writes import AnnouncedWritesQuerySet

DEFAULT_TAX_RATE = Decimal("0.06")
MAX_MONEY = Decimal("999999999999.99")  # what a DecimalField(14, 2) holds
MAX_PRICE = Decimal("99999999.99")
MAX_QUANTITY = Decimal("10000000")
ROLE_MAX_LENGTH = 100


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class ContractQuerySet(AnnouncedWritesQuerySet):
    def visible_to(self, user):
        """SPEC §2: a vendor sees its own contracts only, the buyer side those of its buyer."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(vendor_id=user.organization_id)
        return self.filter(buyer_id=user.organization_id)


class FrameworkContract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    class SettlementMode(models.TextChoices):
        PERSON_DAY = "person_day", _("Per person-day")
        PER_ITEM = "per_item", _("Per item")
        FIXED_MILESTONE = "fixed_milestone", _("Fixed price with milestones")

    flow = Flow(
        Step("activate", (Status.DRAFT,), Status.ACTIVE, (User.Role.PROCUREMENT,)),
        Step("terminate", (Status.ACTIVE,), Status.TERMINATED, (User.Role.PROCUREMENT,)),
        # Clause 4.2: the term ends; the nightly task takes this step, nobody else.
        Step("expire", (Status.ACTIVE,), Status.EXPIRED, ()),
    )

    code = models.CharField(_("contract code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    buyer = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="buyer_contracts",
        verbose_name=_("buyer"),
        limit_choices_to={"kind": Organization.Kind.BUYER},
    )
    vendor = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="vendor_contracts",
        verbose_name=_("vendor"),
        limit_choices_to={"kind": Organization.Kind.VENDOR},
    )
    signed_on = models.DateField(_("signed on"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # The last day of service when a termination took effect before the term's end (11.1,
    # 11.2, 11.5, 2.10): nothing after it is logged, scored or settled.
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    ceiling_incl_tax = money_field(_("ceiling incl. tax"))
    settlement_mode = models.CharField(
        _("settlement mode"),
        max_length=20,
        choices=SettlementMode.choices,
        default=SettlementMode.PERSON_DAY,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # By name: the templates are the assessment app's, which sits above this one.
    assessment_template = models.ForeignKey(
        "assessment.AssessmentTemplate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("assessment template"),
        limit_choices_to={"status": "published"},
    )
    # Running totals, changed only under a lock on this row (a CHECK sees one row, not a sum).
    # Moved by orders/ledger.py alone, with a ledger entry for each movement.
    settled_total = money_field(_("settled total"), default=ZERO, editable=False)
    committed_total = money_field(_("committed total"), default=ZERO, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "code"]
        verbose_name = _("framework contract")
        verbose_name_plural = _("framework contracts")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "code"], name="contract_code_per_buyer"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="contract_term"
            ),
            models.CheckConstraint(
                condition=models.Q(ceiling_incl_tax__gt=0), name="contract_ceiling_positive"
            ),
            # 附件7 备注1: the signed sheets never add up past the ceiling (nor below nothing).
            models.CheckConstraint(
                condition=models.Q(
                    settled_total__gte=0, settled_total__lte=models.F("ceiling_incl_tax")
                ),
                name="contract_settled_within_ceiling",
            ),
            models.CheckConstraint(
                condition=models.Q(committed_total__gte=0), name="contract_committed_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def tax_rate_on(self, day: date) -> Decimal:
        """SPEC §3: the rate in force on a day; before the schedule starts, its first rate."""
        rates = sorted(self.tax_rates.all(), key=lambda rate: rate.effective_from)
        if not rates:
            return DEFAULT_TAX_RATE
        in_force = [rate for rate in rates if rate.effective_from <= day]
        return (in_force[-1] if in_force else rates[0]).rate

    @property
    def tax_rate(self) -> Decimal:
        return self.tax_rate_on(timezone.localdate())

    @property
    def ceiling_excl_tax(self) -> Decimal:
        return without_tax(self.ceiling_incl_tax, self.tax_rate)

    @property
    def ceiling_tax(self) -> Decimal:
        return self.ceiling_incl_tax - self.ceiling_excl_tax

    @property
    def free_amount(self) -> Decimal:
        """SPEC §3: free = ceiling − settled − what open orders still reserve."""
        return self.ceiling_incl_tax - self.settled_total - self.committed_total

    @cached_property
    def estimate(self) -> "Estimate":
        return Estimate(
            rate=self.tax_rate,
            ceiling=self.ceiling_incl_tax,
            lines=list(self.rate_card_lines.all()),
        )

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def _in_force(self, field: str) -> list["Amendment"]:
        """The amendments in force that change `field`, by effective date (prefetch-friendly)."""
        return sorted(
            (
                amendment
                for amendment in self.amendments.all()
                if amendment.status == Amendment.Status.IN_FORCE
                and getattr(amendment, field) is not None
            ),
            key=lambda amendment: amendment.effective_from,
        )

    def ceiling_on(self, day: date) -> Decimal:
        """11.4: the ceiling in force on a day: the last amendment's from its date, the one
        before it (as signed, or as the previous amendment left it) until then."""
        changes = self._in_force("ceiling_incl_tax")
        if not changes:
            return self.ceiling_incl_tax
        ceiling = changes[0].previous_ceiling
        for amendment in changes:
            if amendment.effective_from <= day:
                ceiling = amendment.ceiling_incl_tax
        return ceiling

    def template_on(self, month: date):
        """The assessment template a month is scored on: a new version from the month an
        amendment moves the contract to it."""
        template = self.assessment_template
        for amendment in self._in_force("assessment_template_id"):
            if amendment.effective_from <= month:
                template = amendment.assessment_template
        return template

    def prices_on(self, day: date) -> dict[tuple[str, str], Decimal | None]:
        """(role, level) → the agreed price excl. tax on a day (4.3, 11.4): the rate card as
        signed, its lines added and re-priced by the amendments in force from their dates."""
        effective = {
            amendment.pk: amendment.effective_from
            for amendment in self.amendments.all()
            if amendment.status == Amendment.Status.IN_FORCE
        }
        lines = {line.pk: line for line in self.rate_card_lines.all()}
        prices = {
            (line.role, line.level): line.price_excl_tax
            for line in lines.values()
            if line.added_by_id is None or effective.get(line.added_by_id, date.max) <= day
        }
        for amendment in self._in_force("pk"):
            if amendment.effective_from <= day:
                for change in amendment.lines.all():
                    if change.rate_card_line_id is not None:
                        line = lines[change.rate_card_line_id]
                        prices[(line.role, line.level)] = change.price_excl_tax
        return prices

    def item_prices(self) -> dict[str, Decimal]:
        """The items a per-item month may deliver: each priced 件 line, its agreed price excl.
        tax."""
        return {
            line.role: line.price_excl_tax
            for line in self.rate_card_lines.all()
            if line.unit == RateCardLine.Unit.ITEM and line.price_excl_tax is not None
        }


class TaxRateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=FrameworkContract.objects.visible_to(user))


class TaxRate(models.Model):
    """One entry of a contract's tax-rate schedule (clause 4.3)."""

    contract = models.ForeignKey(
        FrameworkContract, models.CASCADE, related_name="tax_rates", verbose_name=_("contract")
    )
    effective_from = models.DateField(_("effective from"))
    rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)

    history = HistoricalRecords()
    objects = TaxRateQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "effective_from"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "effective_from"], name="tax_rate_once_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=1), name="tax_rate_range"
            ),
        ]

    def __str__(self):
        return f"{self.rate:.2%} ({self.effective_from})"


class RateCardLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=FrameworkContract.objects.visible_to(user))


class RateCardLine(models.Model):
    """A line of 附件3: a role and level, its estimated quantity, its cap and its agreed price."""

    class Level(models.TextChoices):
        SENIOR = "高级", _("Senior")
        INTERMEDIATE = "中级", _("Intermediate")
        JUNIOR = "初级", _("Junior")
        NONE = "", _("(none)")

    class Unit(models.TextChoices):
        PERSON_DAY = "人天", _("person-day")
        ITEM = "件", _("item")
        LUMP_SUM = "项", _("lump sum")

    contract = models.ForeignKey(
        FrameworkContract,
        models.CASCADE,
        related_name="rate_card_lines",
        verbose_name=_("contract"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    role = models.CharField(_("role"), max_length=ROLE_MAX_LENGTH)
    level = models.CharField(_("level"), max_length=4, choices=Level.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=4, choices=Unit.choices, default=Unit.PERSON_DAY)
    estimated_quantity = models.DecimalField(
        _("estimated quantity"), max_digits=12, decimal_places=2, default=ZERO
    )
    cap_price_excl_tax = money_field(_("cap price excl. tax"))
    price_excl_tax = money_field(
        _("agreed price excl. tax"),
        null=True,
        blank=True,
        help_text=_("Empty until agreed; estimates use the cap meanwhile."),
    )
    # A line a supplementary agreement added: priced from its effective date only.
    added_by = models.ForeignKey(
        "contracts.Amendment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="added_lines",
        verbose_name=_("added by amendment"),
        editable=False,
    )

    history = HistoricalRecords()
    objects = RateCardLineQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("rate-card line")
        verbose_name_plural = _("rate-card lines")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "role", "level"], name="rate_card_role_level_once"
            ),
            models.CheckConstraint(
                condition=models.Q(price_excl_tax__lte=models.F("cap_price_excl_tax")),
                name="rate_card_price_within_cap",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    cap_price_excl_tax__gt=0, price_excl_tax__gte=0, estimated_quantity__gte=0
                ),
                name="rate_card_figures_positive",
            ),
        ]

    def __str__(self):
        return f"{self.role} {self.level}".strip()

    # Tax-inclusive figures are derived at the rate in force today (clause 4.3).
    @property
    def cap_price_incl_tax(self) -> Decimal:
        return with_tax(self.cap_price_excl_tax, self.contract.tax_rate)

    @property
    def price_incl_tax(self) -> Decimal | None:
        if self.price_excl_tax is None:
            return None
        return with_tax(self.price_excl_tax, self.contract.tax_rate)

    def problems(self, rate) -> list[tuple[str, str]]:
        """附件3's rules for one line, as (field, message); the API, the pages and the import
        all refuse a line by these."""
        problems = []
        name = f"{self.role} {self.level}".strip()
        if not self.role.strip() or len(self.role) > ROLE_MAX_LENGTH:
            problems.append(
                ("role", gettext("A role has 1 to %(n)s characters.") % {"n": ROLE_MAX_LENGTH})
            )
        if self.level not in self.Level.values or (
            not self.level and self.unit == self.Unit.PERSON_DAY
        ):
            problems.append(
                (
                    "level",
                    gettext("“%(level)s” is not a level (高级, 中级 or 初级)")
                    % {"level": self.level},
                )
            )
        if self.unit not in self.Unit.values:
            problems.append(("unit", gettext("Unknown unit “%(unit)s”.") % {"unit": self.unit}))
        if not ZERO <= self.estimated_quantity < MAX_QUANTITY:
            problems.append(
                (
                    "estimated_quantity",
                    gettext("The estimated quantity lies between 0 and %(max)s.")
                    % {"max": MAX_QUANTITY},
                )
            )
        if not ZERO < self.cap_price_excl_tax <= MAX_PRICE:
            problems.append(
                (
                    "cap_price_excl_tax",
                    gettext("A cap lies above 0 and at most %(max)s.") % {"max": MAX_PRICE},
                )
            )
        elif self.price_excl_tax is not None and self.price_excl_tax < 0:
            problems.append(("price_excl_tax", gettext("A price cannot be negative.")))
        elif self.price_excl_tax is not None and self.price_excl_tax > self.cap_price_excl_tax:
            problems.append(
                (
                    "price_excl_tax",
                    gettext("%(line)s: the agreed price %(price)s is above its cap %(cap)s.")
                    % {"line": name, "price": self.price_excl_tax, "cap": self.cap_price_excl_tax},
                )
            )
        elif not problems and with_tax(self._estimate_excl(), rate) > MAX_MONEY:
            problems.append(
                (
                    "estimated_quantity",
                    gettext("%(line)s: the estimate is larger than any contract.") % {"line": name},
                )
            )
        return problems

    def _estimate_excl(self) -> Decimal:
        price = self.cap_price_excl_tax if self.price_excl_tax is None else self.price_excl_tax
        return quantize(price * self.estimated_quantity)

    @property
    def estimate_excl_tax(self) -> Decimal:
        """附件3 note 2: 不含税总价 = round(不含税单价 × 预估工作量), at the cap until agreed."""
        return self._estimate_excl()

    @property
    def estimate_incl_tax(self) -> Decimal:
        """附件3 note 2: 含税总价 = round(不含税总价 × (1 + 税率))."""
        return with_tax(self.estimate_excl_tax, self.contract.tax_rate)


@dataclass
class Estimate:
    """附件3 note 2 at the agreed prices (the cap where none is agreed yet), against the ceiling."""

    rate: Decimal
    ceiling: Decimal
    lines: list[RateCardLine]

    @property
    def total_quantity(self) -> Decimal:
        return sum((line.estimated_quantity for line in self.lines), ZERO)

    @property
    def total_excl_tax(self) -> Decimal:
        return sum((line.estimate_excl_tax for line in self.lines), ZERO)

    @property
    def total_incl_tax(self) -> Decimal:
        return sum((line.estimate_incl_tax for line in self.lines), ZERO)

    @property
    def excess(self) -> Decimal:
        """How far the estimate lies above the ceiling (0 when within)."""
        return max(self.total_incl_tax - self.ceiling, ZERO)


class AmendmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=FrameworkContract.objects.visible_to(user))


class Amendment(models.Model):
    """补充协议 (11.4, 13.3): a signed contract changed from a date: its ceiling, its term, its
    VAT rate (4.3), re-priced and added rate-card lines, a new version of its assessment
    template. Empty fields change nothing. Drafted by procurement, signed by the vendor, then
    by the buyer: in force."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VENDOR_SIGNED = "vendor_signed", _("Signed by the vendor")
        IN_FORCE = "in_force", _("In force")

    # The API's `sign/` is the vendor's signature or the buyer's, by who posts it.
    flow = Flow(
        Step(
            "vendor_sign",
            (Status.DRAFT,),
            Status.VENDOR_SIGNED,
            (User.Role.VENDOR_PM,),
            action="sign",
        ),
        Step("sign", (Status.VENDOR_SIGNED,), Status.IN_FORCE, (User.Role.PROCUREMENT,)),
    )

    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="amendments", verbose_name=_("contract")
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    effective_from = models.DateField(_("effective from"))
    description = models.TextField(_("what it changes and why"), blank=True)
    ceiling_incl_tax = money_field(_("new ceiling incl. tax"), null=True, blank=True)
    end_date = models.DateField(_("new end date"), null=True, blank=True)
    tax_rate = models.DecimalField(
        _("new tax rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    assessment_template = models.ForeignKey(
        "assessment.AssessmentTemplate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("new assessment template version"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    # The ceiling in force before it, kept when it comes into force: what months before its
    # date are checked against.
    previous_ceiling = money_field(_("previous ceiling"), null=True, blank=True, editable=False)
    # The day its ceiling and end date were written onto the contract (its effective date,
    # by the daily task when that was still to come at signing).
    applied_on = models.DateField(_("applied on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    vendor_signed_at = models.DateTimeField(_("signed by the vendor at"), null=True, blank=True)
    vendor_signed_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by the vendor"),
    )
    signed_at = models.DateTimeField(_("signed by the buyer at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by the buyer"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_number_once"),
            models.CheckConstraint(
                condition=models.Q(ceiling_incl_tax__gt=0), name="amendment_ceiling_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lt=1),
                name="amendment_tax_rate_range",
            ),
        ]

    def __str__(self):
        return gettext("Amendment %(number)s to %(code)s") % {
            "number": self.number,
            "code": self.contract.code,
        }


class AmendmentLine(models.Model):
    """One rate-card change of an amendment: a line re-priced (`rate_card_line` set) or a line
    added (its role, level, unit, cap and estimate)."""

    amendment = models.ForeignKey(
        Amendment, models.CASCADE, related_name="lines", verbose_name=_("amendment")
    )
    rate_card_line = models.ForeignKey(
        RateCardLine,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_changes",
        verbose_name=_("rate-card line"),
    )
    role = models.CharField(_("role"), max_length=ROLE_MAX_LENGTH, blank=True)
    level = models.CharField(
        _("level"), max_length=4, choices=RateCardLine.Level.choices, blank=True
    )
    unit = models.CharField(
        _("unit"),
        max_length=4,
        choices=RateCardLine.Unit.choices,
        default=RateCardLine.Unit.PERSON_DAY,
    )
    estimated_quantity = models.DecimalField(
        _("estimated quantity"), max_digits=12, decimal_places=2, default=ZERO
    )
    cap_price_excl_tax = money_field(_("cap price excl. tax"), null=True, blank=True)
    price_excl_tax = money_field(_("new price excl. tax"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["amendment", "id"]
        verbose_name = _("amendment line")
        verbose_name_plural = _("amendment lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_excl_tax__gte=0), name="amendment_price_not_negative"
            ),
        ]

    def __str__(self):
        line = self.rate_card_line
        return str(line) if line else f"{self.role} {self.level}".strip()
