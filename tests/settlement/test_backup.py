"""Backup and restore as the README documents them (pg_dump -Fc, pg_restore): the restored
database settles the next month to the same figures, to the cent, as the original."""

import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.db import connection

from core.db import database_url
from demo.scale import Scale, generate
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIGURES = """
    SELECT o.number, s.month, s.status, s.base_amount, s.score, s.tax_rate, s.uncapped_incl_tax,
           s.payable_incl_tax, s.payable_excl_tax, s.tax_amount, s.capped,
           (SELECT string_agg(l.item || l.level || l.quantity || '×' || l.unit_price_incl_tax, ';'
                              ORDER BY l.item, l.level)
              FROM settlement_sheetline l WHERE l.sheet_id = s.id)
      FROM settlement_settlementsheet s JOIN orders_order o ON o.id = s.order_id
     ORDER BY o.number, s.month;
    SELECT code, settled_total, committed_total FROM contracts_frameworkcontract ORDER BY code;
"""


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-XAtq", "-c", sql], capture_output=True, text=True, check=True
    ).stdout


def test_a_restored_database_settles_to_the_same_figures(tmp_path):
    generate(Scale(contracts=2, orders=6, staff=12, months=2))
    admin = UserFactory(role="admin", is_superuser=True)
    settlements_compute(month=date(2026, 1, 1))
    for sheet in SettlementSheet.objects.all()[:3]:  # January partly signed
        vendor_pm = UserFactory(role="vendor_pm", organization=sheet.contract.vendor)
        sheet_confirm(sheet=sheet, actor=vendor_pm)
        sheet_confirm(sheet=sheet, actor=admin)

    original = database_url()
    restored = original.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"] + "_restored"
    dump = tmp_path / "portal.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", dump, original], check=True)
    server = original.rsplit("/", 1)[0] + "/postgres"
    name = restored.rsplit("/", 1)[1]
    psql(server, f'DROP DATABASE IF EXISTS "{name}"')
    psql(server, f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", restored, dump], check=True)
        assert psql(restored, FIGURES) == psql(original, FIGURES)

        settlements_compute(month=date(2026, 2, 1))
        subprocess.run(
            [sys.executable, "manage.py", "settle", "--month", "2026-02"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": restored},
            check=True,
        )
        figures = psql(original, FIGURES)
        assert figures.count("2026-02-01") == 6 and figures.count("signed") == 3
        assert psql(restored, FIGURES) == figures
    finally:
        psql(server, f'DROP DATABASE IF EXISTS "{name}"')
