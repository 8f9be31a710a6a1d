from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganizationQuerySet(models.QuerySet):
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
        """Whose details and logins the user keeps: procurement its own buyer and the vendors
        that work for nobody else; a vendor shared with another buyer is an admin's."""
        if user.sees_everything:
            return self
        if user.role != User.Role.PROCUREMENT:
            return self.none()
        contracts = Organization.vendor_contracts.rel.related_model.objects
        elsewhere = contracts.filter(vendor=OuterRef("pk")).exclude(buyer_id=user.organization_id)
        return self.visible_to(user).exclude(Exists(elsewhere))


class Organization(models.Model):
    """A buyer (甲方) or a vendor (乙方) with the legal details of the contract's first page."""

    class Kind(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        VENDOR = "vendor", _("Vendor")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tax_id = models.CharField(_("taxpayer ID"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

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
        """Admins see everyone; procurement the people of the organizations it sees; others
        themselves."""
        if user.sees_everything:
            return self
        if user.role == User.Role.PROCUREMENT:
            return self.filter(organization__in=Organization.objects.visible_to(user))
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
