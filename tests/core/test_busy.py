"""A lock that cannot be had in time answers 409 "try again", in the API and on the pages,
never 500, and leaves nothing saved: on PostgreSQL (lock_timeout) and on SQLite (the busy
timeout of an IMMEDIATE transaction)."""

import sqlite3
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from orders.models import Order
from tests.worklogs.conftest import issued_order

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def contract_held_elsewhere(contract):
    """Another connection holds the contract row (PostgreSQL) or the database's write lock
    (SQLite), while this one gives up after 0.3 s."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)
    if connection.vendor == "postgresql":
        import psycopg

        from core.db import database_url

        holder = psycopg.connect(database_url())
        holder.execute(
            "SELECT id FROM contracts_frameworkcontract WHERE id = %s FOR UPDATE", [contract.pk]
        )
        options["options"] = "-c lock_timeout=300"
    else:
        holder = sqlite3.connect(connection.settings_dict["NAME"])
        holder.execute("BEGIN IMMEDIATE")
        options["timeout"] = 0.3
    connection.close()
    try:
        yield
    finally:
        holder.rollback()
        holder.close()
        options.clear()
        options.update(saved)
        connection.close()


def test_a_lock_not_had_in_time_answers_409_try_again(api, procurement, active_contract):
    order = issued_order(active_contract)
    client = api(procurement)
    client.raise_request_exception = False
    page = Client(raise_request_exception=False)
    page.force_login(procurement)

    with contract_held_elsewhere(active_contract):
        answered = client.post(f"/api/v1/orders/{order.pk}/cancel/")
        shown = page.post(f"/orders/{order.pk}/cancel/", HTTP_REFERER=f"/orders/{order.pk}/")

    assert answered.status_code == 409
    assert answered.json() == {
        "detail": "其他用户正在修改相同的记录，本次操作未保存任何内容，请稍后重试。"
    }
    assert shown.status_code == 409
    text = shown.content.decode()
    assert "其他用户正在修改相同的记录" in text and f'href="/orders/{order.pk}/"' in text
    assert Order.objects.get().status == "in_service"
    assert client.post(f"/api/v1/orders/{order.pk}/cancel/").json()["status"] == "cancelled"
