from decimal import Decimal

import pytest
from django.core.management import call_command

from contracts.models import FrameworkContract
from core.models import User


@pytest.mark.django_db
def test_load_demo_loads_the_seed_contracts_and_is_safe_twice():
    call_command("load_demo")
    call_command("load_demo")

    contracts = {
        c.code: c
        for c in FrameworkContract.objects.prefetch_related("rate_card_lines", "tax_rates")
    }
    assert len(contracts) == 5
    assert {c.settlement_mode for c in contracts.values()} == {
        "person_day",
        "per_item",
        "fixed_milestone",
    }
    reference = contracts["MGYY-2026-003"]
    assert reference.ceiling_incl_tax == Decimal("17627800.00")
    assert reference.rate_card_lines.count() == 21
    assert reference.tax_rate == Decimal("0.06")
    assert reference.estimate.excess == Decimal("437.78")
    assert contracts["MGYY-2025-000"].rate_card_lines.count() == 27
    assert contracts["MGYY-2025-001"].rate_card_lines.count() == 18
    assert [line.unit for line in contracts["MGYY-2026-002"].rate_card_lines.all()] == ["件"] * 6
    assert (
        User.objects.filter(
            username__in=[
                "admin",
                "caigou",
                "caiwu",
                "yunqi_pm",
                "xinghe_pm",
                "zhiyin_pm",
                "anyuan",
            ]
        ).count()
        == 7
    )
