"""`make bench`: the portal's speed at a large buyer's scale, each figure against its floor.

Runs in a database of its own (created and dropped here), on PostgreSQL when DATABASE_URL
names one. Prints one line `BENCH {json}` at the end.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import worklog_import  # noqa: E402


def main() -> int:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        figures = {"database": connection.vendor, **worklog_import.run()}
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    for key, value in figures.items():
        print(f"  {key:<28} {value}")
    print("BENCH " + json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
