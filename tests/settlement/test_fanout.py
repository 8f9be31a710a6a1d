"""The month's settlement and its PDFs fanned out across two real Celery workers on PostgreSQL:
every figure as the same month computed in one task, both workers at work, a failed part named
and resumed alone, PDFs rendered once and zipped from storage. CI runs these."""

import io
import socket
import subprocess
import zipfile
from datetime import date

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat

from bench.workers import until, worker_of
from config.celery import app
from contracts.models import RateCardLine
from core.db import database_url
from core.models import User
from demo.scale import Scale, generate
from orders.models import Order
from settlement.models import SettlementSheet, TaskPart
from settlement.services import settlements_compute
from settlement.tasks import settlements_compute_task, sheets_pdf_zip_task
from tests.conftest import wait_for_task
from tests.workers import routed

JANUARY = date(2026, 1, 1)
QUEUE = "fan"
NODES = [f"fan{n}@{socket.gethostname()}" for n in (1, 2)]

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="real workers on PostgreSQL (CI)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """The storage the workers and the tests share (MEDIA_ROOT)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def two_workers(django_db_setup, django_db_blocker, media):
    """Two workers of one queue, as two machines would be."""
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(QUEUE)
    workers = [worker_of(QUEUE, node, MEDIA_ROOT=str(media)) for node in NODES]
    yield workers
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def year():
    """Four contracts of 30 orders each, a month of approved logs and confirmed scores."""
    generate(Scale(contracts=4, orders=120, staff=240, months=1))


def sheets() -> dict:
    """Every sheet of the month, by order: its figures and its lines."""
    return {
        sheet.order.number: (
            sheet.base_amount,
            sheet.score,
            sheet.tax_rate,
            sheet.uncapped_incl_tax,
            sheet.deductions_incl_tax,
            sheet.payable_incl_tax,
            sheet.payable_excl_tax,
            sheet.tax_amount,
            sheet.capped,
            sorted(
                (line.item, line.level, line.quantity, line.unit_price_incl_tax, line.amount)
                for line in sheet.lines.all()
            ),
        )
        for sheet in SettlementSheet.objects.select_related("order").prefetch_related("lines")
    }


def test_a_month_fanned_out_over_two_workers_equals_the_month_in_one_task(two_workers, year):
    in_one_task = settlements_compute(month=JANUARY)
    expected = sheets()
    SettlementSheet.objects.all().delete()

    # One contract's first sheet held: its part waits on one worker, the other takes the rest.
    first = Order.objects.order_by("contract_id", "pk").first()
    with psycopg.connect(database_url()) as holder:
        holder.execute(
            "SELECT id FROM contracts_frameworkcontract WHERE id = %s FOR UPDATE",
            [first.contract_id],
        )
        task = settlements_compute_task.apply_async(args=("2026-01",), queue=QUEUE)
        until(
            lambda: TaskPart.objects.filter(run__task_id=task.id, state="done").count() == 3,
            "the other worker does the three other parts",
        )
        holder.rollback()
    fanned_out = task.get(timeout=60)

    assert fanned_out == in_one_task | {"failed": []}
    assert fanned_out["computed"] == 120 and fanned_out["created"] == 120
    assert sheets() == expected
    parts = TaskPart.objects.filter(run__task_id=task.id)
    assert sorted(parts.values_list("label", flat=True)) == sorted(
        set(Order.objects.values_list("contract__code", flat=True))
    )
    assert set(parts.values_list("worker", flat=True)) == set(NODES)


def test_a_failed_part_is_named_and_resumed_alone(two_workers, year, api):
    procurement = User.objects.get(username="scale_caigou_2026")
    client = api(procurement)
    broken = Order.objects.order_by("contract_id", "pk").last().contract
    roles = dict(RateCardLine.objects.filter(contract=broken).values_list("pk", "role"))
    RateCardLine.objects.filter(contract=broken).update(role=Concat("role", Value("（停用）")))

    with routed(settlements_compute_task, QUEUE):
        started = client.post("/api/v1/settlements/compute/", {"month": "2026-01"}, format="json")
        task_id = started.json()["task_id"]
        finished = wait_for_task(client, task_id)

    assert finished["state"] == "SUCCESS"
    result = finished["result"]
    assert (result["computed"], result["created"]) == (90, 90)
    [failed] = result["failed"]
    assert failed["part"] == broken.code and failed["error"].startswith("KeyError")
    assert f"1 个部分失败（{broken.code}）：请继续运行以完成计算。" in result["summary"]
    assert SettlementSheet.objects.count() == 90
    assert not SettlementSheet.objects.filter(contract=broken).exists()

    for pk, role in roles.items():  # the rate card mended
        RateCardLine.objects.filter(pk=pk).update(role=role)
    with routed(settlements_compute_task, QUEUE):
        assert client.post(f"/api/v1/tasks/{task_id}/resume/").status_code == 202
        resumed = wait_for_task(client, task_id)

    assert resumed["state"] == "SUCCESS"
    assert (resumed["result"]["computed"], resumed["result"]["failed"]) == (120, [])
    assert SettlementSheet.objects.count() == 120
    attempts = dict(TaskPart.objects.filter(run__task_id=task_id).values_list("label", "attempts"))
    assert attempts == {code: 2 if code == broken.code else 1 for code in attempts}


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_pdfs_are_rendered_side_by_side_once_and_zipped_from_storage(
    two_workers, year, media, settings
):
    settings.MEDIA_ROOT = media
    settlements_compute(month=JANUARY)
    procurement = User.objects.get(username="scale_caigou_2026")
    ids = list(SettlementSheet.objects.order_by("month", "pk").values_list("pk", flat=True)[:25])

    task = sheets_pdf_zip_task.apply_async(args=(procurement.pk, ids), queue=QUEUE)
    assert task.get(timeout=120) == {"count": 25, "failed": []}

    parts = TaskPart.objects.filter(run__task_id=task.id)
    assert list(parts.values_list("label", flat=True)) == ["1–10", "11–20", "21–25"]
    stored = {sheet: default_storage.listdir(f"sheets/{sheet}")[1] for sheet in ids}
    assert all(len(files) == 1 for files in stored.values())
    with default_storage.open(f"exports/{procurement.pk}/{task.id}.zip") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    first = SettlementSheet.objects.select_related("order").get(pk=ids[0])
    assert len(archive.namelist()) == 25
    assert archive.namelist()[0] == f"结算单-{first.order.number}-2026-01.pdf"
    assert first.order.number in pdf_text(archive.read(archive.namelist()[0]))

    # Zipped again: nothing changed, nothing rendered again (the same files, untouched).
    modified = {sheet: default_storage.get_modified_time(f"sheets/{sheet}/{files[0]}")
                for sheet, files in stored.items()}  # fmt: skip
    again = sheets_pdf_zip_task.apply_async(args=(procurement.pk, ids), queue=QUEUE)
    assert again.get(timeout=120) == {"count": 25, "failed": []}
    assert {
        sheet: default_storage.get_modified_time(f"sheets/{sheet}/{files[0]}")
        for sheet, files in stored.items()
    } == modified
