"""Write many rows of a history-tracked model, and their history, in a few statements.

Why not the ORM: a source file may carry 100 000 rows, to be confirmed within seconds
(issue 6). Measured on SQLite, `bulk_create_with_history` took ~70 s to create 100 000
criterion entries and `bulk_update_with_history` ~460 s to update them, nearly all of it
Python building SQL per object (and `bulk_update`'s CASE WHEN growing with the batch).

Two paths, writing the same rows:

- PostgreSQL: the rows go by `COPY … FROM STDIN` (psycopg formats them in C) into a
  temporary table, then one statement writes them all: `INSERT … SELECT … FROM staging
  RETURNING id` for new rows (their ids come back with the insert: no reading them back
  by key), `UPDATE … FROM staging` for changes. History rows are copied by one
  `INSERT … SELECT`: of the new rows by primary key (`= ANY(array)`), of the changed ones
  by joining the staging table (no ids sent at all). `executemany` here cost a network
  round trip's worth of work per row (~14 s for 100 000 entries).
- Other databases (SQLite in development and tests): one parameterised statement run with
  `executemany`; new rows are found again by a unique key the caller names; history is
  copied in chunks of ids.

Not a data-modifying `WITH written AS (UPDATE … RETURNING …) INSERT INTO history …`: it
measured no faster on the benchmark (the server's work is writing the rows and their
index entries either way), and every write stays a statement starting with INSERT or
UPDATE, which is what the crash tests (tests/faults) recognise as a write.

Values are prepared once per column, not per value through Django's field machinery where
that is only a formatting step (JSON is dumped as `JSONField` dumps it); constant columns
are prepared once and, on PostgreSQL, sent once as parameters rather than with every row.
The history rows are copied inside the database (INSERT … SELECT) from the rows just
written, so they hold exactly what was stored.

The history rows are those django-simple-history writes itself: every tracked column, plus
`history_date`, `history_type` ("+" created, "~" changed), `history_user_id` and
`history_change_reason`. Columns are read from the models' `_meta`, so a field added later
is carried along; a historical field this module does not know is an error, not a gap.

SQL is built from the models' `_meta` only (quoted identifiers); every value is a parameter.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

CHUNK = 500  # ids per statement on the portable path (under every parameter limit)

# django-simple-history stores the change reason in a varchar(100).
HISTORY_REASON_MAX = 100


@dataclass(frozen=True)
class History:
    """What each history record of a write says besides the row: who, why, when."""

    user: object  # a user, or None (the command line without one)
    reason: str
    date: datetime.datetime


def use_copy() -> bool:
    """Whether the PostgreSQL statements (COPY, temporary tables, arrays) are used; tests
    switch it off to compare both paths on the same database."""
    return connection.vendor == "postgresql"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def insert_rows(
    model,
    template: models.Model,
    varying: Sequence[str],
    rows: Iterable[tuple],
    *,
    history: History | None = None,
    key: Sequence[str] = (),
    return_ids: bool = False,
) -> dict[tuple, int]:
    """INSERT one row per tuple of `rows` (values of the `varying` attnames, in order);
    every other column as on `template` (defaults and auto_now applied as on save).

    With `history`, each new row gets a "+" history record. `key`: attnames among `varying`
    that identify a row (a unique constraint), by which the portable path finds the new
    rows again (it needs one to record history or return ids). With `return_ids`, returns
    the new rows' primary keys by their key values; else an empty dict.
    """
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    by_name = {f.attname: f for f in fields}
    varying = list(varying)
    unknown = (set(varying) | set(key)) - set(by_name)
    if unknown:
        raise ValueError(f"{model.__name__} has no column for {sorted(unknown)}")
    if not set(key) <= set(varying):
        raise ValueError(f"the key {list(key)} must be among the varying columns")
    if (history is not None or return_ids) and not key:
        raise ValueError("a key is needed to find the new rows again")
    rows = list(rows)
    if not rows:
        return {}
    varying_fields = [by_name[name] for name in varying]
    constant_fields = [f for f in fields if f.attname not in set(varying)]
    constant = tuple(_db_value(f, f.pre_save(template, add=True)) for f in constant_fields)
    prepare = _row_preparer(varying_fields)
    table = _q(model._meta.db_table)
    # The varying columns first, then the constant ones.
    columns = ", ".join(_q(f.column) for f in varying_fields + constant_fields)
    if use_copy():
        with transaction.atomic(), connection.cursor() as cursor:
            staging = _stage(cursor, model, varying_fields, map(prepare, rows))
            selected = [f"v.c{i}" for i in range(len(varying_fields))]
            selected += [_placeholder(f) for f in constant_fields]
            insert = (
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"SELECT {', '.join(selected)} FROM {staging} AS v"
            )
            returning = history is not None or return_ids
            if returning:
                returned = [model._meta.pk, *(by_name[n] for n in key if return_ids)]
                insert += f" RETURNING {', '.join(_q(f.column) for f in returned)}"
            cursor.execute(insert, constant)
            found = cursor.fetchall() if returning else []
            if history is not None:
                # By primary key: looked up in its index, no join over the whole table.
                pks = [row[0] for row in found]
                copy_to_history(model, pks, history_type="+", **_given(history))
            cursor.execute(f"DROP TABLE {staging}")
        return {tuple(values): pk for pk, *values in found} if return_ids else {}
    values = ", ".join(["%s"] * (len(varying_fields) + len(constant_fields)))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [prepare(row) + constant for row in rows])
    if history is None and not return_ids:
        return {}
    positions = [varying.index(name) for name in key]
    found = _read_back(model, key, {tuple(row[i] for i in positions) for row in rows})
    if history is not None:
        copy_to_history(model, list(found.values()), history_type="+", **_given(history))
    return found if return_ids else {}


def _read_back(model, key: Sequence[str], wanted: set[tuple]) -> dict[tuple, int]:
    """The primary keys of the rows whose `key` values are `wanted` (portable path)."""
    firsts = list({values[0] for values in wanted})
    found = {}
    for start in range(0, len(firsts), CHUNK):
        rows = model._base_manager.filter(**{f"{key[0]}__in": firsts[start : start + CHUNK]})
        for pk, *values in rows.values_list("pk", *key).order_by():
            if tuple(values) in wanted:
                found[tuple(values)] = pk
    if len(found) != len(wanted):
        raise RuntimeError(f"{len(wanted) - len(found)} new {model.__name__} rows not found")
    return found


def update_rows(
    model,
    constant: dict[str, object],
    varying: Sequence[str],
    rows: Iterable[tuple],
    *,
    increment: Sequence[str] = (),
    history: History | None = None,
):
    """UPDATE one row per tuple of `rows`: (pk, *values of the `varying` attnames).

    `constant` columns get the same value in every row; `increment` columns are raised by 1.
    With `history`, each row written gets a "~" history record.
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
        if history is not None:
            pks = [row[0] for row in prepared]
            copy_to_history(model, pks, history_type="~", **_given(history))
        return
    assignments += [
        f"{_q(fields[name].column)} = v.c{i}" for i, name in enumerate(varying, start=1)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        staging = _stage(cursor, model, columns, prepared)
        # No ANALYZE (~0.1 s for 100 000 rows): without statistics the planner sizes the
        # table from its pages, which is enough to pick the hash join by primary key.
        update = (
            f"UPDATE {table} SET {', '.join(assignments + increments)} "  # noqa: S608
            f"FROM {staging} AS v WHERE {table}.{pk} = v.c0"
        )
        cursor.execute(update, fixed)
        if history is not None:
            _history_of_staged(cursor, model, staging, "~", history)
        cursor.execute(f"DROP TABLE {staging}")


def _stage(cursor, model, fields: Sequence[models.Field], rows: Iterable[tuple]) -> str:
    """A temporary table (columns c0, c1… typed as `fields`) filled with `rows` by COPY;
    the caller drops it. Inside the caller's savepoint, a failed statement takes the table
    away with everything else."""
    staging = _q(f"bulk_{model._meta.db_table}")
    definition = ", ".join(f"c{i} {f.db_type(connection)}" for i, f in enumerate(fields))
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definition}) ON COMMIT DROP")
    with cursor.cursor.copy(f"COPY {staging} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return staging


def _history_of_staged(cursor, model, staging: str, history_type: str, history: History):
    """One history record per row of `model`'s table whose primary key is in the staging
    table (column c0), copied from the table: what was just written. A statement of its
    own rather than a data-modifying WITH around the write: every write then starts with
    INSERT or UPDATE, as whatever watches the SQL expects (tests/faults/crash.py)."""
    table, pk = _q(model._meta.db_table), _q(model._meta.pk.column)
    columns, selected, fixed = _history_select(model, history_type, **_given(history), of=table)
    target = _q(model.history.model._meta.db_table)
    cursor.execute(
        f"INSERT INTO {target} ({columns}) SELECT {selected} "  # noqa: S608
        f"FROM {table} JOIN {staging} AS v ON {table}.{pk} = v.c0",
        fixed,
    )


def _given(history: History) -> dict:
    return {"user": history.user, "reason": history.reason, "date": history.date}


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


def _history_select(
    model, history_type: str, user, reason: str, date, of: str = ""
) -> tuple[str, str, list]:
    """The history table's column list, the matching SELECT list over a row of `model`'s
    table (its columns by name, qualified by `of` if given) and the SELECT list's
    parameters."""
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
            column = _q(tracked[f.attname].column)
            selected.append(f"{of}.{column}" if of else column)
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
