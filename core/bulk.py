"""New rows and their history written by the database in two statements.

simple_history's bulk_create_with_history builds a second model instance per row for its
history, and Django turns every value of both into an SQL parameter of a many-row VALUES: at a
10,000-line log that was most of an import's time. Here the rows go in as one array per column
(PostgreSQL's unnest) and their history is copied from them by INSERT … SELECT, with the values
bulk_create_with_history gives it (created "+", now, the request's user, no reason). Elsewhere
(SQLite) bulk_create_with_history itself.
"""

from django.db import connections, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history


def insert_with_history(model, names: list[str], rows: list[tuple]) -> list[int]:
    """Inserts `rows` (the values of the fields `names`, as the database takes them) and a
    "+" history row for each; their primary keys, in order."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":  # SQLite (`make run`): simple_history's own way
        attnames = [model._meta.get_field(name).attname for name in names]
        made = bulk_create_with_history(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows], model
        )
        return [obj.pk for obj in made]
    quote = connection.ops.quote_name
    meta, history = model._meta, model.history.model
    fields = [meta.get_field(name) for name in names]
    columns = ", ".join(quote(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    table, key = quote(meta.db_table), quote(meta.pk.column)
    user = history.get_default_history_user(None)
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) RETURNING {key}",
            [list(column) for column in zip(*rows, strict=True)],
        )
        keys = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "
            f"history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked}, %s, NULL, '+', %s FROM {table} WHERE {key} = ANY(%s)",
            [timezone.now(), user and user.pk, keys],
        )
    return keys


def create_with_history(objs: list) -> list:
    """bulk_create_with_history's work for new instances of one model: saved with a "+"
    history row each, their primary keys set."""
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]  # not the proxy: it is read per value
    if connection.vendor != "postgresql":  # SQLite (`make run`): simple_history's own way
        return bulk_create_with_history(objs, model)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs
    ]
    keys = insert_with_history(model, [f.name for f in fields], rows)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, connection.alias
    return objs
