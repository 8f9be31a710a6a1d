"""附件6's attachments of before the archive became the orders' papers (orders 0006): the same
stored file, its name, size, upload time and digest, the order's buyer's procurement as its
uploader when nobody was recorded; and back again when the migration is reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from archive.models import Document
from archive.services import document_add
from tests.archive.conftest import upload
from tests.settlement.conftest import issued

BEFORE = [("orders", "0005_acceptance")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_attachment_becomes_a_paper_of_its_order_with_its_file(
    active_contract, procurement, media
):
    order = issued(active_contract)
    paper = document_add(
        target=order, kind="order_attachment", upload=upload("计划.pdf"), uploaded_by=procurement
    )
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    try:
        old = migrate(BEFORE)
        attachment = old.get_model("orders", "OrderAttachment").objects.get()
        assert (attachment.order_id, attachment.name, attachment.file.name) == (
            order.pk,
            "计划.pdf",
            paper.file.name,
        )
        assert not Document.objects.exists()
    finally:
        migrate(latest)

    moved = Document.objects.get()
    assert (moved.object_id, moved.kind, moved.name, moved.file.name) == (
        order.pk,
        "order_attachment",
        "计划.pdf",
        paper.file.name,
    )
    assert (moved.size, moved.sha256, moved.uploaded_at) == (
        paper.size,
        paper.sha256,
        paper.uploaded_at,
    )
    assert moved.uploaded_by == procurement
    assert (media / moved.file.name).read_bytes().startswith(b"%PDF")
