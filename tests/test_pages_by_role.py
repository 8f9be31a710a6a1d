"""Every page a role can open answers 200 for it; every page of another vendor's object, 404."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from assessment.models import Assessment
from contracts.models import FrameworkContract
from core.models import User
from governance.models import Penalty, Rectification
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
    "/finance/reconciliation/?contract={contract}",
    "/finance/reconciliation/?contract={contract}&export=xlsx",
    "/governance/rectifications/{rectification}/",
    "/governance/rectifications/{rectification}/pdf/",
    "/governance/penalties/{penalty}/",
    "/governance/penalties/{penalty}/pdf/",
    "/reports/consumption/?contract={contract}",
    "/reports/consumption/?contract={contract}&export=xlsx",
    "/reports/vendor-scores/?vendor={vendor}",
    "/reports/vendor-scores/?vendor={vendor}&export=xlsx",
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
    "/finance/invoices/",
    "/finance/payments/",
    "/governance/",
    "/governance/penalties/",
    "/notifications/",
    "/notifications/?unread=true",
    "/notifications/preferences/",
    "/reports/consumption/",
    "/reports/consumption/?export=xlsx",
    "/reports/spend/",
    "/reports/spend/?group_by=role&from=2026-01&to=2026-12&export=xlsx",
    "/reports/vendor-scores/",
]
BUYER_ONLY = [
    "/contracts/new/",
    "/orders/new/",
    "/governance/penalties/new/",
    "/governance/rectifications/new/",
    "/contracts/{contract}/rate-card/import/",
]
BUYER_SIDE = ["/reports/outlook/", "/reports/outlook/?export=xlsx"]  # a vendor's PM: 403


@pytest.fixture
def pages(db):
    call_command("load_demo", stdout=io.StringIO())
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    ids = {
        "contract": contract.pk,
        "vendor": contract.vendor_id,
        "staff": StaffMember.objects.filter(contract=contract)[0].pk,
        "order": Order.objects.get(number="MGYY-2026-003-001").pk,
        "assessment": Assessment.objects.filter(order__contract=contract, status="confirmed")[0].pk,
        "sheet": SettlementSheet.objects.filter(contract=contract).order_by("month")[0].pk,
        "rectification": Rectification.objects.filter(contract=contract)[0].pk,
        "penalty": Penalty.objects.get(contract=contract).pk,
    }
    FrameworkContract.objects.filter(pk=contract.pk).update(status="draft")  # to import
    return [page.format(**ids) for page in OBJECT_PAGES], [p.format(**ids) for p in BUYER_ONLY]


def client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def opens(client, page):
    """200, and an HTML page's title is plain text."""
    answer = client.get(page)
    assert answer.status_code == 200, page
    if answer["Content-Type"].startswith("text/html"):
        title = re.search(r"<title>(.*?)</title>", answer.content.decode(), re.S).group(1)
        assert "<" not in title, (page, title[:80])


@pytest.mark.parametrize("username", ["caigou", "caiwu", "yunqi_pm", "admin"])
def test_each_role_opens_its_pages(pages, username):
    object_pages, buyer_only = pages
    client = client_for(username)
    for page in LISTS + object_pages + (buyer_only if username in ("caigou", "admin") else []):
        opens(client, page)
    for page in BUYER_SIDE:
        if username == "yunqi_pm":
            assert client.get(page).status_code == 403, page
        else:
            opens(client, page)


KPI_PAGES = [
    "/orders/{order}/",
    "/orders/{order}/kpi/",
    "/orders/{order}/kpi/2026-10/",
    "/orders/{order}/kpi/2026-11/",
    "/orders/{order}/kpi/2026-02/sessions/",
    "/orders/{order}/kpi/2026-02/sessions.xlsx",
    "/settlements/{sheet}/",
    "/settlements/{sheet}/pdf/",
    "/assessments/{assessment}/pdf/",
]


def test_the_fixed_price_pages_open_for_their_parties_only(db):
    call_command("load_demo", stdout=io.StringIO())
    order = Order.objects.get(contract__code="AYQ-2025-004")
    ids = {
        "order": order.pk,
        "sheet": SettlementSheet.objects.filter(order=order)[0].pk,
        "assessment": Assessment.objects.get(order=order, period_months=6).pk,
    }
    kpi_pages = [page.format(**ids) for page in KPI_PAGES]
    for username in ("anyuan", "xinghe_pm", "admin"):
        client = client_for(username)
        for page in kpi_pages:
            opens(client, page)
    for username in ("caigou", "yunqi_pm"):
        client = client_for(username)
        for page in kpi_pages:
            assert client.get(page).status_code == 404, (username, page)


def test_another_vendors_object_pages_are_404(pages):
    object_pages, buyer_only = pages
    client = client_for("xinghe_pm")
    for page in object_pages + buyer_only[4:]:
        assert client.get(page).status_code == 404, page
    for page in LISTS:
        assert client.get(page).status_code == 200, page
