from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import FrameworkContract, RateCardLine
from core.models import Organization, User
from core.states import Flow, Step
from staffing.identity import mask_phone


class Education(models.TextChoices):
    DOCTORATE = "博士", _("Doctorate")
    MASTER = "硕士", _("Master")
    BACHELOR = "本科", _("Bachelor")
    JUNIOR_COLLEGE = "专科", _("Junior college (专科)")
    SECONDARY_VOCATIONAL = "中专", _("Secondary vocational")
    HIGH_SCHOOL = "高中", _("High school")
    BELOW = "初中及以下", _("Junior high or below")


# Higher is better; a rule asks for at least a rank.
EDUCATION_RANK = {
    Education.BELOW: 0,
    Education.HIGH_SCHOOL: 1,
    Education.SECONDARY_VOCATIONAL: 1,
    Education.JUNIOR_COLLEGE: 2,
    Education.BACHELOR: 3,
    Education.MASTER: 4,
    Education.DOCTORATE: 5,
}


class QualificationRule(models.Model):
    """A contract's staffing rule for one level (empty level: every level), as data.

    Without rules a contract follows 003 (附件1 1.3–1.4): 专科 or above, 5 / 3 / 1 years.
    """

    contract = models.ForeignKey(
        FrameworkContract,
        models.CASCADE,
        related_name="qualification_rules",
        verbose_name=_("contract"),
    )
    level = models.CharField(
        _("level"), max_length=4, choices=RateCardLine.Level.choices, blank=True
    )
    min_education = models.CharField(
        _("minimum education"),
        max_length=10,
        choices=Education.choices,
        default=Education.JUNIOR_COLLEGE,
    )
    min_years = models.PositiveSmallIntegerField(_("minimum years of experience"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("qualification rule")
        verbose_name_plural = _("qualification rules")
        constraints = [
            models.UniqueConstraint(fields=["contract", "level"], name="one_rule_per_level")
        ]

    def __str__(self):
        return f"{self.level or '*'} ≥ {self.min_years}, {self.min_education}"


class StaffingRole(models.Model):
    """A role the contract's team must fill that its rate card does not price: 002 pays per
    item, yet names its modelling engineers, customer service and logistics lead (2.6)."""

    contract = models.ForeignKey(
        FrameworkContract,
        models.CASCADE,
        related_name="staffing_roles",
        verbose_name=_("contract"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    role = models.CharField(_("role"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("staffing role")
        verbose_name_plural = _("staffing roles")
        constraints = [
            models.UniqueConstraint(fields=["contract", "role"], name="staffing_role_once")
        ]

    def __str__(self):
        return self.role


class StaffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A vendor sees its own people; the buyer side the people on its contracts."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(vendor_id=user.organization_id)
        return self.filter(contract__buyer_id=user.organization_id)


class StaffMember(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        ACTIVE = "active", _("Active")
        LEAVING = "leaving", _("Under notice")
        LEFT = "left", _("Left")
        REFUSED = "refused", _("Refused")

    # 2.9: a registered member waits for procurement's approval; one below the qualification
    # rule is approved only as an exception, with its reason (附件1 1.5). A replacement
    # demanded (3.2.4) moves no state: it is not a step.
    flow = Flow(
        Step(
            "approve",
            (Status.PENDING,),
            Status.ACTIVE,
            (User.Role.PROCUREMENT,),
            guard=lambda member: not member.qualification_issue,
        ),
        Step(
            "approve-exception",
            (Status.PENDING,),
            Status.ACTIVE,
            (User.Role.PROCUREMENT,),
            guard=lambda member: bool(member.qualification_issue),
        ),
        Step("refuse", (Status.PENDING,), Status.REFUSED, (User.Role.PROCUREMENT,)),
        Step("give-notice", (Status.ACTIVE,), Status.LEAVING, (User.Role.VENDOR_PM,)),
        # The last day has passed (of a notice, or an end date set at registration).
        Step("leave", (Status.ACTIVE, Status.LEAVING), Status.LEFT, ()),
    )

    vendor = models.ForeignKey(
        Organization, models.PROTECT, related_name="staff", verbose_name=_("vendor")
    )
    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="staff", verbose_name=_("contract")
    )
    name = models.CharField(_("full name"), max_length=50)
    id_number_digest = models.CharField(max_length=64, editable=False, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone = models.CharField(_("phone"), max_length=20)
    education = models.CharField(_("education"), max_length=10, choices=Education.choices)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"))
    role = models.CharField(_("role"), max_length=100)
    level = models.CharField(
        _("level"), max_length=4, choices=RateCardLine.Level.choices, blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    refusal_reason = models.TextField(_("refusal reason"), blank=True)
    qualification_issue = models.CharField(_("qualification shortfall"), max_length=200, blank=True)
    exception_reason = models.TextField(_("exception reason"), blank=True)
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exception approved by"),
    )
    exception_approved_at = models.DateTimeField(_("exception approved at"), null=True, blank=True)
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True)
    short_notice = models.BooleanField(_("less than a month's notice"), default=False)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    replacement_demanded_on = models.DateField(_("replacement demanded on"), null=True, blank=True)
    replacement_demand_reason = models.TextField(_("replacement demand reason"), blank=True)
    replacement_due = models.DateField(_("replacement due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["id_number_digest"])
    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "role", "level", "name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            # 4.2.2.6: one person is on one contract at a time (the service names the clash).
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=Q(status__in=["pending", "active"]),
                name="one_open_membership_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.role} {self.level}）"

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    @property
    def needs_replacement(self) -> bool:
        """Leaving or demanded away, and nobody replaces him yet."""
        wanted = self.status == self.Status.LEAVING or self.replacement_demanded_on is not None
        return wanted and not hasattr(self, "replaced_by")

    @property
    def approved(self) -> bool:
        """2.9: procurement accepted him; only then can days be logged for him."""
        return self.status not in (self.Status.PENDING, self.Status.REFUSED)

    def replacement_overdue(self, today) -> bool:
        """3.2.4: the buyer's demand is past its deadline and no approved replacement of the
        same level stands in his place."""
        if self.replacement_due is None or today <= self.replacement_due:
            return False
        successor = getattr(self, "replaced_by", None)
        return successor is None or not successor.approved


class PersonalDataErasure(models.Model):
    """What the retention task erased (README, Personal data): the ID numbers (digest and
    mask) and phones of a contract's people, a set time after its end; their names stay, as the
    signed documents that name them do."""

    contract = models.ForeignKey(
        "contracts.FrameworkContract",
        models.PROTECT,
        related_name="personal_data_erasures",
        verbose_name=_("contract"),
    )
    contract_ended_on = models.DateField(_("contract ended on"))
    people = models.PositiveIntegerField(_("people"))
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("personal data erasure")
        verbose_name_plural = _("personal data erasures")

    def __str__(self):
        return f"{self.contract} {self.erased_at:%Y-%m-%d}"
