"""A contract's steps (SPEC §3, clause 4.2) agree on its page, in the API and in the services:
procurement activates a draft and terminates an active contract; an active one expires when
its term has ended, by the nightly task alone."""

from datetime import timedelta

import pytest

from contracts.models import FrameworkContract
from contracts.services import (
    contract_activate,
    contracts_expire_due,
)
from core.errors import DomainError
from tests.factories import rate_card, terminated
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = FrameworkContract.Status


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def contract_in(status, contract):
    rate_card(contract)
    if status != Status.DRAFT:
        contract = contract_activate(contract=contract)
    if status == Status.TERMINATED:
        contract = terminated(contract)
    if status == Status.EXPIRED:
        assert contracts_expire_due(today=contract.end_date + timedelta(days=1)) == 1
    return FrameworkContract.objects.get(pk=contract.pk)


@pytest.mark.parametrize("status", Status.values)
def test_the_page_the_api_and_the_flow_agree(status, contract, users):
    contract = contract_in(status, contract)
    assert contract.status == status
    flow_agrees(
        flow=FrameworkContract.flow,
        obj=contract,
        page=f"/contracts/{contract.pk}/",
        api=f"/api/v1/contracts/{contract.pk}/",
        users=users,
        data={"terminate": {"kind": "breach", "clause": "11.2", "reason": "违约"}},
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.EXPIRED, Status.TERMINATED])
def test_only_an_active_contract_expires_or_is_terminated(status, contract):
    contract = contract_in(status, contract)
    assert contracts_expire_due(today=contract.end_date + timedelta(days=1)) == 0
    with pytest.raises(DomainError) as refused:
        terminated(contract)
    assert refused.value.status == 409
    assert FrameworkContract.objects.get(pk=contract.pk).status == status


def test_a_contract_expires_only_once_its_term_has_ended(contract):
    contract = contract_in(Status.ACTIVE, contract)
    assert contracts_expire_due(today=contract.end_date) == 0
    assert contracts_expire_due(today=contract.end_date + timedelta(days=1)) == 1
    assert FrameworkContract.objects.get(pk=contract.pk).status == Status.EXPIRED
