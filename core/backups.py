"""One archive holding everything the portal keeps: a consistent dump of the database
(PostgreSQL's own `pg_dump`; SQLite's online backup API under `make run`) and the uploaded
files (the media storage on disk), with a manifest of row counts and checksums. Restored only
into an empty database and an empty media folder (README, Operations)."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.errors import DomainError

MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"


class BackupError(DomainError):
    code = "backup"


def row_counts() -> dict[str, int]:
    """Every table's rows, by model label (what a restore is checked against)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def backup_write(*, folder: Path) -> Path:
    """Writes `portal-backup-<time>.tar` into `folder` and returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime()
    path = folder / f"portal-backup-{stamp:%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[connection.vendor]
        _dump(dump)
        files = {dump.name: _sha256(dump)}
        media = _media_files()
        files |= {f"{MEDIA}/{name}": _sha256(source) for name, source in media.items()}
        manifest = {
            "created_at": stamp.isoformat(),
            "database": connection.vendor,
            "counts": row_counts(),
            "files": files,
            "media_in_bucket": bool(settings.DOCUMENTS_S3_BUCKET),
        }
        with tarfile.open(path, "w") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(dump, arcname=dump.name)
            for name, source in media.items():
                archive.add(source, arcname=f"{MEDIA}/{name}")
    return path


def backup_restore(*, path: Path) -> dict:
    """Loads an archive into this (empty) database and media folder; its manifest."""
    with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as work:
        manifest = json.load(archive.extractfile(MANIFEST))
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']} database; this is {connection.vendor}."
            )
        _check_empty()
        archive.extractall(work, filter="data")
        for name, checksum in manifest["files"].items():
            if _sha256(Path(work) / name) != checksum:
                raise BackupError(f"{name} does not match its checksum: the archive is damaged.")
        _load(Path(work) / DUMPS[connection.vendor])
        media = Path(work) / MEDIA
        if media.is_dir():
            for source in media.rglob("*"):
                if source.is_file():
                    target = Path(settings.MEDIA_ROOT) / source.relative_to(media)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(source.read_bytes())
    counts = row_counts()
    if counts != manifest["counts"]:
        differing = sorted(k for k in manifest["counts"] if counts.get(k) != manifest["counts"][k])
        raise BackupError(f"Restored, but the row counts differ: {', '.join(differing)}.")
    return manifest


def _dump(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _pg_name()],
        env=_pg_env(),
        check=True,
        capture_output=True,
    )


def _load(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        return
    connection.close()  # pg_restore writes through its own session
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_pg_name()}", str(dump)],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _check_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables): restore into a new one."
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        raise BackupError(f"The media folder {media} is not empty: restore into a new one.")


def _media_files() -> dict[str, Path]:
    """The uploaded files on disk (none when the documents are in a bucket: back that up with
    the bucket's own versioning)."""
    root = Path(settings.MEDIA_ROOT)
    if settings.DOCUMENTS_S3_BUCKET or not root.is_dir():
        return {}
    return {str(path.relative_to(root)): path for path in sorted(root.rglob("*")) if path.is_file()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_name() -> str:
    return connection.settings_dict["NAME"]


def _pg_env() -> dict:
    database = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": str(database["HOST"] or "localhost"),
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": str(database["USER"] or ""),
        "PGPASSWORD": str(database["PASSWORD"] or ""),
    }
