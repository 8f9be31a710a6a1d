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
    # February to August are signed: 55,548.36 … 67,861.99, 454,408.27 in all.
    assert data["settled"][1] == Decimal("55548.36")
    assert data["settled"][7] == data["settled"][10] == Decimal("454408.27")
    assert data["settled"][11:] == [None, None]
    assert data["pace"] == Decimal("67512.18")  # the mean of June, July and August
    assert data["projected"][8] == Decimal("521920.45")
    assert data["runs_out"] == "2047-10"  # (17,627,800.00 − 454,408.27) / 67,512.18 months on
    assert data["free"] + data["committed"] + contract.settled_total == data["ceiling"]


def test_the_chart_data_is_404_for_another_vendor():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    client = Client()
    client.force_login(User.objects.get(username="xinghe_pm"))

    assert client.get(f"/contracts/{contract.pk}/ceiling.json").status_code == 404
    client.force_login(User.objects.get(username="yunqi_pm"))
    assert client.get(f"/contracts/{contract.pk}/ceiling.json").json()["runs_out"] == "2047-10"
