"""Write many rows of a history-tracked model, and their history, in a few statements.

Why not the ORM: a source file may carry 100 000 rows, to be confirmed within seconds
(issue 6). Measured on SQLite, `bulk_create_with_history` took ~70 s to create 100 000
criterion entries and `bulk_update_with_history` ~460 s to update them, nearly all of it
Python building SQL per object (and `bulk_update`'s CASE WHEN growing with the batch).

Two paths, writing the same rows:

- PostgreSQL: inserts go through `COPY … FROM STDIN` (psycopg formats the rows in C);
  updates COPY the rows into a temporary table and run one `UPDATE … FROM` it; history
  rows are copied by one `INSERT … SELECT … WHERE pk = ANY(array)`. `executemany` here cost
  a network round trip's worth of work per row (~14 s for 100 000 entries).
- Other databases (SQLite in development and tests): one parameterised statement run with
  `executemany`, history copied in chunks of ids.

Values are prepared once per column, not per value through Django's field machinery where
that is only a formatting step (JSON is dumped as `JSONField` dumps it; constant columns are
prepared once). The history rows are copied inside the database (INSERT … SELECT) from the
rows just written, so they hold exactly what was stored.

The history rows are those django-simple-history writes itself: every tracked column, plus
`history_date`, `history_type` ("+" created, "~" changed), `history_user_id` and
`history_change_reason`. Columns are read from the models' `_meta`, so a field added later
is carried along; a historical field this module does not know is an error, not a gap.

SQL is built from the models' `_meta` only (quoted identifiers); every value is a parameter.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

CHUNK = 500  # ids per INSERT … SELECT on the portable path (under every parameter limit)

# django-simple-history stores the change reason in a varchar(100).
HISTORY_REASON_MAX = 100


def use_copy() -> bool:
    """Whether the PostgreSQL statements (COPY, arrays) are used; tests switch it off to
    compare both paths on the same database."""
    return connection.vendor == "postgresql"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def insert_rows(model, template: models.Model, varying: Sequence[str], rows: Iterable[tuple]):
    """INSERT one row per tuple of `rows` (values of the `varying` attnames, in order);
    every other column as on `template` (defaults and auto_now applied as on save)."""
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    by_name = {f.attname: f for f in fields}
    unknown = set(varying) - set(by_name)
    if unknown:
        raise ValueError(f"{model.__name__} has no column for {sorted(unknown)}")
    constant_fields = [f for f in fields if f.attname not in set(varying)]
    constant = tuple(_db_value(f, f.pre_save(template, add=True)) for f in constant_fields)
    # The varying columns first, then the constant ones: a row is its prepared values
    # followed by one shared tuple.
    ordered = [by_name[name] for name in varying] + constant_fields
    prepare = _row_preparer([by_name[name] for name in varying])
    columns = ", ".join(_q(f.column) for f in ordered)
    table = _q(model._meta.db_table)
    with connection.cursor() as cursor:
        if use_copy():
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepare(row) + constant)
            return
        values = ", ".join(["%s"] * len(ordered))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
        cursor.executemany(sql, [prepare(row) + constant for row in rows])


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
    pk_field = model._meta.pk
    table, pk = _q(model._meta.db_table), _q(pk_field.column)
    columns = [pk_field, *(fields[name] for name in varying)]
    fixed = [_db_value(fields[name], value) for name, value in constant.items()]
    prepare = _row_preparer(columns)
    prepared = [prepare(row) for row in rows]
    if not prepared:
        return
    assignments = [f"{_q(fields[name].column)} = %s" for name in constant]
    increments = [f"{_q(fields[n].column)} = {_q(fields[n].column)} + 1" for n in increment]
    if not use_copy():
        assignments += [f"{_q(fields[name].column)} = %s" for name in varying]
        sql = f"UPDATE {table} SET {', '.join(assignments + increments)} WHERE {pk} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[*fixed, *values, pk_value] for pk_value, *values in prepared])
        return
    # COPY the rows into a temporary table, then one UPDATE … FROM it. The savepoint drops
    # the table with everything else should a statement fail.
    staging = _q(f"bulk_{model._meta.db_table}")
    names = [f"c{i}" for i in range(len(columns))]
    definition = ", ".join(
        f"{n} {f.db_type(connection)}" for n, f in zip(names, columns, strict=True)
    )
    assignments += [
        f"{_q(fields[name].column)} = v.{alias}"
        for name, alias in zip(varying, names[1:], strict=True)
    ]
    update = (
        f"UPDATE {table} SET {', '.join(assignments + increments)} "  # noqa: S608
        f"FROM {staging} AS v WHERE {table}.{pk} = v.c0"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definition}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {staging} FROM STDIN") as copy:
            for row in prepared:
                copy.write_row(row)
        # No ANALYZE (~0.1 s for 100 000 rows): without statistics the planner sizes the
        # table from its pages, which is enough to pick the hash join by primary key.
        cursor.execute(update, fixed)
        cursor.execute(f"DROP TABLE {staging}")


def copy_to_history(model, pks: Sequence[int], *, history_type: str, user, reason: str, date):
    """One history record per row of `pks`, as simple-history records a save."""
    if not len(pks):
        return
    columns, selected, fixed = _history_select(model, history_type, user, reason, date)
    target, source = _q(model.history.model._meta.db_table), _q(model._meta.db_table)
    pk = _q(model._meta.pk.column)
    head = f"INSERT INTO {target} ({columns}) SELECT {selected} FROM {source} WHERE {pk} "  # noqa: S608
    with connection.cursor() as cursor:
        if use_copy():
            cursor.execute(head + f"= ANY(%s::{_array_type(model._meta.pk)})", [*fixed, list(pks)])
            return
        for start in range(0, len(pks), CHUNK):
            chunk = list(pks[start : start + CHUNK])
            cursor.execute(head + f"IN ({', '.join(['%s'] * len(chunk))})", [*fixed, *chunk])


def _history_select(model, history_type: str, user, reason: str, date) -> tuple[str, str, list]:
    """The history table's column list, the matching SELECT list over a row of `model`'s
    table (its columns by name) and the SELECT list's parameters."""
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
    return ", ".join(columns), ", ".join(selected), fixed


# -- preparing values ------------------------------------------------------------------------

# Values of these fields need the backend's adaptation; others go to the driver as they are.
ADAPTED = (models.DateTimeField, models.UUIDField, models.DecimalField)


def _row_preparer(fields: Sequence[models.Field]) -> Callable[[tuple], tuple]:
    """A function turning a tuple of values of `fields` into a tuple of database values."""
    steps = [(i, step) for i, field in enumerate(fields) if (step := _preparer(field))]
    if not steps:
        return tuple
    width = len(fields)

    def prepare(row):
        if len(row) != width:
            raise ValueError(f"{len(row)} values for {width} columns")
        values = list(row)
        for i, step in steps:  # only the columns that need it (100 000 rows)
            values[i] = step(values[i])
        return tuple(values)

    return prepare


def _preparer(field) -> Callable | None:
    if isinstance(field, models.JSONField):
        return _json_dumper(field.encoder)
    if isinstance(field, ADAPTED):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


# Key and value types for which equal dicts dump to the same JSON (1 == 1.0 == True do not).
FLAT_TYPES = frozenset({str, int, type(None)})


def _json_dumper(encoder) -> Callable:
    """As JSONField sends a value (SQLite) or wraps it (PostgreSQL): None is SQL NULL, else
    the JSON text; without Django's per-value lookups of the connection. Flat dicts of
    strings and integers (the inputs of a file repeat) are dumped once each."""
    cache: dict[tuple, str] = {}

    def dump(value):
        if value is None:
            return None
        if type(value) is dict:
            types = (*map(type, value), *map(type, value.values()))
            if FLAT_TYPES.issuperset(types):
                key = (tuple(value.items()), types)
                text = cache.get(key)
                if text is None:
                    text = cache[key] = json.dumps(value, cls=encoder)
                return text
        return json.dumps(value, cls=encoder)

    return dump


def _db_value(field, value):
    """One value, prepared as the rows are (a constant column)."""
    step = _preparer(field)
    return step(value) if step else field.get_db_prep_save(value, connection)


def _array_type(field) -> str:
    return f"{field.db_type(connection)}[]"


def _placeholder(field) -> str:
    # PostgreSQL cannot infer the type of a bare parameter in a SELECT list.
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"
