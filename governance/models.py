from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessment.models import Incident
from contracts.models import FrameworkContract, money_field
from core.models import User
from core.money import ZERO
from core.states import Flow, Step
from core.writes import AnnouncedWritesQuerySet
from orders.models import Order
from staffing.models import StaffMember


class GovernanceQuerySet(AnnouncedWritesQuerySet):
    def visible_to(self, user):
        """As the contract: the buyer side its contracts' records, a vendor its own."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(contract__vendor_id=user.organization_id)
        return self.filter(contract__buyer_id=user.organization_id)


def _actor(name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=name,
    )


class Rectification(models.Model):
    """整改通知 (2.10, 2.4, 2.5): what is wrong with an order's work (or one member's), due 5
    working days after it is issued; more than 3 failed on a contract let the buyer terminate
    without liability."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification", "Open")
        ANSWERED = "answered", pgettext_lazy("rectification", "Answered")
        ACCEPTED = "accepted", pgettext_lazy("rectification", "Accepted")
        FAILED = "failed", pgettext_lazy("rectification", "Failed")

    flow = Flow(
        Step("answer", (Status.OPEN,), Status.ANSWERED, (User.Role.VENDOR_PM,)),
        Step("accept", (Status.ANSWERED,), Status.ACCEPTED, (User.Role.PROCUREMENT,)),
        # Not up to standard (不达标): an answer that does not put it right, or none at all.
        Step("fail", (Status.OPEN, Status.ANSWERED), Status.FAILED, (User.Role.PROCUREMENT,)),
    )

    contract = models.ForeignKey(
        FrameworkContract,
        models.PROTECT,
        related_name="rectifications",
        verbose_name=_("contract"),
        editable=False,
    )
    order = models.ForeignKey(
        Order, models.PROTECT, related_name="rectifications", verbose_name=_("order")
    )
    staff = models.ForeignKey(
        StaffMember,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("staff member"),
    )
    description = models.TextField(_("what is wrong"))
    evidence = models.TextField(_("evidence"), blank=True)
    issued_on = models.DateField(pgettext_lazy("rectification", "issued on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    issued_by = _actor(_("issued by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = _actor(_("answered by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = _actor(_("decided by"))
    failed_reason = models.TextField(_("reason of the failure"), blank=True)
    # The deduction in that month's assessment that records the same failure (SPEC §5).
    incident = models.OneToOneField(
        Incident,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification",
        verbose_name=_("assessment incident"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = GovernanceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("rectification request")
        verbose_name_plural = _("rectification requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("issued_on")),
                name="rectification_due_after_issue",
            ),
        ]

    def __str__(self):
        return _("Rectification request no. %(number)s") % {"number": self.pk}

    # 2.10: more than this many failed on a contract let the buyer terminate without liability.
    TERMINATION_AFTER = 3

    @property
    def is_overdue(self) -> bool:
        """Still unanswered after its due day (a working day, by the portal's calendar)."""
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class Penalty(models.Model):
    """违约金 or 退款 (ch. 7): a breach recorded under its clause, the amount the portal
    proposes beside the one procurement decides, the vendor's answer, and the sheet that offsets
    it (SPEC §9)."""

    class Kind(models.TextChoices):
        PENALTY = "penalty", _("Penalty")
        REFUND = "refund", _("Refund")

    class Clause(models.TextChoices):
        C7_2 = "7.2", _("7.2 not performed as agreed")
        C7_3 = "7.3", _("7.3 project not completed")
        C7_4 = "7.4", _("7.4 breach of law")
        C7_5 = "7.5", _("7.5 use of the work outside the agreement")
        C7_6 = "7.6", _("7.6 breach of confidentiality")
        C7_8 = "7.8", _("7.8 refund on termination")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DISPUTED = "disputed", _("Disputed")
        DECIDED = "decided", _("Decided")
        OFFSET = "offset", _("Offset")

    flow = Flow(
        Step("acknowledge", (Status.PROPOSED,), Status.ACKNOWLEDGED, (User.Role.VENDOR_PM,)),
        Step("dispute", (Status.PROPOSED,), Status.DISPUTED, (User.Role.VENDOR_PM,)),
        Step(
            "decide",
            (Status.PROPOSED, Status.ACKNOWLEDGED, Status.DISPUTED),
            Status.DECIDED,
            (User.Role.PROCUREMENT,),
        ),
        # The sheet carrying it is signed: settlement takes this step, nobody else.
        Step("offset", (Status.DECIDED,), Status.OFFSET, ()),
    )

    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="penalties", verbose_name=_("contract")
    )
    # Empty: a contract-level breach, on the contract's settled + committed.
    order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties",
        verbose_name=_("order"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    clause = models.CharField(_("clause"), max_length=4, choices=Clause.choices)
    description = models.TextField(_("breach"))
    basis_amount = money_field(_("basis amount"), editable=False)
    proposed_amount = money_field(_("proposed amount"), editable=False)
    amount = money_field(_("amount"))
    # Why the amount differs from the proposal, when it does.
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    recorded_by = _actor(_("recorded by"))
    recorded_on = models.DateField(_("recorded on"))
    answer = models.TextField(_("vendor's answer"), blank=True)
    answered_by = _actor(_("answered by"))
    decided_by = _actor(_("decided by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # No sheet follows (the contract has ended, nothing left to settle): a demand (催收函)
    # asks for it instead, and no sheet takes it any more.
    demanded_on = models.DateField(_("demanded on"), null=True, blank=True)
    demanded_by = _actor(_("demanded by"))
    # By name: sheets are settlement's, which sits above this app. Set when a sheet computed
    # while it is decided takes it as a deduction line; signing that sheet offsets it.
    offset_sheet = models.ForeignKey(
        "settlement.SettlementSheet",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="offsets",
        verbose_name=_("offset on sheet"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = GovernanceQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = _("penalty or refund")
        verbose_name_plural = _("penalties and refunds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, basis_amount__gte=0, proposed_amount__gte=0),
                name="penalty_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offset") | models.Q(offset_sheet__isnull=False),
                name="penalty_offset_names_its_sheet",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.clause} {self.amount}"

    @property
    def is_pending(self):
        """Decided and not yet settled: waiting for a sheet, or for the demand's payment."""
        return self.status == self.Status.DECIDED

    @property
    def deduction(self):
        """What it takes off the vendor's next sheet (a negative amount)."""
        return ZERO - self.amount
