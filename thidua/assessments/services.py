"""State changes of assessments. Views, the API, commands and tests all go through these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from thidua import scoring
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.score_cache import refresh_scores
from thidua.assessments.scores import library_level, with_due_dates
from thidua.criteria.services import scoring_library
from thidua.periods.services import due_dates_by_criterion


class EditConflict(Exception):
    """Somebody saved this criterion after the caller loaded it; their save is kept."""

    def __init__(self, entry: CriterionEntry):
        self.entry = entry
        super().__init__(
            f"{entry.criterion_code}: đã có người khác lưu tiêu chí này "
            f"(phiên bản {entry.revision}); hãy tải lại để xem giá trị mới trước khi lưu."
        )


class NotEditable(PermissionDenied):
    pass


def criterion_of(assessment: Assessment, code: str) -> scoring.Criterion:
    level = library_level(
        scoring_library(assessment.period.criteria_version), assessment.unit.level.code
    )
    for criterion in level.criteria:
        if criterion.code == code:
            return criterion
    raise scoring.InputError(code, "criterion", "Tiêu chí không thuộc cấp của đơn vị")


def validate_self_inputs(
    assessment: Assessment, criterion: scoring.Criterion, inputs: dict
) -> dict:
    """Validate inputs as the scoring engine reads them; return what is stored.

    For `deadline` criteria only the actual dates are stored: due dates belong to the period.
    """
    if inputs.get("na"):
        raise scoring.InputError(
            criterion.code, "na", "Chỉ người thẩm định mới đánh dấu Không áp dụng (N/A)"
        )
    due = due_dates_by_criterion(assessment.period).get(criterion.code, {})
    merged = with_due_dates(criterion, inputs, due)
    checked = criterion.rule.validate_inputs(merged)
    if criterion.kind == "deadline":
        return {key: {"actual": value.get("actual")} for key, value in merged.items()}
    # Store the values as the unit wrote them ("90,5"), but only the keys the engine read:
    # empty or stray keys never reach the database.
    return {key: value for key, value in inputs.items() if key in checked}


def save_self_inputs(
    *,
    assessment: Assessment,
    criterion_code: str,
    inputs: dict | None,
    user,
    expected_revision: int | None = None,
    reason: str = "web_form",
) -> CriterionEntry:
    """Store a unit's self-reported inputs for one criterion (raises InputError, EditConflict).

    `expected_revision` is the revision the caller's form was loaded with; when another save
    happened since, the later save is refused rather than silently overwriting the earlier.
    """
    criterion = criterion_of(assessment, criterion_code)
    stored = validate_self_inputs(assessment, criterion, inputs) if inputs else None
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.state != Assessment.State.DRAFT:
            raise NotEditable("Bản đánh giá đã nộp, không sửa được")
        entry, created = CriterionEntry.objects.get_or_create(
            assessment=locked, criterion_code=criterion_code
        )
        if not created and expected_revision is not None:
            updated = CriterionEntry.objects.filter(pk=entry.pk, revision=expected_revision).update(
                revision=F("revision") + 1
            )
            if not updated:
                entry.refresh_from_db()
                raise EditConflict(entry)
            entry.refresh_from_db()
        else:
            entry.revision += 1
        entry.self_inputs = stored
        entry.updated_by = user
        entry._change_reason = reason
        entry._history_user = user  # also when called outside a request (API, import)
        entry.save()
        refresh_scores(locked)
    return entry
