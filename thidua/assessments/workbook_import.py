"""Importing a unit's self-reported inputs for many criteria at once, all or nothing.

The Excel upload (`thidua.assessments.workbook`) is the first caller; the API may be another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from thidua import scoring
from thidua.assessments.models import Assessment
from thidua.assessments.scores import with_due_dates
from thidua.assessments.services import (
    NotEditable,
    criterion_of,
    save_self_inputs,
    validate_self_inputs,
)
from thidua.assessments.workbook import parse_assessment_workbook_with_revisions
from thidua.periods.services import due_dates_by_criterion

NOT_DRAFT = "Bản đánh giá đã nộp, không nhập số liệu được"


class ImportRejected(ValueError):
    """Some inputs are invalid; nothing was saved. `.errors` lists every InputError."""

    def __init__(self, errors: list[scoring.InputError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class ImportResult:
    changed: list[str]  # saved: revision bumped, history recorded
    unchanged: list[str]  # same inputs as saved (possibly written differently): not touched
    untouched: list[str]  # None in the import (a blank row): saved inputs kept


def import_self_inputs(
    *, assessment: Assessment, inputs_by_code: dict, user, exported_revisions: dict | None = None
) -> ImportResult:
    """Validate the inputs of every criterion, then save them all in one transaction.

    `inputs_by_code` maps criterion codes to inputs (as `save_self_inputs` takes them) or
    None for "leave as saved". Raises NotEditable if the assessment is not a draft and
    ImportRejected (listing every invalid criterion) before anything is written. Criteria
    whose inputs equal the saved ones are skipped, so their revision and history do not move.
    An unsaved (never touched) assessment is created.

    `exported_revisions` (criterion code → revision when the offline copy was made): a
    criterion saved online since then is not overwritten; the whole import is refused with
    a conflict naming it, so the unit downloads a fresh copy (no silent overwrite).
    """
    if assessment.pk and assessment.state != Assessment.State.DRAFT:
        raise NotEditable(NOT_DRAFT)
    errors, valid, untouched = [], {}, []
    for code, inputs in inputs_by_code.items():
        if inputs is None:
            untouched.append(code)
            continue
        try:
            criterion = criterion_of(assessment, code)
            stored = validate_self_inputs(assessment, criterion, inputs)
        except scoring.InputError as exc:
            errors.append(exc)
        else:
            valid[code] = (criterion, inputs, stored)
    if errors:
        raise ImportRejected(errors)

    due = due_dates_by_criterion(assessment.period)
    changed, unchanged = [], []
    with transaction.atomic():
        if assessment.pk is None:
            assessment, _ = Assessment.objects.get_or_create(
                period=assessment.period, unit=assessment.unit
            )
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.state != Assessment.State.DRAFT:
            raise NotEditable(NOT_DRAFT)
        entries = {entry.criterion_code: entry for entry in locked.entries.all()}
        saved = {code: entry.self_inputs for code, entry in entries.items()}
        conflicts = []
        for code, (criterion, inputs, stored) in valid.items():
            crit_due = due.get(code, {})
            if _same(criterion, saved.get(code), stored, crit_due):
                unchanged.append(code)
                continue
            changed_online = (
                exported_revisions is not None
                and code in entries
                and entries[code].revision > exported_revisions.get(code, 0)
            )
            if changed_online:
                conflicts.append(
                    scoring.InputError(
                        code,
                        None,
                        "đã được sửa trên hệ thống sau khi tải tệp Excel này; hãy tải tệp "
                        "mới rồi nhập lại để không ghi đè thay đổi đó",
                    )
                )
                continue
            # One path for every save: same validation, revision bump and history entry.
            save_self_inputs(
                assessment=locked,
                criterion_code=code,
                inputs=inputs,
                user=user,
                reason="excel_import",
            )
            changed.append(code)
        if conflicts:
            raise ImportRejected(conflicts)  # rolls back what this loop saved
    return ImportResult(changed=changed, unchanged=unchanged, untouched=untouched)


def import_assessment_workbook(*, assessment: Assessment, fileobj, user) -> ImportResult:
    """Parse an uploaded workbook and import it: raises NotEditable, WorkbookError or
    ImportRejected, and saves nothing unless the whole workbook is valid."""
    if assessment.pk and assessment.state != Assessment.State.DRAFT:
        raise NotEditable(NOT_DRAFT)
    inputs_by_code, revisions = parse_assessment_workbook_with_revisions(fileobj, assessment)
    return import_self_inputs(
        assessment=assessment,
        inputs_by_code=inputs_by_code,
        user=user,
        exported_revisions=revisions,
    )


def _same(criterion, saved, stored, due) -> bool:
    """True if both inputs mean the same to the scoring engine ("90,5" and "90.5" do)."""
    if saved is None:
        return False
    try:
        old = criterion.rule.validate_inputs(with_due_dates(criterion, saved, due))
    except scoring.InputError:
        return False  # saved inputs no longer valid (library changed): overwrite them
    new = criterion.rule.validate_inputs(with_due_dates(criterion, stored, due))
    return old == new
