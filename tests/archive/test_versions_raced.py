"""Uploads of one paper at the same moment take turns: four signed copies of one contract sent
at once become its versions 1 to 4, each following the one before, none lost."""

import threading

import pytest
from django.db import connection

from archive.models import Document
from archive.services import document_add
from tests.archive.conftest import upload


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_four_uploads_at_once_become_four_versions_in_a_row(active_contract, procurement):
    barrier = threading.Barrier(4)

    def send(n):
        barrier.wait()
        try:
            document_add(
                target=active_contract,
                kind="signed_contract",
                upload=upload(f"签署{n}.pdf"),
                uploaded_by=procurement,
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    versions = list(Document.objects.order_by("version").values_list("version", "previous"))
    assert [v for v, _ in versions] == [1, 2, 3, 4]
    ids = list(Document.objects.order_by("version").values_list("pk", flat=True))
    assert [p for _, p in versions] == [None, *ids[:3]]
    assert Document.objects.current().count() == 1
