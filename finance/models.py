from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import FrameworkContract, money_field
from core.models import User
from core.states import Flow, Step
from settlement.models import SettlementSheet

INVOICING_ROLES = (User.Role.VENDOR_PM, User.Role.FINANCE)  # the vendor's, or as received
PAYING_ROLES = (User.Role.FINANCE,)


class InvoiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """As the sheets: the buyer side (finance included) its contracts', a vendor its own."""
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(contract__vendor_id=user.organization_id)
        return self.filter(contract__buyer_id=user.organization_id)

    def current(self):
        return self.filter(status=Invoice.Status.RECORDED)


class Invoice(models.Model):
    """发票 (4.6, 4.7): one invoice as printed, covering one or more signed sheets of one
    contract, or part of one sheet (an invoice has a legal maximum, so a large sheet may take
    several). A wrong one is voided with its reason (红字) and replaced; both stay."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("VAT special invoice")
        ORDINARY = "ordinary", _("VAT ordinary invoice")

    class Medium(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic")
        PAPER = "paper", _("Paper")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        VOID = "void", _("Void")

    flow = Flow(
        Step("void", (Status.RECORDED,), Status.VOID, INVOICING_ROLES),
        # The buyer's receipt starts the 30 working days of payment (4.6).
        Step(
            "receive",
            (Status.RECORDED,),
            Status.RECORDED,
            (User.Role.FINANCE, User.Role.PROCUREMENT),
            guard=lambda invoice: invoice.received_on is None,
        ),
        Step(
            "accept-ordinary",
            (Status.RECORDED,),
            Status.RECORDED,
            (User.Role.PROCUREMENT,),
            guard=lambda invoice: invoice.awaits_acceptance,
        ),
    )

    contract = models.ForeignKey(
        FrameworkContract, models.PROTECT, related_name="invoices", verbose_name=_("contract")
    )
    sheets = models.ManyToManyField(
        SettlementSheet,
        through="InvoiceSheet",
        related_name="invoices",
        verbose_name=_("settlement sheets"),
    )
    kind = models.CharField(_("invoice type"), max_length=10, choices=Kind.choices)
    medium = models.CharField(
        _("medium"), max_length=10, choices=Medium.choices, default=Medium.ELECTRONIC
    )
    code = models.CharField(_("invoice code"), max_length=20, blank=True)
    number = models.CharField(_("invoice number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    amount_incl_tax = money_field(_("amount incl. tax"))
    amount_excl_tax = money_field(_("amount excl. tax"))
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)
    tax_amount = money_field(_("tax"))
    seller_tax_id = models.CharField(_("seller's taxpayer ID"), max_length=30)
    buyer_name = models.CharField(_("buyer's name"), max_length=200)
    buyer_tax_id = models.CharField(_("buyer's taxpayer ID"), max_length=30)
    # 4.7: delivered within 10 working days of issue; 4.6: paid within 30 of receipt.
    delivery_due_by = models.DateField(_("delivery due by"))
    payment_due_by = models.DateField(_("payment due by"), null=True, blank=True)
    # 4.3 expects a special invoice: an ordinary one is flagged until procurement accepts it.
    ordinary_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordinary invoice accepted by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECORDED
    )
    void_reason = models.CharField(_("reason voided"), max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # None: carried over from the sheets' own invoice and payment fields (finance 0003).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="invoice_code_number_unique"),
            # Rounded to the fen: SQLite adds decimals as floats (42,900.90 + 2,574.05 would
            # be 45,474.950000000004 there).
            models.CheckConstraint(
                condition=Q(
                    amount_incl_tax=Round(models.F("amount_excl_tax") + models.F("tax_amount"), 2)
                ),
                name="invoice_amount_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.number}".strip()

    @property
    def awaits_acceptance(self) -> bool:
        """4.3 expects a special invoice: an ordinary one waits for procurement's acceptance."""
        return self.kind == self.Kind.ORDINARY and self.ordinary_accepted_by_id is None


class InvoiceSheet(models.Model):
    """The part of one sheet an invoice covers: the sheet's amounts excl. tax and incl. tax as
    this invoice charges them (4.6.5: at another VAT rate, the sheet's amount excl. tax plus the
    invoice's tax)."""

    invoice = models.ForeignKey(
        Invoice, models.CASCADE, related_name="parts", verbose_name=_("invoice")
    )
    sheet = models.ForeignKey(
        SettlementSheet,
        models.PROTECT,
        related_name="invoice_parts",
        verbose_name=_("settlement sheet"),
    )
    amount_excl_tax = money_field(_("amount excl. tax"))
    amount_incl_tax = money_field(_("amount incl. tax"))

    class Meta:
        ordering = ["invoice", "sheet"]
        verbose_name = _("invoiced part of a sheet")
        verbose_name_plural = _("invoiced parts of sheets")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "sheet"], name="one_part_per_invoice_sheet")
        ]

    def __str__(self):
        return f"{self.invoice} → {self.sheet_id}"


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.sees_everything:
            return self
        if user.is_vendor:
            return self.filter(sheet__contract__vendor_id=user.organization_id)
        return self.filter(sheet__contract__buyer_id=user.organization_id)


class Payment(models.Model):
    """付款 (4.6.1): money that went out for one sheet, by bank transfer or 银行承兑汇票. A
    sheet's payments add up to its amount as invoiced, never past it."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        ACCEPTANCE_BILL = "acceptance_bill", _("Bank acceptance bill")

    sheet = models.ForeignKey(
        SettlementSheet, models.PROTECT, related_name="payments", verbose_name=_("settlement sheet")
    )
    paid_on = models.DateField(_("paid on"))
    amount = money_field(_("amount"))
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.TRANSFER
    )
    bill_number = models.CharField(_("bill number"), max_length=50, blank=True)
    bill_maturity = models.DateField(_("bill maturity"), null=True, blank=True)
    bill_discount_terms = models.CharField(_("discount terms"), max_length=200, blank=True)
    payer_bank_name = models.CharField(_("payer's bank"), max_length=200)
    payer_account = models.CharField(_("payer's account"), max_length=50)
    # The vendor's account in force on the day paid (4.6.3: core.bank_accounts).
    payee_bank_name = models.CharField(_("payee's bank"), max_length=200)
    payee_account = models.CharField(_("payee's account"), max_length=50)
    voucher_number = models.CharField(_("voucher number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # None: carried over from the sheets' own invoice and payment fields (finance 0003).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(method="transfer")
                | Q(method="acceptance_bill", bill_maturity__isnull=False) & ~Q(bill_number=""),
                name="acceptance_bill_has_number_and_maturity",
            ),
        ]

    def __str__(self):
        return f"{self.voucher_number} {self.amount}"
