from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.services import document_add
from core.models import User
from finance.models import Invoice, Payment
from governance.services import rectification_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.models import StaffMember
from tests.factories import BuyerFactory, UserFactory
from tests.settlement.conftest import OCTOBER, worked_example  # noqa: F401

PDF = b"%PDF-1.4\n% a scanned page\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every stored file in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name="扫描件.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def other_buyer(db):
    """Another buyer, with its procurement and its finance: none of A's papers are theirs."""
    buyer = BuyerFactory(name="别的采购方")
    return {
        "procurement": UserFactory(
            username="b-caigou", role=User.Role.PROCUREMENT, organization=buyer
        ),
        "finance": UserFactory(username="b-caiwu", role=User.Role.FINANCE, organization=buyer),
    }


@pytest.fixture
def world(worked_example, active_contract, procurement, vendor_pm, finance):  # noqa: F811
    """The vendor's contract with one of every object a paper attaches to (its worked-example
    order, a staff member, a rectification request on the order, the order's October sheet
    signed, an invoice of it and a payment),
    each carrying one paper filed by who files that kind."""
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get(order=worked_example)
    sheet = sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)
    # Made directly: what is tested here is who sees their papers, not how they are recorded.
    invoice = Invoice.objects.create(
        contract=active_contract,
        kind=Invoice.Kind.SPECIAL,
        number="04417829",
        issued_on=date(2026, 11, 10),
        amount_incl_tax=Decimal("1060.00"),
        amount_excl_tax=Decimal("1000.00"),
        tax_rate=Decimal("0.06"),
        tax_amount=Decimal("60.00"),
        seller_tax_id="91510100MA61234567",
        buyer_name=active_contract.buyer.name,
        buyer_tax_id="91510100MA67654321",
        delivery_due_by=date(2026, 11, 24),
        recorded_by=vendor_pm,
    )
    payment = Payment.objects.create(
        sheet=sheet,
        paid_on=date(2026, 12, 1),
        amount=Decimal("1060.00"),
        payer_bank_name="招商银行成都分行",
        payer_account="6225000011112222",
        payee_bank_name="工商银行成都分行",
        payee_account="6222000033334444",
        voucher_number="记-2026-12-001",
        recorded_by=finance,
    )
    objects = {
        "contract": (active_contract, "signed_contract", procurement),
        "order": (worked_example, "order_attachment", procurement),
        "staff": (StaffMember.objects.filter(contract=active_contract).first(), None, vendor_pm),
        "rectification": (
            rectification_issue(order=worked_example, description="周报缺失", actor=procurement),
            "other",
            vendor_pm,
        ),
        "sheet": (sheet, "acceptance", procurement),
        "invoice": (invoice, "invoice_image", vendor_pm),
        "payment": (payment, "payment_voucher", finance),
    }
    return {
        name: {
            "object": obj,
            "document": document_add(
                target=obj,
                kind=kind or "staff_confidentiality",
                upload=upload(f"{name}.pdf"),
                uploaded_by=who,
            ),
        }
        for name, (obj, kind, who) in objects.items()
    }
