"""A 补充协议 (11.4) changes a signed contract from its month on and never before: the new
price prices the sheets of its month and after while earlier months keep the old one, the
ceiling checks read the ceiling in force on either side of its date, a new VAT rate and a new
template version apply from its month, and its PDF says what changed."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest

from assessment.models import AssessmentTemplate
from assessment.services import template_new_version, template_publish
from contracts.amendments import (
    LineChange,
    amendment_create,
    amendment_pdf,
    amendment_sign,
    amendment_update,
    amendments_take_effect,
)
from contracts.models import Amendment, FrameworkContract
from contracts.services import ContractError, contract_activate
from orders.services import OrderError, order_create, order_issue
from settlement.models import SettlementSheet
from settlement.selectors import ceiling_timeline
from settlement.services import settlements_compute
from tests.contracts.amendments import in_force, repriced
from tests.factories import ContractFactory, rate_card
from tests.settlement.conftest import approved_log, confirmed_score, issued
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db
SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)


def sheet_of(month):
    return SettlementSheet.objects.get(month=month)


def test_the_new_price_prices_its_month_and_not_the_one_before(
    active_contract, procurement, vendor_pm
):
    """产品/平台服务 高级 at 849.06 excl. tax (900.00 incl. at 6%) becomes 801.89 from October:
    801.89 × 1.06 = 850.0034 → 850.00 a day. 10 days in each month, scored 100."""
    order = issued(active_contract, planned="30")
    senior = member(active_contract, 1)
    for month in (SEPTEMBER, OCTOBER):
        approved_log(order, month, [(senior, "10")], procurement)
        confirmed_score(order, month, "50", procurement, vendor_pm)
    amendment = in_force(
        active_contract,
        procurement,
        vendor_pm,
        effective_from=OCTOBER,
        lines=[repriced(active_contract, "产品/平台服务", "高级", Decimal("801.89"))],
    )
    assert amendment.status == Amendment.Status.IN_FORCE

    settlements_compute(month=SEPTEMBER)
    settlements_compute(month=OCTOBER)

    september, october = sheet_of(SEPTEMBER), sheet_of(OCTOBER)
    assert [ln.unit_price_incl_tax for ln in september.lines.all()] == [Decimal("900.00")]
    assert [ln.unit_price_incl_tax for ln in october.lines.all()] == [Decimal("850.00")]
    # 10 × 900.00 = 9,000.00; 10 × 850.00 = 8,500.00, at a score of 100.
    assert (september.score, september.payable_incl_tax) == (Decimal("100.00"), Decimal("9000.00"))
    assert (october.score, october.payable_incl_tax) == (Decimal("100.00"), Decimal("8500.00"))
    # The rate card as signed is untouched; the day before and the day of read each price.
    contract = FrameworkContract.objects.get(pk=active_contract.pk)
    assert contract.prices_on(date(2026, 9, 30))[("产品/平台服务", "高级")] == Decimal("849.06")
    assert contract.prices_on(OCTOBER)[("产品/平台服务", "高级")] == Decimal("801.89")


def test_an_order_starting_after_the_date_is_planned_at_the_new_price(
    active_contract, procurement, vendor_pm
):
    in_force(
        active_contract,
        procurement,
        vendor_pm,
        effective_from=OCTOBER,
        lines=[repriced(active_contract, "产品/平台服务", "高级", Decimal("801.89"))],
    )

    def planned(start):
        return order_create(
            contract=active_contract,
            name="运营",
            service_start=start,
            service_end=date(2026, 12, 31),
            lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "10"}],
        ).planned_amount

    # 10 × 900.00 before October, 10 × 850.00 from it.
    assert planned(date(2026, 9, 1)) == Decimal("9000.00")
    assert planned(OCTOBER) == Decimal("8500.00")


def test_an_added_line_is_priced_from_the_date_only(active_contract, procurement, vendor_pm):
    added = LineChange(
        role="直播运营",
        level="中级",
        cap_price_excl_tax=Decimal("700.00"),
        price_excl_tax=Decimal("650.00"),
        estimated_quantity=Decimal("100"),
    )
    in_force(active_contract, procurement, vendor_pm, effective_from=OCTOBER, lines=[added])
    contract = FrameworkContract.objects.get(pk=active_contract.pk)
    assert ("直播运营", "中级") not in contract.prices_on(date(2026, 9, 30))
    assert contract.prices_on(OCTOBER)[("直播运营", "中级")] == Decimal("650.00")
    assert contract.rate_card_lines.get(role="直播运营").added_by.number == 1


def test_a_price_above_the_lines_cap_is_refused(active_contract, procurement):
    with pytest.raises(ContractError) as refused:
        amendment_create(
            contract=active_contract,
            actor=procurement,
            effective_from=OCTOBER,
            lines=[repriced(active_contract, "产品/平台服务", "高级", Decimal("849.07"))],
        )
    assert "849.06" in refused.value.message
    assert not Amendment.objects.exists()


def test_the_ceiling_check_reads_the_ceiling_in_force_on_either_side_of_the_date(
    buyer, vendor, procurement, vendor_pm, clock
):
    """A ceiling of 10,000.00 raised to 20,000.00 from 1 December: an order of 12 senior days
    (12 × 900.00 = 10,800.00) is refused on 20 November and issued on 1 December."""
    clock(date(2026, 11, 20))
    contract = contract_activate(
        contract=rate_card(
            ContractFactory(buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal("10000.00"))
        )
    )
    in_force(
        contract,
        procurement,
        vendor_pm,
        effective_from=date(2026, 12, 1),
        ceiling_incl_tax=Decimal("20000.00"),
    )

    def order():
        return order_create(
            contract=contract,
            name="年底活动",
            service_start=date(2026, 12, 1),
            service_end=date(2026, 12, 31),
            lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "12"}],
        )

    with pytest.raises(OrderError) as refused:
        order()
    assert "10000.00" in refused.value.message

    clock(date(2026, 12, 1))
    assert amendments_take_effect(today=date(2026, 12, 1)) == 1
    assert amendments_take_effect(today=date(2026, 12, 1)) == 0
    assert order_issue(order=order()).planned_amount == Decimal("10800.00")
    contract.refresh_from_db()
    assert (contract.ceiling_incl_tax, contract.committed_total) == (
        Decimal("20000.00"),
        Decimal("10800.00"),
    )
    assert contract.ceiling_on(date(2026, 11, 30)) == Decimal("10000.00")
    assert contract.ceiling_on(date(2026, 12, 1)) == Decimal("20000.00")
    # The contract page's chart draws each month's ceiling: November's and December's.
    assert ceiling_timeline(contract, date(2026, 12, 1))["ceilings"][10:] == [
        Decimal("10000.00"),
        Decimal("20000.00"),
    ]


def test_a_ceiling_below_what_is_committed_is_refused(active_contract, procurement):
    issued(active_contract, planned="10")  # 10 × 900.00 = 9,000.00 reserved
    with pytest.raises(ContractError) as refused:
        amendment_create(
            contract=active_contract,
            actor=procurement,
            effective_from=OCTOBER,
            ceiling_incl_tax=Decimal("8999.99"),
        )
    assert refused.value.field == "ceiling_incl_tax"


def test_a_new_vat_rate_keeps_the_price_excl_tax(active_contract, procurement, vendor_pm):
    """4.3: at 3% from October, 849.06 × 1.03 = 874.5318 → 874.53 a day incl. tax."""
    in_force(
        active_contract, procurement, vendor_pm, effective_from=OCTOBER, tax_rate=Decimal("0.03")
    )
    contract = FrameworkContract.objects.get(pk=active_contract.pk)
    assert contract.tax_rate_on(date(2026, 9, 30)) == Decimal("0.06")
    assert contract.tax_rate_on(OCTOBER) == Decimal("0.0300")
    order = order_create(
        contract=contract,
        name="运营",
        service_start=OCTOBER,
        service_end=date(2026, 12, 31),
        lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "1"}],
    )
    assert order.lines.get().unit_price_incl_tax == Decimal("874.53")


def test_a_new_template_version_scores_the_months_from_its_date(
    active_contract, procurement, vendor_pm
):
    old = active_contract.assessment_template
    new = template_publish(
        template=template_new_version(template=old, actor=procurement), actor=procurement
    )
    assert (new.name, new.version) == (old.name, old.version + 1)
    in_force(
        active_contract, procurement, vendor_pm, effective_from=OCTOBER, assessment_template=new
    )
    order = issued(active_contract, planned="30")
    senior = member(active_contract, 1)
    for month in (SEPTEMBER, OCTOBER):
        approved_log(order, month, [(senior, "10")], procurement)
    assert confirmed_score(order, SEPTEMBER, "50", procurement, vendor_pm).template == old
    assert confirmed_score(order, OCTOBER, "50", procurement, vendor_pm).template == new
    # An earlier version, or another template, is no move forward.
    with pytest.raises(ContractError):
        amendment_create(
            contract=active_contract,
            actor=procurement,
            effective_from=date(2026, 11, 1),
            assessment_template=AssessmentTemplate.objects.get(pk=old.pk),
        )


@pytest.mark.parametrize(
    "values",
    [
        {"effective_from": date(2026, 10, 2), "ceiling_incl_tax": Decimal("1")},  # not a 1st
        {"effective_from": date(2027, 1, 1), "ceiling_incl_tax": Decimal("1")},  # past the term
        {"effective_from": OCTOBER},  # changes nothing
        {"effective_from": OCTOBER, "end_date": date(2026, 9, 30)},  # ends before it starts
    ],
)
def test_a_draft_that_breaks_a_rule_is_refused_and_nothing_saved(
    values, active_contract, procurement
):
    with pytest.raises(ContractError):
        amendment_create(contract=active_contract, actor=procurement, **values)
    assert not Amendment.objects.exists()


def test_the_draft_changes_until_the_vendor_signs_it(active_contract, procurement, vendor_pm):
    amendment = amendment_create(
        contract=active_contract,
        actor=procurement,
        effective_from=OCTOBER,
        end_date=date(2027, 6, 30),
    )
    amendment = amendment_update(amendment=amendment, end_date=date(2027, 3, 31))
    assert amendment.end_date == date(2027, 3, 31)
    amendment_sign(amendment=amendment, actor=vendor_pm)
    with pytest.raises(ContractError) as refused:
        amendment_update(amendment=amendment, end_date=date(2027, 6, 30))
    assert refused.value.status == 409
    amendment_sign(amendment=amendment, actor=procurement)
    assert FrameworkContract.objects.get(pk=active_contract.pk).end_date == date(2027, 3, 31)


def test_the_pdf_says_what_changes(active_contract, procurement, vendor_pm, tmp_path):
    amendment = in_force(
        active_contract,
        procurement,
        vendor_pm,
        effective_from=OCTOBER,
        ceiling_incl_tax=Decimal("20000000.00"),
        tax_rate=Decimal("0.03"),
        lines=[repriced(active_contract, "产品/平台服务", "高级", Decimal("801.89"))],
    )
    path = tmp_path / "amendment.pdf"
    path.write_bytes(amendment_pdf(amendment))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "补充协议",
        active_contract.code,
        "自2026年10月1日起",
        "17,627,800.00",
        "20,000,000.00",
        "贰仟万元整",
        "6%",
        "3%",
        "849.06",
        "801.89",
    ):
        assert expected in text, expected
