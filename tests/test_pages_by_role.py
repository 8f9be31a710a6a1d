"""Every page a role can open answers 200 for it; every page of another vendor's object, 404."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.models import User
from orders.models import Order
from settlement.models import SettlementSheet
from staffing.models import StaffMember

OBJECT_PAGES = [
    "/contracts/{contract}/",
    "/contracts/{contract}/staff/",
    "/contracts/{contract}/ceiling.json",
    "/contracts/{contract}/rate-card/export/",
    "/staff/{staff}/",
    "/orders/{order}/",
    "/orders/{order}/pdf/",
    "/orders/{order}/worklog/",
    "/orders/{order}/worklog/2026-10/",
    "/orders/{order}/worklog/2026-10/template/",
    "/orders/{order}/assessment/",
    "/orders/{order}/assessment/2026-10/",
    "/assessments/{assessment}/pdf/",
    "/settlements/{sheet}/",
    "/settlements/{sheet}/pdf/",
]
LISTS = [
    "/",
    "/contracts/",
    "/orders/",
    "/worklogs/",
    "/settlements/",
    "/settlements/ledger/",
    "/assessment-templates/",
    "/assessment-templates/1/",
]
BUYER_ONLY = ["/contracts/new/", "/orders/new/", "/contracts/{contract}/rate-card/import/"]


@pytest.fixture
def pages(db):
    call_command("load_demo", stdout=io.StringIO())
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    ids = {
        "contract": contract.pk,
        "staff": StaffMember.objects.filter(contract=contract)[0].pk,
        "order": Order.objects.get(number="MGYY-2026-003-001").pk,
        "assessment": Assessment.objects.filter(status="confirmed")[0].pk,
        "sheet": SettlementSheet.objects.order_by("month")[0].pk,
    }
    FrameworkContract.objects.filter(pk=contract.pk).update(status="draft")  # to import
    return [page.format(**ids) for page in OBJECT_PAGES], [p.format(**ids) for p in BUYER_ONLY]


def client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ["caigou", "caiwu", "yunqi_pm", "admin"])
def test_each_role_opens_its_pages(pages, username):
    object_pages, buyer_only = pages
    client = client_for(username)
    for page in LISTS + object_pages + (buyer_only if username in ("caigou", "admin") else []):
        assert client.get(page).status_code == 200, page


def test_another_vendors_object_pages_are_404(pages):
    object_pages, buyer_only = pages
    client = client_for("xinghe_pm")
    for page in object_pages + buyer_only[2:]:
        assert client.get(page).status_code == 404, page
    for page in LISTS:
        assert client.get(page).status_code == 200, page
