"""Money (SPEC §3): half-up to the fen, the seed caps with 6%, the worked example, 人民币大写."""

from decimal import Decimal

import pytest

from core.money import quantize, to_capitals, with_tax, without_tax


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("310.845", "310.85"),
        ("0.125", "0.13"),
        ("2.675", "2.68"),
        ("-0.125", "-0.13"),
        ("45474.95175", "45474.95"),
        ("49162.11", "49162.11"),
    ],
)
def test_quantize_rounds_half_up_to_the_fen(amount, rounded):
    assert quantize(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize(
    ("excl", "incl"),
    [
        ("849.06", "900.00"),
        ("754.72", "800.00"),
        ("471.70", "500.00"),
        ("1221.45", "1294.74"),
        ("977.50", "1036.15"),
        ("586.50", "621.69"),
    ],
)
def test_seed_caps_with_six_percent(excl, incl):
    assert with_tax(Decimal(excl), Decimal("0.06")) == Decimal(incl)


def test_worked_example_of_spec_section_3():
    base = Decimal("41.5") * Decimal("900.00") + 19 * Decimal("621.69")
    payable = quantize(base * Decimal("92.5") / 100)
    excl = without_tax(payable, Decimal("0.06"))
    assert (base, payable, excl, payable - excl) == (
        Decimal("49162.11"),
        Decimal("45474.95"),
        Decimal("42900.90"),
        Decimal("2574.05"),
    )


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.05", "伍分"),
        ("10.50", "壹拾元伍角整"),
        ("1005.00", "壹仟零伍元整"),
        ("100000.01", "壹拾万元零壹分"),
        ("45474.95", "肆万伍仟肆佰柒拾肆元玖角伍分"),
        ("17627800.00", "壹仟柒佰陆拾贰万柒仟捌佰元整"),
        ("1000000000.00", "壹拾亿元整"),
        ("0.00", "零元整"),
        ("0.50", "伍角整"),
        ("100.50", "壹佰元伍角整"),
        ("10005000.00", "壹仟万零伍仟元整"),
        ("100010000.00", "壹亿零壹万元整"),
        ("1010.10", "壹仟零壹拾元壹角整"),
        ("-2574.05", "负贰仟伍佰柒拾肆元零伍分"),
    ],
)
def test_capitals(amount, words):
    assert to_capitals(Decimal(amount)) == words
