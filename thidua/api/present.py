"""Domain objects as the plain data the response schemas describe."""

from __future__ import annotations

from fractions import Fraction

from thidua import scoring
from thidua.assessments.scores import ScoreRow, ScoreSheet
from thidua.scoring.engine import STATUS_DISPLAY
from thidua.units.models import Unit

PLACES = 6


def number(value) -> str | None:
    """An exact value as a decimal string with 6 places, or None."""
    if value is None:
        return None
    return scoring.decimal_str(Fraction(value), PLACES)


def unit_ref(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level.code,
        "kind": unit.kind.code,
        "parent": unit.parent.code if unit.parent_id else None,
    }


def unit_out(unit: Unit) -> dict:
    return {
        **unit_ref(unit),
        "display_name": unit.display_name,
        "email": unit.email,
        "is_active": unit.is_active,
    }


def result(value: scoring.CriterionResult | None, decimals: int) -> dict | None:
    if value is None:
        return None
    return {
        "status": value.status,
        "score": number(value.score),
        "score_display": (
            scoring.format_vi(value.score, decimals)
            if value.score is not None
            else STATUS_DISPLAY.get(value.status, value.status)
        ),
        "explanation": value.explanation,
    }


def total(value: scoring.LevelResult, decimals: int) -> dict:
    return {
        "total": number(value.total),
        "total_display": scoring.format_vi(value.total, decimals),
        "earned": number(value.earned),
        "applicable_max": number(value.applicable_max),
        "complete": value.complete,
    }


def criterion_row(row: ScoreRow, decimals: int) -> dict:
    entry = row.entry
    criterion = row.criterion
    updated_by = entry.updated_by if entry else None
    return {
        "code": criterion.code,
        "content": criterion.content,
        "points": number(criterion.points),
        "kind": criterion.kind,
        "revision": entry.revision if entry else 0,
        "self_inputs": entry.self_inputs if entry else None,
        "verified_inputs": entry.verified_inputs if entry else None,
        "verified_source": entry.verified_source if entry else "",
        "na": entry.na if entry else False,
        "na_reason": entry.na_reason if entry else "",
        "discrepancy": entry.discrepancy if entry else False,
        "updated_at": entry.updated_at if entry else None,
        "updated_by": (updated_by.get_full_name() or updated_by.username) if updated_by else None,
        "self": result(row.self_result, decimals),
        "verified": result(row.verified_result, decimals),
        "final": result(row.final_result, decimals),
    }


def assessment_summary(sheet: ScoreSheet) -> dict:
    assessment = sheet.assessment
    return {
        "unit": unit_ref(assessment.unit),
        "state": assessment.state,
        "submitted_at": assessment.submitted_at,
        "submitted_late": assessment.submitted_late,
        "self_total": total(sheet.self_total, sheet.decimals),
        "final_total": total(sheet.final_total, sheet.decimals),
    }
