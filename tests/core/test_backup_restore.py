"""`manage.py backup` and `manage.py restore` round trip: the demo backed up, restored into a
fresh database and media folder by another process, every money-bearing row equal and the
ledger check clean there; a database that is not empty is refused."""

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from core.backups import BackupError, backup_restore, backup_write
from core.db import database_url

MONEY_TABLES = [
    "contracts_frameworkcontract",
    "orders_order",
    "orders_orderline",
    "orders_ledgerentry",
    "settlement_settlementsheet",
    "settlement_sheetline",
    "finance_invoice",
    "finance_invoicesheet",
    "finance_payment",
    "governance_penalty",
]


def rows(cursor) -> dict:
    found = {}
    for table in MONEY_TABLES:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        found[table] = cursor.fetchall()
    return found


def current_rows() -> dict:
    """The test database's rows as a plain client reads them (the restored one is read so)."""
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(connection.settings_dict["NAME"])) as current:
            return rows(current.cursor())
    with connection.cursor() as cursor:
        return rows(cursor)


def fresh_database(tmp_path) -> tuple[str, callable]:
    """A new, empty database of the same kind: its URL and a way to read it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        return f"sqlite:///{path}", lambda: closing(sqlite3.connect(path))
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = database_url().rsplit("/", 1)[0] + f"/{name}"
    return url, lambda: psycopg.connect(url)


def manage(*args, url, media) -> str:
    environment = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    environment.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_every_money_row_and_paper(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", stdout=io.StringIO())
    before = current_rows()
    assert before["finance_payment"] and before["settlement_sheetline"]
    papers = sorted(
        p.relative_to(settings.MEDIA_ROOT) for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")
    )
    assert papers

    archive = backup_write(folder=tmp_path / "backups")
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert names[0] == "manifest.json" and len(names) == 2 + len(papers)

    url, reader = fresh_database(tmp_path)
    restored_media = tmp_path / "restored-media"
    assert "Restored the backup of" in manage(
        "restore", str(archive), url=url, media=restored_media
    )
    assert "Every counter equals its recomputation." in manage(
        "ledger_check", url=url, media=restored_media
    )
    with reader() as restored:
        assert rows(restored.cursor()) == before
    restored_papers = sorted(p.relative_to(restored_media) for p in restored_media.rglob("*.pdf"))
    assert restored_papers == papers

    # Into a database that is not empty (this one), nothing is loaded.
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(path=archive)
