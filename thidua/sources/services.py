"""Importing source-system data: upload (validate, keep as pending), confirm, discard.

One function per state change of a `SourceImport`; views, the management command, the
demo and tests all call these. Decisions (see docs/source-data-format.md):

- The whole file is validated before anything is stored; a file with any bad row is refused
  and nothing is kept. A valid file is stored as a *pending* import (its rows kept on the
  `SourceImport`) so that confirming does not need the file again. A pending import
  expires after `PENDING_LIFETIME`; it may be discarded before.
- Confirming writes every row in one transaction: the values become the entries' verified
  inputs with `verified_source` = the source label, on any assessment of the period that
  is not finalized (draft ones included; missing assessments and entries are created). A
  reviewer's N/A mark is kept. Rows on a finalized assessment are refused.
- Re-importing a source (same label, same period) replaces the previous import: values of
  the previous import that the new file no longer carries are cleared (verified inputs
  back to none) unless a reviewer changed them since, or the assessment is finalized.
- Each changed entry gets a history record (who, when, old and new values, reason
  "source_import:<id> <label>"), written in bulk (`thidua.sources.bulk`).
"""

from __future__ import annotations

import hashlib
import uuid
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.score_cache import mark_stale, recompute_scores
from thidua.collector import collector_paused
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.sources import bulk
from thidua.sources.models import PENDING_LIFETIME, SourceImport
from thidua.sources.parsing import (
    Catalog,
    ParsedFile,
    SourceValue,
    UnitRef,
    label_key,
    normalize_label,
    parse_source_file,
)
from thidua.sources.plan import Plan, make_plan
from thidua.units.models import Unit

CLOSED_PERIOD_STATES = (Period.State.FINAL, Period.State.ARCHIVED)
DECISION_FIELDS = ("status", "decided_by", "decided_at")
COUNT_FIELDS = ("changed_count", "discrepancy_count", "cleared_count")


class ImportRefused(Exception):
    """The import cannot go ahead; `.problems` say why, in Vietnamese."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def check_period_accepts_imports(period: Period) -> None:
    if period.state in CLOSED_PERIOD_STATES:
        raise ImportRefused(
            f"Kỳ đánh giá {period.name} đã có kết quả chính thức "
            f"({period.get_state_display()}); không nhập số liệu nguồn được nữa."
        )


def catalog_for(period: Period) -> Catalog:
    library = scoring_library(period.criteria_version)
    fields = ("pk", "code", "name", "level__code", "is_active")
    units = {row[1]: UnitRef(*row) for row in Unit.objects.order_by().values_list(*fields)}
    finalized = set(
        Assessment.objects.filter(period=period, state=Assessment.State.FINALIZED).values_list(
            "unit_id", flat=True
        )
    )
    return Catalog(
        period_name=period.name,
        units=units,
        criteria={level.code: {c.code: c for c in level.criteria} for level in library.levels},
        level_names={level.code: level.name for level in library.levels},
        finalized_unit_ids=finalized,
    )


def validate_source_file(*, period: Period, data: bytes, filename: str, label: str) -> ParsedFile:
    """The validated rows of a file for a period; raises SourceFileError or ImportRefused.

    Reads the database, writes nothing.
    """
    check_period_accepts_imports(period)
    return parse_source_file(data, filename, catalog_for(period), label=label)


def expire_stale_imports(now=None) -> int:
    """Mark pending imports older than PENDING_LIFETIME expired and drop their rows."""
    cutoff = (now or timezone.now()) - PENDING_LIFETIME
    return SourceImport.objects.filter(
        status=SourceImport.Status.PENDING, uploaded_at__lte=cutoff
    ).update(status=SourceImport.Status.EXPIRED, rows=[])


@collector_paused()
def create_pending_import(
    *, period: Period, data: bytes, filename: str, label: str, user
) -> SourceImport:
    """Validate the whole file, then keep it as a pending import (nothing else changes).

    Raises SourceFileError (every bad row, with its line) or ImportRefused. The file is
    read outside any transaction: a large one must not hold the database's write lock.
    """
    parsed = validate_source_file(period=period, data=data, filename=filename, label=label)
    return _store_pending(period, parsed, data, filename, user)


def _store_pending(period, parsed: ParsedFile, data: bytes, filename: str, user) -> SourceImport:
    source = normalize_label(parsed.label)[:255]
    # The same source keeps the spelling it was first given.
    source = (
        SourceImport.objects.filter(period=period, source_key=label_key(source))
        .order_by("uploaded_at")
        .values_list("source", flat=True)
        .first()
    ) or source
    return SourceImport.objects.create(
        period=period,
        source=source,
        source_key=label_key(source),
        file_name=(filename or "").rsplit("/", 1)[-1][:255],
        file_format=parsed.file_format,
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        row_count=len(parsed.values),
        rows=[
            [value.line, value.unit_id, value.unit_code, value.criterion_code, value.inputs]
            for value in parsed.values
        ],
        uploaded_by=user,
    )


def stored_values(source_import: SourceImport) -> list[SourceValue]:
    """The rows of an import; ImportRefused if a unit was deleted since the upload."""
    values = list(map(SourceValue._make, source_import.rows))
    existing = set(Unit.objects.values_list("pk", flat=True))
    gone = [value for value in values if value.unit_id not in existing]
    if gone:
        raise ImportRefused(
            [f"Dòng {v.line}: đơn vị {v.unit_code} không còn trong danh sách đơn vị" for v in gone]
        )
    return values


def applied_import(period: Period, label: str) -> SourceImport | None:
    """The import of this source currently applied to the period, if any."""
    return SourceImport.objects.filter(
        period=period, source_key=label_key(label), status=SourceImport.Status.APPLIED
    ).first()


def previous_import(source_import: SourceImport) -> SourceImport | None:
    """The applied import of the same source and period that confirming this one replaces."""
    previous = applied_import(source_import.period, source_import.source)
    return None if previous is None or previous.pk == source_import.pk else previous


def _previous_rows(previous: SourceImport | None) -> list[tuple[int, str, dict]]:
    if previous is None:
        return []
    return [(unit_id, code, inputs) for _, unit_id, _, code, inputs in previous.rows]


@collector_paused()
def preview(source_import: SourceImport) -> Plan:
    """What confirming the pending import would do now (reads only)."""
    return make_plan(
        source_import.period,
        source_import.source,
        stored_values(source_import),
        previous_rows=_previous_rows(previous_import(source_import)),
    )


@collector_paused()
def dry_run(*, period: Period, data: bytes, filename: str, label: str) -> Plan:
    """What importing the file would do, without storing anything (the command's --dry-run).

    Raises SourceFileError or ImportRefused like `create_pending_import`.
    """
    parsed = validate_source_file(period=period, data=data, filename=filename, label=label)
    return make_plan(
        period,
        normalize_label(parsed.label),
        parsed.values,
        previous_rows=_previous_rows(applied_import(period, parsed.label)),
    )


def same_file_imports(source_import: SourceImport):
    """Earlier imports of the very same file for the same period (a likely double upload)."""
    return (
        SourceImport.objects.filter(period_id=source_import.period_id, sha256=source_import.sha256)
        .exclude(pk=source_import.pk)
        .defer("rows")
    )


def change_reason(source_import: SourceImport, suffix: str = "") -> str:
    # simple-history keeps at most 100 characters of a reason.
    return f"source_import:{source_import.pk} {source_import.source}{suffix}"[:100]


@collector_paused()
def confirm_import(*, source_import: SourceImport, user) -> SourceImport:
    """Apply a pending import in one transaction (see the module docstring); return it.

    Raises ImportRefused when it is no longer pending, has expired, the period is closed,
    or an assessment it touches was finalized since the upload.
    """
    now = timezone.now()
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=source_import.period_id)
        locked = SourceImport.objects.select_for_update().get(pk=source_import.pk)
        if locked.is_expired(now):
            raise ImportRefused("Lần tải lên này đã hết hạn xác nhận; hãy tải tệp lên lại.")
        if locked.status != SourceImport.Status.PENDING:
            raise ImportRefused(
                f"Lần tải lên này đã ở trạng thái “{locked.get_status_display()}”; "
                "không xác nhận được nữa."
            )
        check_period_accepts_imports(period)
        previous = previous_import(locked)
        plan = make_plan(
            period,
            locked.source,
            stored_values(locked),
            previous_rows=_previous_rows(previous),
            lock=True,
        )
        if plan.stale:
            raise ImportRefused(
                [
                    f"Dòng {value.line}: tiêu chí {value.criterion_code} không còn thuộc cấp của "
                    f"đơn vị {value.unit_code}; hãy tải tệp lên lại"
                    for value in plan.stale
                ]
            )
        if plan.finalized_rows:
            raise ImportRefused(
                [
                    f"Dòng {row.value.line}: đơn vị {row.value.unit_code} đã chốt kết quả sau khi "
                    "tệp được tải lên; không nhận số liệu mới"
                    for row in plan.finalized_rows
                ]
            )
        rescored = _write(plan, locked, user, now)
        # Verified inputs changed in bulk: the stored scores of those assessments are stale
        # from this transaction on (readers rescore them from the inputs, so never wrong).
        mark_stale(rescored)
        transaction.on_commit(partial(_recompute_after_import, rescored))
        locked.status = SourceImport.Status.APPLIED
        locked.decided_by = user
        locked.decided_at = now
        locked.replaces = previous
        locked.changed_count = plan.changes
        locked.discrepancy_count = plan.discrepancies
        locked.cleared_count = len(plan.clears)
        if previous is not None:
            previous.status = SourceImport.Status.REPLACED
            previous.save(update_fields=["status"])
        locked.save(update_fields=[*DECISION_FIELDS, "replaces", *COUNT_FIELDS])
    return locked


def _recompute_after_import(assessment_ids: set[int]) -> None:
    """Store fresh scores for the assessments an import changed, right after it commits —
    unless there are too many for one request: then `manage.py recompute_scores --stale`
    (the systemd timer in deploy/, every few minutes) does it, and until then the readers
    score those assessments from their inputs (slower, still exact)."""
    if len(assessment_ids) <= settings.THIDUA_INLINE_RECOMPUTE_LIMIT:
        recompute_scores(assessment_ids=assessment_ids)


def _write(plan: Plan, source_import: SourceImport, user, now) -> set[int]:
    """Write a plan: missing assessments and entries, changed entries, cleared entries,
    and one history record for each row written (see `thidua.sources.bulk`). Returns the
    ids of the assessments whose verified inputs changed."""
    history = bulk.History(user=user, reason=change_reason(source_import), date=now)
    user_id = user.pk if user is not None else None
    missing = sorted({row.value.unit_id for row in plan.rows if row.assessment is None})
    created = bulk.insert_rows(
        Assessment,
        Assessment(period=plan.period),
        ["unit_id", "uuid"],
        [(unit_id, uuid.uuid4()) for unit_id in missing],
        history=history,
        key=["unit_id", "uuid"],
        return_ids=True,
    )
    assessment_of = {unit_id: pk for (unit_id, _), pk in created.items()}

    verified = {
        "verified_source": source_import.source,
        "accepted": False,
        "verified_by_id": user_id,
        "verified_at": now,
        "review_reason": f"Theo số liệu {source_import.source}",
        "updated_at": now,
    }
    new_rows, value_rows, flag_rows = [], [], []
    rescored: set[int] = set()
    # Once per row of the file (100 000): plain tuples for the bulk writer.
    for row in plan.rows:
        entry = row.entry
        if entry is None:
            value = row.value
            assessment_id = row.assessment.id if row.assessment else assessment_of[value.unit_id]
            new_rows.append((assessment_id, value.criterion_code, value.inputs, row.discrepancy))
        elif row.value_changes:
            value_rows.append((entry.id, row.value.inputs, row.discrepancy))
            rescored.add(entry.assessment_id)
        elif entry.discrepancy != row.discrepancy:
            flag_rows.append((entry.id, row.discrepancy))
    rescored.update(assessment_id for assessment_id, *_ in new_rows)
    # New entries: on PostgreSQL their ids come back with the INSERT, none read back.
    bulk.insert_rows(
        CriterionEntry,
        CriterionEntry(revision=1, **verified),
        ["assessment_id", "criterion_code", "verified_inputs", "discrepancy"],
        new_rows,
        history=history,
        key=["assessment_id", "criterion_code"],
    )
    increment = ["revision"]
    bulk.update_rows(
        CriterionEntry,
        verified,
        ["verified_inputs", "discrepancy"],
        value_rows,
        increment=increment,
        history=history,
    )
    bulk.update_rows(
        CriterionEntry,
        {"updated_at": now},
        ["discrepancy"],
        flag_rows,
        increment=increment,
        history=history,
    )
    if plan.clears:
        cleared = {
            "verified_inputs": None,
            "verified_source": "",
            "discrepancy": False,
            "accepted": False,
            "verified_by_id": user_id,
            "verified_at": now,
            "review_reason": "",
            "updated_at": now,
        }
        bulk.update_rows(
            CriterionEntry,
            cleared,
            [],
            [(entry.id,) for entry in plan.clears],
            increment=increment,
            history=bulk.History(
                user=user,
                reason=change_reason(source_import, " (bỏ giá trị lần nhập trước)"),
                date=now,
            ),
        )
        rescored.update(entry.assessment_id for entry in plan.clears)
    return rescored


def discard_import(*, source_import: SourceImport, user) -> SourceImport:
    """Drop a pending import: nothing was applied; its rows go, its record stays."""
    with transaction.atomic():
        locked = SourceImport.objects.select_for_update().get(pk=source_import.pk)
        if locked.status != SourceImport.Status.PENDING:
            raise ImportRefused(
                f"Lần tải lên này đã ở trạng thái “{locked.get_status_display()}”; không huỷ được."
            )
        locked.rows = []
        locked.status = (
            SourceImport.Status.EXPIRED if locked.is_expired() else SourceImport.Status.DISCARDED
        )
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save(update_fields=[*DECISION_FIELDS, "rows"])
    return locked


@collector_paused()
def import_source_file(
    *, period: Period, data: bytes, filename: str, label: str, user
) -> SourceImport:
    """Upload and confirm in one go (the management command, the demo, the API).

    Raises SourceFileError or ImportRefused; then nothing is stored, not even a pending import.
    """
    parsed = validate_source_file(period=period, data=data, filename=filename, label=label)
    with transaction.atomic():
        pending = _store_pending(period, parsed, data, filename, user)
        return confirm_import(source_import=pending, user=user)
