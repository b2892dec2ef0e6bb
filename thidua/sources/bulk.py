"""Write many rows of a history-tracked model, and their history, in a few statements.

Why not the ORM: a source file may carry 100 000 rows, to be confirmed within seconds
(issue 6). Measured on SQLite, `bulk_create_with_history` took ~70 s to create 100 000
criterion entries and `bulk_update_with_history` ~460 s to update them, nearly all of it
Python building SQL per object (and `bulk_update`'s CASE WHEN growing with the batch).
Here each shape of change is one parameterised statement run with `executemany`, and the
history rows are copied inside the database (INSERT … SELECT) from the rows just written,
so they hold exactly what was stored.

The history rows are those django-simple-history writes itself: every tracked column, plus
`history_date`, `history_type` ("+" created, "~" changed), `history_user_id` and
`history_change_reason`. Columns are read from the models' `_meta`, so a field added later
is carried along; a historical field this module does not know is an error, not a gap.

SQL is built from the models' `_meta` only (quoted identifiers); every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

CHUNK = 500  # ids per INSERT … SELECT (well under every backend's parameter limit)

# django-simple-history stores the change reason in a varchar(100).
HISTORY_REASON_MAX = 100


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def insert_rows(model, template: models.Model, varying: Sequence[str], rows: Iterable[tuple]):
    """INSERT one row per tuple of `rows` (values of the `varying` attnames, in order);
    every other column as on `template` (defaults and auto_now applied as on save)."""
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    position = {name: i for i, name in enumerate(varying)}
    unknown = set(position) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no column for {sorted(unknown)}")
    constant = {
        f.attname: f.get_db_prep_save(f.pre_save(template, add=True), connection)
        for f in fields
        if f.attname not in position
    }
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {_q(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    slots = [(position[f.attname], _preparer(f)) if f.attname in position else None for f in fields]
    fixed = [constant.get(f.attname) for f in fields]

    def params(row):
        values = list(fixed)
        for index, slot in enumerate(slots):
            if slot is not None:
                value = row[slot[0]]
                values[index] = slot[1](value) if slot[1] else value
        return values

    with connection.cursor() as cursor:
        cursor.executemany(sql, [params(row) for row in rows])


def update_rows(
    model,
    constant: dict[str, object],
    varying: Sequence[str],
    rows: Iterable[tuple],
    *,
    increment: Sequence[str] = (),
):
    """UPDATE one row per tuple of `rows`: (pk, *values of the `varying` attnames).

    `constant` columns get the same value in every row; `increment` columns are raised by 1.
    """
    fields = _fields(model)
    assignments = [f"{_q(fields[name].column)} = %s" for name in constant]
    assignments += [f"{_q(fields[name].column)} = %s" for name in varying]
    assignments += [
        f"{_q(fields[name].column)} = {_q(fields[name].column)} + 1" for name in increment
    ]
    table, pk = _q(model._meta.db_table), _q(model._meta.pk.column)
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {pk} = %s"  # noqa: S608
    fixed = [fields[name].get_db_prep_save(value, connection) for name, value in constant.items()]
    preparers = [_preparer(fields[name]) for name in varying]

    def params(row):
        pk_value, *values = row
        prepared = [
            prepare(value) if prepare else value
            for prepare, value in zip(preparers, values, strict=True)
        ]
        return [*fixed, *prepared, pk_value]

    with connection.cursor() as cursor:
        cursor.executemany(sql, [params(row) for row in rows])


def copy_to_history(model, pks: Sequence[int], *, history_type: str, user, reason: str, date):
    """One history record per row of `pks`, as simple-history records a save."""
    history = model.history.model
    tracked = _fields(model)
    given = {
        "history_date": date,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
        "history_change_reason": reason[:HISTORY_REASON_MAX],
    }
    columns, selected, fixed = [], [], []
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.attname in tracked:
            selected.append(_q(tracked[f.attname].column))
        elif f.attname in given:
            selected.append(_placeholder(f))
            fixed.append(f.get_db_prep_save(given[f.attname], connection))
        else:
            raise ImproperlyConfigured(
                f"{history.__name__}.{f.attname}: unknown historical field, cannot copy in bulk"
            )
        columns.append(_q(f.column))
    target, source = _q(history._meta.db_table), _q(model._meta.db_table)
    pk = _q(model._meta.pk.column)
    head = f"INSERT INTO {target} ({', '.join(columns)}) SELECT {', '.join(selected)} "
    head += f"FROM {source} WHERE {pk} IN "
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            chunk = list(pks[start : start + CHUNK])
            cursor.execute(head + f"({', '.join(['%s'] * len(chunk))})", [*fixed, *chunk])


# Values of these fields need the backend's adaptation; others go to the driver as they are.
ADAPTED = (models.JSONField, models.DateTimeField, models.UUIDField, models.DecimalField)


def _preparer(field):
    if isinstance(field, ADAPTED):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _placeholder(field) -> str:
    # PostgreSQL cannot infer the type of a bare parameter in a SELECT list.
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"
