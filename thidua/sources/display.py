"""Rows of a plan as the preview shows them: values, rates and the score before and after.

Scores go through the scoring engine, so only the rows on screen are scored (a file may
have 100 000 rows; the counts above the table need no score).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from thidua import scoring
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.criteria.services import scoring_library
from thidua.sources.plan import Plan, RowPlan, rate_of
from thidua.units.models import Unit


def rate_text(rate: Fraction | None) -> str:
    return "—" if rate is None else f"{scoring.format_vi(rate, 2, trim=True)}%"


def inputs_text(inputs) -> str:
    """{"rate": "90.5"} → "90,5%"; {"numerator": 45, "denominator": 50} → "45/50 (90%)"."""
    if not isinstance(inputs, dict) or not inputs:
        return "—"
    if inputs.get("na"):
        return "N/A"
    rate = rate_of(inputs)
    if inputs.get("rate") not in (None, ""):
        return rate_text(rate)
    shown = f"{inputs.get('numerator')}/{inputs.get('denominator')}"
    return f"{shown} ({rate_text(rate)})" if rate is not None else shown


@dataclass
class ShownRow:
    line: int
    unit: Unit
    criterion_code: str
    self_rate: str
    current: str  # the current verified value, or "—"
    current_source: str
    new: str
    score_before: str
    score_after: str
    discrepancy: bool
    value_changes: bool
    new_entry: bool
    na: bool


@dataclass
class ShownClear:
    unit: Unit
    criterion_code: str
    current: str


def _score_text(criterion, inputs, decimals) -> str:
    if not inputs:
        return "—"
    try:
        result = scoring.score_criterion(criterion, inputs, decimals=decimals)
    except scoring.InputError:
        return "—"
    if result.score is None:
        return "N/A?" if result.status == "needs_na" else "—"
    return scoring.format_vi(result.score, decimals)


def _final_inputs(entry: CriterionEntry | None):
    if entry is None:
        return None
    return entry.verified_inputs if entry.verified_inputs is not None else entry.self_inputs


def _units(ids) -> dict[int, Unit]:
    return Unit.objects.select_related("parent").in_bulk(list(ids))


def shown_rows(plan: Plan, rows: list[RowPlan]) -> list[ShownRow]:
    decimals = scoring_library(plan.period.criteria_version).meta.display_decimals
    units = _units({row.value.unit_id for row in rows})
    shown = []
    for row in rows:
        entry = row.entry
        na = bool(entry and entry.na)
        before = "N/A" if na else _score_text(row.criterion, _final_inputs(entry), decimals)
        after = "N/A" if na else _score_text(row.criterion, row.value.inputs, decimals)
        shown.append(
            ShownRow(
                line=row.value.line,
                unit=units[row.value.unit_id],
                criterion_code=row.value.criterion_code,
                self_rate=rate_text(row.self_rate),
                current=inputs_text(entry.verified_inputs) if entry else "—",
                current_source=entry.verified_source if entry else "",
                new=inputs_text(row.value.inputs),
                score_before=before,
                score_after=after,
                discrepancy=row.discrepancy,
                value_changes=row.value_changes,
                new_entry=entry is None,
                na=na,
            )
        )
    return shown


def shown_clears(entries: list[CriterionEntry]) -> list[ShownClear]:
    unit_of = dict(
        Assessment.objects.filter(pk__in={e.assessment_id for e in entries}).values_list(
            "pk", "unit_id"
        )
    )
    units = _units(set(unit_of.values()))
    return [
        ShownClear(
            unit=units[unit_of[entry.assessment_id]],
            criterion_code=entry.criterion_code,
            current=inputs_text(entry.verified_inputs),
        )
        for entry in entries
    ]
