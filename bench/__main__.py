"""`make bench`: the portal's speed at a large buyer's scale, each figure against its floor.

Runs on PostgreSQL (DATABASE_URL), in a database of its own created and dropped here, and
prints one line `BENCH {json}` at the end.
"""

import json
import os
import platform
import shutil
import sys
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The PDFs and zips the bench's workers write go to a folder of its own, removed at the end.
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import api_load, fanout, reports, settle, sheet_pdfs, worklog_import  # noqa: E402


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, "
        f"PostgreSQL {server}"
    )


def main() -> int:
    if connection.vendor != "postgresql":
        print("make bench measures on PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        figures = {"machine": machine()}
        for part in (settle, fanout, api_load, sheet_pdfs, worklog_import, reports):
            figures |= part.run()
            print(f"  {part.__name__} done", flush=True)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
        shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
    for key, value in figures.items():
        print(f"  {key:<28} {value}")
    print("BENCH " + json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
