"""Reviewers' decisions on one criterion of a submitted assessment.

Each function validates, runs in one transaction, and records who, when and why in the
entry's history (django-simple-history: old and new values). Whether the caller may
appraise this criterion of this unit is decided before, by `thidua.reviews.access`.

The final score of a criterion is: N/A if marked, else the verified inputs' score if set,
else the self-reported score. A decision that changes the final score needs a reason.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from thidua import scoring
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.score_cache import refresh_scores
from thidua.assessments.scores import with_due_dates
from thidua.assessments.services import criterion_of
from thidua.periods.services import due_dates_by_criterion

APPRAISABLE_STATES = (Assessment.State.SUBMITTED, Assessment.State.VERIFIED)


class AppraisalRefused(Exception):
    """The decision cannot be taken; the message says why, in Vietnamese."""


class ReasonRequired(AppraisalRefused):
    pass


def _final_score(criterion, entry: CriterionEntry | None, due: dict):
    if entry is None:
        return None
    if entry.na:
        return "na"
    inputs = entry.verified_inputs if entry.verified_inputs is not None else entry.self_inputs
    inputs = with_due_dates(criterion, inputs, due)
    if inputs is None:
        return None
    try:
        return scoring.score_criterion(criterion, inputs).score
    except scoring.InputError:
        return None


def _locked_entry(
    assessment: Assessment, code: str, allowed_states=APPRAISABLE_STATES
) -> tuple[Assessment, CriterionEntry]:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.state not in allowed_states:
        raise AppraisalRefused(
            f"Chỉ thẩm định được bản đánh giá đã nộp (hiện tại: {locked.get_state_display()})."
        )
    entry, _ = CriterionEntry.objects.select_for_update().get_or_create(
        assessment=locked, criterion_code=code
    )
    return locked, entry


def _decide(
    *,
    assessment,
    criterion_code,
    user,
    reason,
    change,
    history_reason,
    allowed_states=APPRAISABLE_STATES,
):
    """Apply `change(entry)` under lock; refuse a score change without a reason."""
    criterion = criterion_of(assessment, criterion_code)
    due = due_dates_by_criterion(assessment.period).get(criterion.code, {})
    with transaction.atomic():
        locked, entry = _locked_entry(assessment, criterion.code, allowed_states)
        before = _final_score(criterion, entry, due)
        change(entry, criterion, due)
        after = _final_score(criterion, entry, due)
        reason = (reason or "").strip()
        if before != after and not reason:
            raise ReasonRequired(
                f"{criterion.code}: quyết định này làm thay đổi điểm; cần ghi lý do."
            )
        entry.review_reason = reason
        entry.verified_by = user
        entry.verified_at = timezone.now()
        entry.revision += 1
        entry._change_reason = f"{history_reason}: {reason}" if reason else history_reason
        entry._history_user = user
        entry.save()
        refresh_scores(locked)
    return entry


def accept_self_inputs(*, assessment, criterion_code, user, reason="") -> CriterionEntry:
    """The reviewer confirms the unit's own inputs; any earlier verified inputs are dropped."""

    def change(entry, criterion, due):
        if entry.self_inputs is None:
            raise AppraisalRefused(f"{criterion.code}: đơn vị chưa nhập số liệu để chấp nhận.")
        entry.accepted = True
        entry.verified_inputs = None
        entry.verified_source = ""
        entry.na = False
        entry.na_reason = ""

    return _decide(
        assessment=assessment,
        criterion_code=criterion_code,
        user=user,
        reason=reason,
        change=change,
        history_reason="accept",
    )


def set_verified_inputs(
    *,
    assessment,
    criterion_code,
    inputs: dict,
    user,
    reason="",
    source="",
    allowed_states=APPRAISABLE_STATES,
) -> CriterionEntry:
    """Set the verified inputs (thẩm định) that replace the unit's for the final score.

    `source` names where they come from (e.g. "Cổng DVC tỉnh" for a source-data import).
    Raises scoring.InputError (naming the field) for invalid inputs. `allowed_states` lets an
    accepted explanation (giải trình) change a finalized assessment's criterion.
    """

    def change(entry, criterion, due):
        merged = with_due_dates(criterion, inputs, due)
        criterion.rule.validate_inputs(merged)
        if criterion.kind == "deadline":
            stored = {key: {"actual": value.get("actual")} for key, value in merged.items()}
        else:
            stored = inputs
        entry.verified_inputs = stored
        entry.verified_source = source
        entry.accepted = False
        entry.na = False
        entry.na_reason = ""

    return _decide(
        assessment=assessment,
        criterion_code=criterion_code,
        user=user,
        reason=reason,
        change=change,
        history_reason="verify",
        allowed_states=allowed_states,
    )


def mark_not_applicable(*, assessment, criterion_code, user, reason) -> CriterionEntry:
    """Mark the criterion N/A for this unit (e.g. no information system for T15)."""
    if not (reason or "").strip():
        raise ReasonRequired(f"{criterion_code}: cần ghi lý do không áp dụng.")

    def change(entry, criterion, due):
        entry.na = True
        entry.na_reason = reason.strip()
        entry.accepted = False

    return _decide(
        assessment=assessment,
        criterion_code=criterion_code,
        user=user,
        reason=reason,
        change=change,
        history_reason="not_applicable",
    )


def clear_review(*, assessment, criterion_code, user, reason="") -> CriterionEntry:
    """Undo a review decision: back to the unit's self-reported inputs, not yet reviewed."""

    def change(entry, criterion, due):
        entry.verified_inputs = None
        entry.verified_source = ""
        entry.accepted = False
        entry.na = False
        entry.na_reason = ""

    return _decide(
        assessment=assessment,
        criterion_code=criterion_code,
        user=user,
        reason=reason,
        change=change,
        history_reason="clear_review",
    )


def is_reviewed(entry: CriterionEntry | None) -> bool:
    return bool(entry and (entry.accepted or entry.na or entry.verified_inputs is not None))
