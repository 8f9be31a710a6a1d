from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.states import Flow, Step
from core.writes import AnnouncedWritesQuerySet


class OrganizationQuerySet(AnnouncedWritesQuerySet):
    def visible_to(self, user):
        """A vendor sees itself and its buyers; the buyer side sees itself, its vendors and the
        vendors nobody has contracted yet (to pick one for a new contract)."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(
                Q(pk=user.organization_id) | Q(buyer_contracts__vendor_id=user.organization_id)
            ).distinct()
        vendors = self.filter(kind=Organization.Kind.VENDOR)
        return self.filter(
            Q(pk=user.organization_id)
            | Q(pk__in=vendors.filter(vendor_contracts__buyer_id=user.organization_id))
            | Q(pk__in=vendors.filter(vendor_contracts__isnull=True))
        )

    def managed_by(self, user):
        """Whose details and logins the user keeps: a vendor's PM its own vendor; procurement
        its own buyer and the vendors its buyer created as long as no other buyer contracts
        with them; an admin everyone (and every vendor nobody else keeps)."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(pk=user.organization_id)
        if user.role != User.Role.PROCUREMENT or user.organization_id is None:
            return self.none()
        contracts = framework_contracts().objects
        elsewhere = contracts.filter(vendor=OuterRef("pk")).exclude(buyer_id=user.organization_id)
        return self.filter(
            Q(pk=user.organization_id)
            | Q(kind=Organization.Kind.VENDOR, creator_id=user.organization_id)
        ).exclude(Exists(elsewhere))


def framework_contracts():
    """contracts.FrameworkContract, reached through its relation: core imports no later app."""
    return Organization.vendor_contracts.rel.related_model


class Organization(models.Model):
    """A buyer (甲方) or a vendor (乙方) with the legal details of the contract's first page."""

    class Kind(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        VENDOR = "vendor", _("Vendor")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tax_id = models.CharField(_("taxpayer ID"), max_length=30, blank=True)
    # The registered (法定地址 / 住所) address the contract's first page and its documents show.
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # A buyer's rule: its contracts take effect only with the signed contract in the archive.
    requires_signed_contract = models.BooleanField(
        _("contracts need their signed copy to take effect"),
        default=True,
        help_text=_(
            "A buyer's setting: a contract is activated only once its signed contract is attached."
        ),
    )
    # The buyer whose procurement created the vendor keeps it while no other buyer contracts
    # with it; empty: an administrator's.
    creator = models.ForeignKey(
        "self",
        verbose_name=_("created by buyer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Kind.BUYER},
    )

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins see everyone; procurement the people of the organizations it sees; a
        vendor's PM its own vendor's people (it creates their logins); others themselves."""
        if user.sees_everything:
            return self
        if user.role == User.Role.PROCUREMENT:
            return self.filter(organization__in=Organization.objects.visible_to(user))
        if user.is_vendor and user.organization_id is not None:
            return self.filter(organization_id=user.organization_id)
        return self.filter(pk=user.pk)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        PROCUREMENT = "procurement", _("Procurement")
        VENDOR_PM = "vendor_pm", _("Vendor project manager")
        FINANCE = "finance", _("Finance")
        ADMIN = "admin", _("Administrator")

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PROCUREMENT
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    objects = PortalUserManager()

    # `createsuperuser --noinput` with only a username and a password (API.md).
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def sees_everything(self):
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_vendor(self):
        return self.role == self.Role.VENDOR_PM and not self.is_superuser

    def has_role(self, *roles):
        return self.sees_everything or self.role in roles


class CalendarYear(models.Model):
    """One year of the PRC working-day calendar (SPEC §9): its days off, its make-up working
    days (调休) and where they came from; official once a notice is published, else provisional.

    `holidays` holds ranges [{"start", "end", "name"}] and `workdays` dates, ISO text both.
    """

    class Status(models.TextChoices):
        OFFICIAL = "official", _("official")
        PROVISIONAL = "provisional", _("provisional")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    holidays = models.JSONField(_("days off"), default=list)
    workdays = models.JSONField(_("make-up working days"), default=list)
    source = models.CharField(_("source"), max_length=300)
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("updated by"), on_delete=models.PROTECT, null=True, blank=True
    )

    history = HistoricalRecords()
    objects = AnnouncedWritesQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)

    @property
    def is_official(self):
        return self.status == self.Status.OFFICIAL


class CalendarFinding(models.Model):
    """What a published year counts differently from before: a log now over its working days,
    a deadline that moved. Listed to the procurement of the buyer concerned."""

    year = models.ForeignKey(
        CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="findings"
    )
    buyer = models.ForeignKey(
        Organization, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("calendar finding")
        verbose_name_plural = _("calendar findings")

    def __str__(self):
        return self.text


class BankAccountChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The vendor's own people, the buyer side of any buyer with a contract with the
        vendor, and admins."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(vendor_id=user.organization_id)
        if user.organization_id is None:
            return self.none()
        contracts = framework_contracts().objects.filter(buyer_id=user.organization_id)
        return self.filter(vendor_id__in=contracts.values("vendor_id"))


class BankAccountChange(models.Model):
    """A vendor's request to be paid into a new account (clause 4.6.3: ten days' written
    notice). In force no earlier than `effective_on`, ten calendar days after submission, and
    once the procurement of every buyer that still pays the vendor confirmed it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Procurement of each buyer still paying the vendor confirms; the last confirmation puts
    # the change in force once its ten days have passed, else the daily `apply` does then.
    flow = Flow(
        Step("confirm", (Status.PENDING,), Status.APPLIED, (User.Role.PROCUREMENT,)),
        Step("reject", (Status.PENDING,), Status.REJECTED, (User.Role.PROCUREMENT,)),
        Step("withdraw", (Status.PENDING,), Status.WITHDRAWN, (User.Role.VENDOR_PM,)),
        Step("apply", (Status.PENDING,), Status.APPLIED, ()),
    )

    vendor = models.ForeignKey(
        Organization,
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="bank_account_changes",
        limit_choices_to={"kind": Organization.Kind.VENDOR},
    )
    bank_name = models.CharField(_("new bank"), max_length=200)
    bank_account = models.CharField(_("new bank account"), max_length=50)
    note = models.CharField(_("note to the buyers"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        User, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("effective on"))
    # What the new account replaced, kept when it is applied: sheets signed before print it.
    old_bank_name = models.CharField(_("previous bank"), max_length=200, blank=True)
    old_bank_account = models.CharField(_("previous bank account"), max_length=50, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("rejected or withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_reason = models.CharField(_("reason for the rejection"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = BankAccountChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("bank account change")
        verbose_name_plural = _("bank account changes")
        constraints = [
            models.UniqueConstraint(
                fields=["vendor"],
                condition=Q(status="pending"),
                name="one_pending_bank_account_change_per_vendor",
            )
        ]

    def __str__(self):
        return f"{self.vendor} → {self.bank_name} {self.bank_account}"


class BankAccountConfirmation(models.Model):
    """A buyer's procurement confirmed a vendor's new account."""

    change = models.ForeignKey(
        BankAccountChange,
        verbose_name=_("bank account change"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    buyer = models.ForeignKey(
        Organization, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("confirmed by"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        ordering = ["confirmed_at", "pk"]
        verbose_name = _("bank account confirmation")
        verbose_name_plural = _("bank account confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "buyer"], name="one_confirmation_per_buyer_and_change"
            )
        ]

    def __str__(self):
        return f"{self.buyer}: {self.change}"
