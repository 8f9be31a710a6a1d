"""The contract's terms (clauses 4.2, 4.3): a one-year term, the tax-rate schedule, agreed prices
under their caps, a rate card frozen once active, its states and its history."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import FrameworkContract, RateCardLine
from contracts.services import (
    ContractError,
    contract_activate,
    contract_update,
    contracts_expire_due,
    rate_card_line_save,
    tax_rate_add,
    tax_rate_update,
)
from tests.factories import ContractFactory, RateCardLineFactory, terminated

pytestmark = pytest.mark.django_db


def test_the_term_runs_one_year_from_signing_and_the_first_rate_is_six_percent():
    contract = ContractFactory(signed_on=date(2026, 1, 5))

    assert (contract.start_date, contract.end_date) == (date(2026, 1, 5), date(2027, 1, 4))
    assert list(contract.tax_rates.values_list("effective_from", "rate")) == [
        (date(2026, 1, 5), Decimal("0.0600"))
    ]
    assert contract.ceiling_excl_tax == Decimal("16630000.00")
    assert contract.ceiling_tax == Decimal("997800.00")
    assert contract.free_amount == Decimal("17627800.00")
    assert contract.status == FrameworkContract.Status.DRAFT


def test_a_new_rate_changes_the_tax_inclusive_price_and_never_the_exclusive_one():
    line = RateCardLineFactory(contract=ContractFactory(signed_on=date(2026, 1, 1)))
    contract = line.contract

    tax_rate_add(contract=contract, effective_from=date(2026, 7, 1), rate=Decimal("0.09"))

    contract = FrameworkContract.objects.prefetch_related("tax_rates").get(pk=contract.pk)
    assert contract.tax_rate_on(date(2026, 6, 30)) == Decimal("0.06")
    assert contract.tax_rate_on(date(2026, 7, 1)) == Decimal("0.09")
    line.refresh_from_db()
    assert line.price_excl_tax == Decimal("849.06")


def test_once_active_a_new_rate_starts_from_today_within_the_term():
    today = timezone.localdate()
    contract = RateCardLineFactory(
        contract=ContractFactory(signed_on=today.replace(day=1))
    ).contract
    contract_activate(contract=contract)

    for day in (today - timedelta(days=1), contract.end_date + timedelta(days=1)):
        with pytest.raises(ContractError, match="之间"):
            tax_rate_add(contract=contract, effective_from=day, rate=Decimal("0.09"))
    with pytest.raises(ContractError, match="不能再修改"):
        tax_rate_update(
            tax_rate=contract.tax_rates.get(), effective_from=today, rate=Decimal("0.09")
        )
    added = tax_rate_add(
        contract=contract, effective_from=today + timedelta(days=1), rate=Decimal("0.09")
    )
    assert added.rate == Decimal("0.09")


def test_an_agreed_price_above_its_cap_is_refused_with_the_line_named():
    contract = ContractFactory()

    with pytest.raises(ContractError) as refused:
        rate_card_line_save(
            line=RateCardLine(
                contract=contract,
                role="技术支持",
                level="高级",
                estimated_quantity=1650,
                cap_price_excl_tax=Decimal("1221.45"),
                price_excl_tax=Decimal("1221.46"),
            )
        )

    assert refused.value.message == "技术支持 高级：成交价 1221.46 高于最高限价 1221.45。"
    assert not contract.rate_card_lines.exists()


def test_the_rate_card_changes_only_while_the_contract_is_a_draft():
    line = RateCardLineFactory()
    contract_activate(contract=line.contract)
    line.price_excl_tax = Decimal("800.00")

    with pytest.raises(ContractError, match="不能再修改"):
        rate_card_line_save(line=line)
    with pytest.raises(ContractError, match="不能再修改"):
        contract_update(contract=line.contract, name="改名")


def test_states_follow_the_table():
    contract = ContractFactory()
    with pytest.raises(ContractError, match="报价表为空"):
        contract_activate(contract=contract)
    RateCardLineFactory(contract=contract, price_excl_tax=None)
    with pytest.raises(ContractError, match="尚无成交价"):
        contract_activate(contract=contract)
    RateCardLine.objects.update(price_excl_tax=Decimal("800.00"))

    contract = contract_activate(contract=contract)
    assert contract.status == FrameworkContract.Status.ACTIVE
    contract = terminated(contract)
    assert contract.status == FrameworkContract.Status.TERMINATED
    with pytest.raises(ContractError, match="不能变为"):
        contract_activate(contract=contract)


def test_contracts_past_their_term_expire_once():
    ended = RateCardLineFactory(contract=ContractFactory(signed_on=date(2025, 1, 1))).contract
    running = RateCardLineFactory(contract=ContractFactory(signed_on=date(2026, 1, 1))).contract
    contract_activate(contract=ended)
    contract_activate(contract=running)

    assert contracts_expire_due(today=date(2026, 1, 1)) == 1
    assert contracts_expire_due(today=date(2026, 1, 1)) == 0
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == ("expired", "active")


def test_every_change_is_recorded_in_the_history():
    line = RateCardLineFactory()
    contract_activate(contract=line.contract)

    assert [h.status for h in line.contract.history.order_by("history_date")] == ["draft", "active"]
    assert line.history.count() == 1
