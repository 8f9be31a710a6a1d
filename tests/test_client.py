"""A REST client generated from the portal's OpenAPI schema, as a buyer's ERP or a vendor's system
makes one: openapi-python-client (pinned in pyproject.toml) with the README's configuration
(`clients/python.yaml`) reads `/api/v1/schema/` without a warning, and its code walks one month
through a live portal: procurement creates and issues an order, the vendor's PM logs the days,
procurement approves and scores them, computes the month on a worker and follows the task, both
sides confirm, the sheet is signed and its PDF downloaded. The figures are SPEC §3's worked
example, worked out by hand there."""

import importlib
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from assessment.models import Indicator
from core.auth import token_create
from settlement.models import SettlementSheet
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER
from tests.worklogs.conftest import member

CONFIG = Path(__file__).resolve().parent.parent / "clients" / "python.yaml"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def portal_client(tmp_path_factory):
    """The package `portal_client` generated from the schema the portal serves; a schema the
    generator cannot read, or reads with a warning (an operation or a type left out), fails."""
    here = tmp_path_factory.mktemp("client")
    schema = here / "schema.json"
    # The schema touches no table: its request is kept out of a transaction (as in test_fuzz).
    with mock.patch.dict(connection.settings_dict, {"ATOMIC_REQUESTS": False}):
        schema.write_bytes(Client().get("/api/v1/schema/?format=json").content)
    generated = subprocess.run(
        [
            GENERATOR,
            "generate",
            *("--path", schema, "--config", CONFIG, "--meta", "none"),
            *("--output-path", here / "portal_client"),
        ],
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "WARNING" not in generated.stdout + generated.stderr, generated.stdout
    sys.path.insert(0, str(here))
    try:
        yield importlib.import_module("portal_client")
    finally:
        sys.path.remove(str(here))
        for name in [name for name in sys.modules if name.startswith("portal_client")]:
            del sys.modules[name]


def api(module: str):
    return importlib.import_module(f"portal_client.api.{module}")


def model(name: str):
    return getattr(importlib.import_module("portal_client.models"), name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_generated_client_walks_a_month(
    portal_client, live_server, celery_worker, active_contract, procurement, vendor_pm
):
    seniors = [member(active_contract, n) for n in (1, 2, 3)]
    juniors = [
        member(active_contract, n, role="技术支持", level="初级", years_experience=2)
        for n in (4, 5)
    ]
    indicators = dict(
        Indicator.objects.filter(
            category__template=active_contract.template_on(OCTOBER)
        ).values_list("code", "pk")
    )

    def client(user):
        return portal_client.AuthenticatedClient(
            base_url=live_server.url, token=token_create(user)[1], prefix="Token"
        )

    buyer, vendor = client(procurement), client(vendor_pm)

    # Procurement commissions the order and issues it.
    order = api("orders.orders_create").sync(
        client=buyer,
        body=model("OrderRequest").from_dict(
            {
                "contract": active_contract.pk,
                "name": "运营支撑",
                "service_start": "2026-02-01",
                "service_end": "2026-12-31",
                "lines": [
                    {"role": "产品/平台服务", "level": "高级", "planned_quantity": "41.5"},
                    {"role": "技术支持", "level": "初级", "planned_quantity": "19"},
                ],
            }
        ),
    )
    assert isinstance(order, model("Order")), order
    assert order.planned_amount == "49162.11"  # 41.5 × 900.00 + 19 × 621.69
    order = api("orders.orders_issue_create").sync(order.id, client=buyer)
    assert order.status.value == "in_service"  # issued, its service begun in February

    # The vendor's PM logs October and submits it; procurement approves it.
    days = [("18", seniors[0]), ("18", seniors[1]), ("5.5", seniors[2])]
    days += [("10", juniors[0]), ("9", juniors[1])]
    log = api("worklogs.worklogs_create").sync(
        client=vendor,
        body=model("WorkLogRequest").from_dict(
            {
                "order": order.id,
                "month": "2026-10",
                "lines": [{"staff": staff.pk, "days": given} for given, staff in days],
            }
        ),
    )
    assert log.total_days == "60.5"
    assert api("worklogs.worklogs_submit_create").sync(log.id, client=vendor).status.value == (
        "submitted"
    )
    assert api("worklogs.worklogs_approve_create").sync(log.id, client=buyer).status.value == (
        "approved"
    )

    # Procurement scores the month (45 quality points, one security incident: 92.5), the
    # vendor's PM confirms it.
    score = api("assessments.assessments_create").sync(
        client=buyer,
        body=model("AssessmentRequest").from_dict(
            {
                "order": order.id,
                "month": "2026-10",
                "entries": [{"indicator": indicators["quality"], "value": "45"}],
                "incidents": [
                    {
                        "indicator": indicators["security"],
                        "date": "2026-10-02",
                        "description": "事件",
                    }
                ],
            }
        ),
    )
    assert score.total_score == "92.50"
    api("assessments.assessments_publish_create").sync(score.id, client=buyer)
    confirmed = api("assessments.assessments_confirm_create").sync(score.id, client=vendor)
    assert confirmed.status.value == "confirmed"

    # Procurement computes the month on a worker and follows the task to its end.
    started = api("settlements.settlements_compute_create").sync_detailed(
        client=buyer,
        body=model("SettlementComputeRequest").from_dict({"month": "2026-10", "order": order.id}),
    )
    assert started.status_code == 202
    task = follow(buyer, started.parsed.task_id)
    assert (task.state.value, task.result["created"]) == ("SUCCESS", 1)

    # Both sides confirm: the vendor first, then the buyer signs.
    sheets = api("settlements.settlements_list").sync(client=buyer, order=order.id)
    assert sheets.count == 1
    sheet = sheets.results[0]
    assert (sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_amount) == (
        "45474.95",
        "42900.90",
        "2574.05",
    )
    confirm = api("settlements.settlements_confirm_create")
    assert confirm.sync(sheet.id, client=vendor).status.value == "vendor_confirmed"
    signed = confirm.sync(sheet.id, client=buyer)
    assert signed.status.value == "signed"
    assert SettlementSheet.objects.get(pk=sheet.id).status == "signed"

    # The signed sheet's PDF, as a file of the generated client.
    pdf = api("settlements.settlements_pdf_retrieve").sync(sheet.id, client=buyer)
    assert pdf.payload.read(5) == b"%PDF-"
    assert "45,474.95" in pdf_text(pdf.payload.getvalue())

    # An error answers the documented body: another vendor's sheet is a 404 with its detail.
    refused = confirm.sync_detailed(sheet.id + 1000, client=vendor)
    assert refused.status_code == 404
    assert isinstance(refused.parsed, model("Error")) and refused.parsed.detail


def follow(client, task_id, seconds=60):
    """GET tasks/<id>/ until the job has ended, as the README tells a client to."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = api("tasks.tasks_retrieve").sync(task_id, client=client)
        if task.state.value in ("SUCCESS", "FAILURE", "INTERRUPTED"):
            return task
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} did not finish in {seconds} s")
