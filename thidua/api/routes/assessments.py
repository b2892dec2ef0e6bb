"""Assessments and scores of a period (scoped), and a unit writing one criterion's inputs."""

from __future__ import annotations

import dataclasses

from django.db.models import Prefetch
from ninja import Router

from thidua import scoring
from thidua.api.auth import can_write
from thidua.api.errors import ApiError, error_responses
from thidua.api.lookups import get_district, get_level, get_period
from thidua.api.present import assessment_summary, criterion_row, number, total
from thidua.api.schemas import (
    AssessmentOut,
    AssessmentSummaryOut,
    CriterionCode,
    CriterionScoreOut,
    DistrictFilter,
    InputsIn,
    InputsSavedOut,
    LevelFilter,
    PeriodCode,
    UnitCode,
)
from thidua.api.scopes import Scope, requires
from thidua.assessments.access import AssessmentAccess, get_assessment_for_user
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.ranking import unit_totals
from thidua.assessments.scores import ScoreSheet, score_sheet
from thidua.assessments.services import criterion_of, save_self_inputs
from thidua.periods.models import Period

router = Router(tags=["assessments"])
UNIT_PATH = "/periods/{period_code}/assessments/{unit_code}"


def _access(request, period_code: str, unit_code: str) -> AssessmentAccess:
    period = get_period(period_code)
    access = get_assessment_for_user(request.user, period.code, unit_code)
    assessment = access.assessment
    if assessment.pk:
        # Who saved each criterion is shown: fetch the users with the entries.
        entries = CriterionEntry.objects.select_related("updated_by")
        assessment = (
            Assessment.objects.prefetch_related(Prefetch("entries", queryset=entries))
            .select_related("submitted_by")
            .get(pk=assessment.pk)
        )
        assessment.period, assessment.unit = access.assessment.period, access.assessment.unit
        access = dataclasses.replace(access, assessment=assessment)
    return access


def _row(sheet: ScoreSheet, criterion_code: str):
    row = next((r for r in sheet.rows if r.criterion.code == criterion_code), None)
    if row is None:
        raise ApiError(
            404,
            f"Tiêu chí '{criterion_code}' không thuộc cấp {sheet.level.code} của đơn vị",
        )
    return row


@router.get(
    "/periods/{period_code}/assessments",
    response={200: list[AssessmentSummaryOut], **error_responses(401, 404, 422)},
    summary="Assessments of a period with their totals, within the caller's scope",
    openapi_extra=requires(Scope.UNIT_LIST),
)
def list_assessments(
    request,
    period_code: PeriodCode,
    level: LevelFilter = None,
    district: DistrictFilter = None,
    state: Assessment.State | None = None,
):
    """Every unit the caller may see, with its state and self-assessed and final totals.
    A unit that has not started has state `draft` and incomplete zero totals.

    Scope `unit-list`: units outside the caller's scope are left out."""
    period = get_period(period_code)
    rows = unit_totals(request.user, period, level=get_level(level) if level else None)
    if district is not None:
        parent_id = get_district(district).pk
        rows = [row for row in rows if row.unit.parent_id == parent_id]
    if state is not None:
        rows = [row for row in rows if row.assessment.state == state]
    return [assessment_summary(row.sheet) for row in rows]


@router.get(
    UNIT_PATH,
    response={200: AssessmentOut, **error_responses(401, 404, 422)},
    summary="One unit's assessment: every criterion's inputs, scores and explanations",
    openapi_extra=requires(Scope.UNIT_READ),
)
def get_assessment(request, period_code: PeriodCode, unit_code: UnitCode):
    """Self-assessed, verified and final score of every criterion, with the explanation of
    how each was computed, and the totals.

    Scope `unit-read`: 404 when the unit is outside the caller's scope."""
    access = _access(request, period_code, unit_code)
    sheet = score_sheet(access.assessment)
    return {
        **assessment_summary(sheet),
        "period": access.assessment.period.code,
        "level_name": sheet.level.name,
        "scale": number(sheet.level.scale),
        "decimals": sheet.decimals,
        "can_edit": access.can_edit and can_write(request),
        "criteria": [criterion_row(row, sheet.decimals) for row in sheet.rows],
    }


@router.get(
    UNIT_PATH + "/criteria/{criterion_code}",
    response={200: CriterionScoreOut, **error_responses(401, 404, 422)},
    summary="One criterion of a unit's assessment",
    openapi_extra=requires(Scope.UNIT_READ),
)
def get_criterion(
    request, period_code: PeriodCode, unit_code: UnitCode, criterion_code: CriterionCode
):
    """Scope `unit-read`: 404 when the unit is outside the caller's scope."""
    access = _access(request, period_code, unit_code)
    sheet = score_sheet(access.assessment)
    return criterion_row(_row(sheet, criterion_code), sheet.decimals)


def _require_criterion(assessment: Assessment, criterion_code: str) -> None:
    try:
        criterion_of(assessment, criterion_code)
    except scoring.InputError:
        level = assessment.unit.level.code
        message = f"Tiêu chí '{criterion_code}' không thuộc cấp {level} của đơn vị"
        raise ApiError(404, message) from None


def _require_edit(request, access: AssessmentAccess) -> None:
    assessment = access.assessment
    if not access.is_own_unit:
        raise ApiError(
            403,
            "Chỉ cán bộ đầu mối hoặc thủ trưởng của đơn vị được nhập số liệu tự đánh giá",
        )
    if not can_write(request):
        raise ApiError(403, "Mã truy cập này chỉ có quyền đọc", code="read_only_token")
    if assessment.state != Assessment.State.DRAFT:
        raise ApiError(403, "Bản đánh giá đã nộp, không sửa được", code="not_editable")
    if assessment.period.state != Period.State.OPEN:
        raise ApiError(403, "Kỳ đánh giá không còn nhận số liệu tự đánh giá", code="period_closed")
    access.require_edit()  # the access helper has the last word


@router.put(
    UNIT_PATH + "/criteria/{criterion_code}",
    response={200: InputsSavedOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Write a unit's self-assessment inputs for one criterion",
    openapi_extra=requires(Scope.UNIT_WRITE),
)
def put_inputs(
    request,
    period_code: PeriodCode,
    unit_code: UnitCode,
    criterion_code: CriterionCode,
    payload: InputsIn,
):
    """For the unit's editor or head while its assessment is a draft and the period open.

    `expected_revision` is the criterion's `revision` when the caller read it: if somebody
    saved the criterion since, nothing is written and 409 says who and when. Invalid inputs
    give 422 naming the criterion and the field. Returns the criterion's new scores and the
    self-assessed total.

    Scope `unit-write`: the unit's editor and head with a read-write token; 404 when the
    unit is outside the caller's scope, 403 for every other caller who may read it."""
    access = _access(request, period_code, unit_code)
    _require_criterion(access.assessment, criterion_code)
    _require_edit(request, access)
    # Empty values mean "not entered": drop them here, so that only keys the engine checked
    # are stored (it skips blank values without looking at their keys).
    inputs = {key: value for key, value in (payload.inputs or {}).items() if not _blank(value)}
    if "na" in inputs or "reason" in inputs:
        # N/A and its reason are the reviewer's, never the unit's (and a stray "reason" would
        # otherwise be stored with the inputs).
        raise scoring.InputError(
            criterion_code,
            "na" if "na" in inputs else "reason",
            "Chỉ người thẩm định mới đánh dấu Không áp dụng (N/A)",
        )
    assessment = access.assessment
    if not assessment.pk:
        assessment, _ = Assessment.objects.get_or_create(
            period=assessment.period, unit=assessment.unit
        )
        assessment.period, assessment.unit = access.assessment.period, access.assessment.unit
    save_self_inputs(
        assessment=assessment,
        criterion_code=criterion_code,
        inputs=inputs or None,
        user=request.user,
        expected_revision=payload.expected_revision,
        reason="api",
    )
    sheet = score_sheet(_access(request, period_code, unit_code).assessment)
    return {
        "criterion": criterion_row(_row(sheet, criterion_code), sheet.decimals),
        "self_total": total(sheet.self_total, sheet.decimals),
    }


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
