"""A contract takes effect only once its signed copy is in the archive, when its buyer says so
(`Organization.requires_signed_contract`, on by default): activation is refused with a message
naming what to attach (API 400, the page's error), and allowed with the copy or with the
buyer's setting off, which the buyer's procurement keeps."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Document
from archive.services import document_add
from contracts.models import FrameworkContract
from contracts.services import ContractError, contract_activate
from core.models import Organization
from tests.factories import rate_card
from tests.pages import browser

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACTIVE = FrameworkContract.Status.ACTIVE


@pytest.fixture
def priced(contract, buyer):
    """A draft contract with a priced rate card, of a buyer that wants the signed copy."""
    buyer.requires_signed_contract = True
    buyer.save()
    return rate_card(contract)


def signed_copy(contract, procurement, kind=Document.Kind.SIGNED_CONTRACT):
    return document_add(
        target=contract,
        kind=kind,
        upload=SimpleUploadedFile("框架协议（双方盖章）.pdf", PDF, "application/pdf"),
        uploaded_by=procurement,
    )


def test_a_new_buyer_wants_the_signed_copy():
    assert Organization(kind=Organization.Kind.BUYER).requires_signed_contract


def test_activation_without_the_signed_copy_is_refused_naming_it(priced, procurement):
    signed_copy(priced, procurement, kind=Document.Kind.TECHNICAL_SPEC)  # not the signed copy

    with pytest.raises(ContractError) as refused:
        contract_activate(contract=priced)

    assert priced.code in refused.value.message
    assert "“签署的合同”" in refused.value.message
    priced.refresh_from_db()
    assert priced.status == FrameworkContract.Status.DRAFT


def test_the_api_and_the_page_refuse_it_too(priced, procurement, api):
    answer = api(procurement).post(f"/api/v1/contracts/{priced.pk}/activate/")
    assert answer.status_code == 400
    assert "签署的合同" in answer.json()["detail"]

    page = browser(procurement)
    shown = page.post(f"/contracts/{priced.pk}/activate/", follow=True).content.decode()
    assert "签署的合同" in shown
    priced.refresh_from_db()
    assert priced.status == FrameworkContract.Status.DRAFT


def test_activation_with_the_signed_copy_is_allowed(priced, procurement):
    signed_copy(priced, procurement)

    assert contract_activate(contract=priced).status == ACTIVE


def test_a_buyer_that_does_not_ask_for_it_activates_without_it(priced, buyer, procurement, api):
    answer = api(procurement).patch(
        f"/api/v1/organizations/{buyer.pk}/", {"requires_signed_contract": False}
    )
    assert answer.status_code == 200
    assert answer.json()["requires_signed_contract"] is False

    assert contract_activate(contract=priced).status == ACTIVE


def test_the_vendor_does_not_change_its_buyers_setting(priced, buyer, vendor_pm, api):
    answer = api(vendor_pm).patch(
        f"/api/v1/organizations/{buyer.pk}/", {"requires_signed_contract": False}
    )

    assert answer.status_code in (400, 403)
    buyer.refresh_from_db()
    assert buyer.requires_signed_contract is True


def test_the_draft_contracts_page_says_what_to_attach_until_it_is(priced, procurement):
    page = browser(procurement)
    assert 'id="signed-copy-missing"' in page.get(f"/contracts/{priced.pk}/").content.decode()

    signed_copy(priced, procurement)

    assert 'id="signed-copy-missing"' not in page.get(f"/contracts/{priced.pk}/").content.decode()
