"""The contract page's ceiling chart: settled month by month and the month the ceiling runs out."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from contracts.models import FrameworkContract
from core.models import User

pytestmark = pytest.mark.django_db


def test_the_ceiling_chart_data_follows_the_signed_sheets():
    from settlement.selectors import ceiling_timeline

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")

    data = ceiling_timeline(contract, date(2026, 11, 23))

    assert data["months"][0] == "2026-01" and data["months"][-1] == "2027-01"
    # February to August of the first order are signed: 55,548.36 … 67,861.99, 454,408.27 in
    # all; the design order's July to September (demo/portfolio.py) 20,370.00, 20,265.00 and
    # 20,580.00: 495,043.27 by August, 515,623.27 by September.
    assert data["settled"][1] == Decimal("55548.36")
    assert data["settled"][7] == Decimal("495043.27")
    assert data["settled"][8] == data["settled"][10] == Decimal("515623.27")
    assert data["settled"][11:] == [None, None]
    # The mean of July (66,112.97 + 20,370.00), August (67,861.99 + 20,265.00) and September
    # (20,580.00): 195,189.96 / 3 = 65,063.32.
    assert data["pace"] == Decimal("65063.32")
    assert data["projected"][8] is None
    assert data["projected"][9] == Decimal("580686.59")  # 515,623.27 + 65,063.32
    # The contract ends in January 2027: 515,623.27 + 4 × 65,063.32 = 775,876.55 by then, far
    # below 17,627,800.00: it does not run out.
    assert data["projected"][-1] == Decimal("775876.55")
    assert data["runs_out"] is None
    assert data["free"] + data["committed"] + contract.settled_total == data["ceiling"]


@pytest.mark.parametrize(
    ("ceiling", "runs_out"),
    [
        # October to December: 515,623.27 + 3 × 65,063.32 = 710,813.23 ≥ 700,000.00, while
        # November's 645,749.91 is still below.
        ("700000.00", "2026-12"),
        # January 2027, the last month: 775,876.55 < 800,000.00: not before the end.
        ("800000.00", None),
        ("775876.55", "2027-01"),
    ],
)
def test_the_ceiling_runs_out_only_within_the_contract(ceiling, runs_out):
    from settlement.selectors import ceiling_timeline

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    FrameworkContract.objects.filter(code="MGYY-2026-003").update(ceiling_incl_tax=ceiling)
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")

    data = ceiling_timeline(contract, date(2026, 11, 23))

    assert data["runs_out"] == runs_out
    assert data["projected"][-1] == min(Decimal("775876.55"), Decimal(ceiling))


def test_the_chart_data_is_404_for_another_vendor():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    client = Client()
    client.force_login(User.objects.get(username="xinghe_pm"))

    assert client.get(f"/contracts/{contract.pk}/ceiling.json").status_code == 404
    client.force_login(User.objects.get(username="yunqi_pm"))
    assert client.get(f"/contracts/{contract.pk}/ceiling.json").json()["runs_out"] is None


def test_the_contract_page_says_when_the_ceiling_will_not_run_out():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    client = Client()
    client.force_login(User.objects.get(username="caigou"))

    page = client.get(f"/contracts/{contract.pk}/").content.decode()

    assert "合同期内不会用完" in page  # the note ceiling.js shows when runs_out is None
