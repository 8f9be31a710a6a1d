"""`make run`'s demo data: the five seed contracts load, twice safely, with a provisional 2027."""

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


@pytest.mark.django_db
def test_the_demo_keeps_a_january_2027_log_on_the_provisional_calendar(client):
    from core.calendar import calendar_year
    from worklogs.models import WorkLog

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log = WorkLog.objects.get(order__number="MGYY-2026-003-001", month="2027-01-01")

    assert calendar_year(2027).status == "provisional"
    # The order ends on Monday 4 January, 1 January being 元旦: one day each.
    assert sorted(line.days for line in log.lines.all()) == [Decimal("1")] * 4
    client.force_login(User.objects.get(username="yunqi_pm"))
    page = client.get(f"/orders/{log.order_id}/worklog/2027-01/").content.decode()
    assert "本月 20 个工作日" in page and "暂定" in page
