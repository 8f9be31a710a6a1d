"""The one lock order of the money path, and what a lock that cannot be had answers.

Every service that moves money or freezes the evidence a sheet rests on locks its rows through
`hold`, in this order: contracts, then orders, then the evidence (person-day logs, assessments),
then settlement sheets; within a rank by primary key. Two transactions that lock in the same
order wait for each other and never deadlock.

Rows are locked `FOR NO KEY UPDATE` (we never change a key): the foreign-key check PostgreSQL
runs at commit on a new sheet or ledger entry takes `FOR KEY SHARE` on its contract and order,
which conflicts with `FOR UPDATE` and would deadlock against a signer holding the contract.
On SQLite `select_for_update` does nothing: every transaction begins `IMMEDIATE` there (see the
settings), so writers take turns for the whole transaction.
"""

from dataclasses import dataclass, fields
from typing import Any

from django.db import OperationalError
from django.utils.translation import gettext_noop

BUSY_MESSAGE = gettext_noop(
    "Someone else is changing the same records right now. Nothing was saved: try again in a moment."
)


@dataclass
class Held:
    """The rows `hold` locked, re-read, by rank: an instance for an instance, a list for a list
    or a queryset."""

    contract: Any = None
    order: Any = None
    evidence: Any = None
    sheet: Any = None


def hold(**ranks) -> Held:
    """Locks the rows given by rank (`contract=`, `order=`, `evidence=`, `sheet=`; each an
    instance, a list of instances or a queryset) in the one lock order."""
    held = Held()
    for rank in (field.name for field in fields(Held)):
        given = ranks.pop(rank, None)
        if given is None:
            continue
        if hasattr(given, "_meta"):  # one instance
            setattr(held, rank, _locked([given])[0])
        else:
            setattr(held, rank, _locked(given))
    if ranks:
        raise TypeError(f"hold() got unknown ranks: {', '.join(sorted(ranks))}")
    return held


def _locked(rows) -> list:
    """Rows of possibly several models, each model's locked in primary-key order (a queryset
    is locked as it stands: ordered by key)."""
    if hasattr(rows, "model"):
        return list(rows.select_for_update(no_key=True).order_by("pk"))
    by_model = {}
    for row in rows:
        if row is not None:
            by_model.setdefault(type(row), []).append(row.pk)
    locked = []
    for model, pks in sorted(by_model.items(), key=lambda item: item[0]._meta.label):
        locked += (
            model._default_manager.select_for_update(no_key=True).filter(pk__in=pks).order_by("pk")
        )
    return locked


# PostgreSQL: deadlock_detected, lock_not_available (lock_timeout), serialization_failure.
BUSY_SQLSTATES = {"40P01", "55P03", "40001"}


def is_busy(error: Exception) -> bool:
    """A lock that could not be had in time (or a deadlock the database broke): the request
    may simply be tried again."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error)
