"""The sheet list's pages kept in the cache: the portal's busiest read (make bench), the same
pages asked again and again by everyone of a buyer between two computations.

A page is kept under the list's version, which every write replaces to a sheet, its lines, the
penalties it offsets, a contract (whose parties decide who sees the sheet), an order or an
organization (their numbers and names are searched and sorted by) or a calendar year (a
provisional year marks deadlines 暂定), and every migration (the web service migrates as it
starts, so a restored database starts a new version): a kept page is never older than the
rows. The version is read before the rows, and replaced both when a row is written and again
once its transaction commits, so a page read between the two is kept under a version no one
asks for any more. A version is a random text, not a count: a cache that dropped it (locmem
culls) cannot hand out a page kept under an earlier one. The version is shared by the processes
that share the cache: a server of several processes needs Redis (REDIS_URL).

The list is a GET, which writes nothing: a transaction that wrote sheets and then listed them
would keep its uncommitted page under the version of its write until it commits (the tests,
which roll back, start each with a new version: tests/conftest.py)."""

import hashlib
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from contracts.models import FrameworkContract
from core.models import CalendarYear, Organization
from core.writes import bulk_written
from governance.models import Penalty
from orders.models import Order
from settlement.models import SettlementSheet, SheetLine

VERSION = "settlement:list:version"
KEPT_SECONDS = 600  # a page of a version no longer asked for leaves the cache by itself


def version() -> str:
    current = cache.get(VERSION)
    if current is None:
        cache.add(VERSION, uuid4().hex, None)
        current = cache.get(VERSION)
    return current


def _replace_version() -> None:
    cache.set(VERSION, uuid4().hex, None)


def written(**_signal) -> None:
    _replace_version()
    transaction.on_commit(_replace_version)


# What a page shows or is filtered and ordered by: the sheets, their lines and offsets, their
# orders' and contracts' numbers and names, the vendors' names, the calendar's years.
for model in (
    SettlementSheet,
    SheetLine,
    Penalty,
    FrameworkContract,
    Order,
    Organization,
    CalendarYear,
):
    for signal in (post_save, post_delete, bulk_written):
        signal.connect(written, sender=model, dispatch_uid=f"list_cache_{model.__name__}")
post_migrate.connect(written, dispatch_uid="list_cache_migrations")


def page_key(request, *parts) -> str:
    """The page's key: the version, who asks (`parts`: what decides what they see) and the
    whole address asked (the page's links to the next and previous pages repeat it)."""
    asked = hashlib.sha256(
        "\n".join(
            [request.build_absolute_uri(), request.accepted_media_type, *map(str, parts)]
        ).encode()
    ).hexdigest()
    return f"settlement:list:{version()}:{asked}"
