"""New rows, and their history, written the way PostgreSQL takes many rows fastest.

Django's bulk_create turns every value into an SQL parameter of a many-row VALUES, and
simple_history's bulk_create_with_history builds a second model instance per row for its
history: at a 10,000-line log, or a month's 2,000 sheets, that was most of the time. Here the
new rows' keys are drawn from the table's sequence in one statement, the rows are copied in
(COPY: nothing to plan, no parameter to bind, each value formatted by psycopg's C code), and
their history is copied from them by INSERT … SELECT, with the values bulk_create_with_history
gives it (created "+", now, the request's user, no reason). Elsewhere (SQLite) Django's and
simple_history's own ways. Either way the write is announced (`core.writes`).
"""

from datetime import date
from decimal import Decimal

from django.db import connections, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.writes import bulk_written

# Values the database driver takes as they are (Django's preparation would hand them on
# unchanged); any other (an aware datetime, a choice, a lazy text) goes through its field.
PLAIN = {str, int, bool, Decimal, date}


def insert(model, names: list[str], rows: list[tuple]) -> list[int]:
    """Inserts `rows` (the values of the fields `names`, as the database takes them); their
    primary keys, in order."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":  # SQLite (`make run`): Django's own way
        made = model._default_manager.bulk_create(_instances(model, names, rows))
        return [obj.pk for obj in made]
    quote, meta = connection.ops.quote_name, model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in [meta.pk.name, *names])
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(rows)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row((key, *row))
    bulk_written.send(sender=model)
    return keys


def insert_with_history(model, names: list[str], rows: list[tuple]) -> list[int]:
    """`insert`, and a "+" history row for each."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":  # SQLite (`make run`): simple_history's own way
        made = bulk_create_with_history(_instances(model, names, rows), model)
        return [obj.pk for obj in made]
    quote = connection.ops.quote_name
    history = model.history.model
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    user = history.get_default_history_user(None)
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        keys = insert(model, names, rows)
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "
            f"history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked}, %s, NULL, '+', %s FROM {table} WHERE {key} = ANY(%s)",
            [timezone.now(), user and user.pk, keys],
        )
    return keys


def create(objs: list) -> list:
    """bulk_create's work for new instances of one model: saved, their primary keys set."""
    if objs and not _postgresql(type(objs[0])):  # SQLite (`make run`): Django's own way
        return type(objs[0])._default_manager.bulk_create(objs)
    return _create(objs, insert)


def create_with_history(objs: list) -> list:
    """bulk_create_with_history's work for new instances of one model: saved with a "+"
    history row each, their primary keys set."""
    if objs and not _postgresql(type(objs[0])):  # SQLite: simple_history's own way
        return bulk_create_with_history(objs, type(objs[0]))
    return _create(objs, insert_with_history)


def _postgresql(model) -> bool:
    return connections[router.db_for_write(model)].vendor == "postgresql"


def _create(objs: list, write) -> list:
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]  # not the proxy: it is read per value
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    rows = []
    for obj in objs:
        for field in stamped:  # created_at and the like, as save() sets them
            field.pre_save(obj, True)
        rows.append(
            tuple(_db_value(field, getattr(obj, field.attname), connection) for field in fields)
        )
    keys = write(model, [field.name for field in fields], rows)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def _db_value(field, value, connection):
    return (
        value
        if value is None or type(value) in PLAIN
        else field.get_db_prep_save(value, connection)
    )


def _instances(model, names, rows) -> list:
    attnames = [model._meta.get_field(name).attname for name in names]
    return [model(**dict(zip(attnames, row, strict=True))) for row in rows]
