"""Benchmark: a 100 000-row source-data import, timed stage by stage, in-process.

    measure(period_code, *, rows=100_000, username=None, keep=False) -> dict

Call it in a process where Django is set up (`django.setup()` with the settings of the
database to measure, PostgreSQL for the published figures). It needs, in that database,
the period `period_code` (not final); when fewer than rows/10 active units can take source
data (units whose assessment is finalized cannot), communes "BX…" are created for the run.
`username` names the importer (default: the first superuser, else no user, as the
management command allows). Everything runs in one transaction rolled back at the end
(unless keep=True): the database is left as it was, and runs are repeatable.

It builds a CSV of `rows` rows (unit_code, criterion_code, rate, numerator, denominator;
ten rate criteria per unit, rates with one decimal, one row in four given as counts),
then runs the real service functions that the views run, in order, and times each:

- `upload`: `create_pending_import` — read the CSV, validate every row against the
  period's units and criteria (the scoring engine's own checks), store the pending import.
  This is what the upload view does with the bytes it received.
- `preview`: `preview` — the plan the detail page shows (reads only).
- `confirm`: `confirm_import` — the plan again under lock, then every write: created
  assessments and entries, changed entries, their history records, then the foreign-key
  checks PostgreSQL defers to the commit (`SET CONSTRAINTS ALL IMMEDIATE`). This is the
  figure the ≤ 5 s target applies to.

Then a re-import of the same source (one value in three changed, the last 1 % of rows
left out, so their values are cleared): the same three stages, reported as `reimport`.
The returned dict holds, per run, the wall seconds of each stage, `total`, the CPU
seconds of each stage in this process (`cpu_client`) and in the PostgreSQL backend
(`cpu_server`, when the server runs on this machine), and counts from
the import (changed, discrepancies, cleared); `target_seconds` and `meets_target` (both
confirms within the target).

Standalone: `python -m bench.source_import PERIOD [--rows N] [--keep]` with DATABASE_URL
set (any database with the period; PostgreSQL for figures that mean anything).
"""

from __future__ import annotations

import argparse
import json
import os
import time

TARGET_SECONDS = 5.0
PER_UNIT = 10  # every level of the 2435 library has at least ten rate criteria
SOURCE_LABEL = "Hệ thống đo kiểm (benchmark)"


def measure(
    period_code: str, *, rows: int = 100_000, username: str | None = None, keep: bool = False
) -> dict:
    from django.contrib.auth.models import User
    from django.db import transaction

    from thidua.periods.models import Period

    period = Period.objects.select_related("criteria_version").get(code=period_code)
    if username:
        user = User.objects.get(username=username)
    else:
        user = User.objects.filter(is_superuser=True).order_by("pk").first()
    label = f"{SOURCE_LABEL} {time.strftime('%Y%m%d-%H%M%S')}"
    with transaction.atomic():
        created = ensure_units(period, rows)
        pairs = unit_criteria(period, rows)
        first = _run(period, label, csv_lines(pairs, variant=0), user)
        kept = pairs[: len(pairs) - len(pairs) // 100]
        second = _run(period, label, csv_lines(kept, variant=1), user)
        if not keep:
            transaction.set_rollback(True)
    return {
        "rows": len(pairs),
        "database": _vendor(),
        "units_created": created,
        "kept": keep,
        "first": first,
        "reimport": second,
        "target_seconds": TARGET_SECONDS,
        "meets_target": max(first["confirm"], second["confirm"]) <= TARGET_SECONDS,
        "included": INCLUDED,
    }


INCLUDED = (
    "upload = read + validate every row + store the pending import; preview = the plan; "
    "confirm = the plan under lock + every write and history record + the deferred "
    "constraint checks a commit runs; all in one transaction rolled back at the end "
    "(keep=False), so the bench database is unchanged"
)


def unit_criteria(period, rows: int) -> list[tuple[str, str]]:
    """(unit code, criterion code) pairs: PER_UNIT rate criteria of each importable unit."""
    from thidua.assessments.models import Assessment
    from thidua.sources.parsing import SOURCE_KINDS
    from thidua.sources.plan import criteria_by_level
    from thidua.units.models import Unit

    criteria = criteria_by_level(period)
    rate_codes = {
        level: [code for code, c in by_code.items() if c.kind in SOURCE_KINDS][:PER_UNIT]
        for level, by_code in criteria.items()
    }
    finalized = set(
        Assessment.objects.filter(period=period, state=Assessment.State.FINALIZED).values_list(
            "unit_id", flat=True
        )
    )
    pairs = []
    units = Unit.objects.active().order_by("code").values_list("pk", "code", "level__code")
    for pk, code, level in units.iterator():
        if pk in finalized:
            continue
        pairs.extend((code, criterion) for criterion in rate_codes.get(level, []))
        if len(pairs) >= rows:
            return pairs[:rows]
    raise RuntimeError(
        f"{len(pairs)} importable (unit, criterion) pairs for period {period.code}, "
        f"{rows} wanted: generate more units (ensure_units)"
    )


def csv_lines(pairs: list[tuple[str, str]], *, variant: int) -> bytes:
    """The file; `variant` 1 changes one value in three of variant 0."""
    out = ["unit_code,criterion_code,rate,numerator,denominator"]
    for i, (unit, criterion) in enumerate(pairs):
        shift = 13 if variant and i % 3 == 0 else 0
        if i % 4 == 3:
            denominator = 200 + i % 50
            out.append(f"{unit},{criterion},,{(i * 7 + shift) % denominator},{denominator}")
        else:
            out.append(f"{unit},{criterion},{((i * 37 + shift) % 1001) / 10},,")
    return ("\n".join(out) + "\n").encode("utf-8")


def _run(period, label: str, data: bytes, user) -> dict:
    from thidua.sources import services

    clock = _Clock()
    with clock("upload"):
        pending = services.create_pending_import(
            period=period, data=data, filename="bench.csv", label=label, user=user
        )
    with clock("preview"):
        plan = services.preview(pending)
    with clock("confirm"):
        applied = services.confirm_import(source_import=pending, user=user)
        _check_deferred_constraints()
    result = clock.result()
    result.update(
        bytes=len(data),
        new_entries=plan.new_entries,
        changed=applied.changed_count,
        discrepancies=applied.discrepancy_count,
        cleared=applied.cleared_count,
    )
    return result


class _Clock:
    """Wall seconds per stage, and the CPU seconds of this process and of its database
    server process (PostgreSQL, same machine): on a busy machine the wall time includes
    waiting for a core, the CPU time does not."""

    def __init__(self):
        self.wall, self.cpu_client, self.cpu_server = {}, {}, {}
        self.server = _server_process()

    def __call__(self, stage: str):
        return _Stage(self, stage)

    def result(self) -> dict:
        result = {stage: round(seconds, 3) for stage, seconds in self.wall.items()}
        result["total"] = round(sum(self.wall.values()), 3)
        result["cpu_client"] = {k: round(v, 3) for k, v in self.cpu_client.items()}
        if self.server is not None:
            result["cpu_server"] = {k: round(v, 3) for k, v in self.cpu_server.items()}
        return result


class _Stage:
    def __init__(self, clock: _Clock, name: str):
        self.clock, self.name = clock, name

    def _server_cpu(self) -> float:
        if self.clock.server is None:
            return 0.0
        times = self.clock.server.cpu_times()
        return times.user + times.system

    def __enter__(self):
        self.started = (time.perf_counter(), time.process_time(), self._server_cpu())

    def __exit__(self, *exc):
        wall, cpu, server = self.started
        self.clock.wall[self.name] = time.perf_counter() - wall
        self.clock.cpu_client[self.name] = time.process_time() - cpu
        self.clock.cpu_server[self.name] = self._server_cpu() - server


def _check_deferred_constraints() -> None:
    """Run now the foreign-key checks PostgreSQL defers to the commit (Django declares
    them DEFERRABLE INITIALLY DEFERRED): inside the measuring transaction, which is rolled
    back, this is the work the confirm's commit would do."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _server_process():
    """The PostgreSQL backend serving this connection, when it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    try:
        import psutil

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return psutil.Process(cursor.fetchone()[0])
    except Exception:  # another host, or psutil missing: wall time only
        return None


def ensure_units(period, rows: int) -> int:
    """Create communes "BX00001"… until the period has units for `rows` rows; how many made.

    Units whose assessment is finalized take no source data, so they do not count.
    """
    from thidua.assessments.models import Assessment
    from thidua.units.models import Level, Unit, UnitKind

    finalized = Assessment.objects.filter(period=period, state=Assessment.State.FINALIZED)
    usable = Unit.objects.active().exclude(pk__in=finalized.values("unit_id")).count()
    missing = -(-rows // PER_UNIT) - usable
    if missing <= 0:
        return 0
    level = Level.objects.get(code="xa")
    kind = UnitKind.objects.filter(level=level).first()
    parent = Unit.objects.filter(level__code="huyen").order_by("code").first()
    taken = set(Unit.objects.filter(code__startswith="BX").values_list("code", flat=True))
    codes = (f"BX{n:05d}" for n in range(10**5))
    fresh = [code for code in codes if code not in taken][:missing]
    Unit.objects.bulk_create(
        (
            Unit(code=c, name=f"Xã đo kiểm {c}", level=level, kind=kind, parent=parent)
            for c in fresh
        ),
        batch_size=2000,
    )
    return missing


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time a 100 000-row source-data import.")
    parser.add_argument("period_code")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--user", default=None)
    parser.add_argument(
        "--keep", action="store_true", help="commit the imports (and any communes created)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    result = measure(args.period_code, rows=args.rows, username=args.user, keep=args.keep)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
