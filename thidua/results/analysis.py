"""Gap analysis on score sheets and rankings: the glue between `gaps` and the stored data."""

from __future__ import annotations

from fractions import Fraction

from thidua.assessments.scores import ScoreRow, ScoreSheet
from thidua.results.gaps import CriterionLoss, Gap, level_losses, unit_gaps
from thidua.results.ranking import Ranking, RankingRow


def final_inputs(row: ScoreRow) -> dict | None:
    """The inputs the final score comes from: N/A, else verified, else self-reported."""
    entry = row.entry
    if entry is not None and entry.na:
        return {"na": True, "reason": entry.na_reason}
    return row.verified_inputs if row.verified_inputs is not None else row.self_inputs


def sheet_gaps(sheet: ScoreSheet) -> list[Gap]:
    """Where one unit lost points, most first."""
    return unit_gaps(
        ((row.criterion, final_inputs(row), row.final_result) for row in sheet.rows),
        decimals=sheet.decimals,
    )


def lost_total(sheet: ScoreSheet) -> Fraction:
    return sheet.level.scale - sheet.final_total.total


def started(rows: list[RankingRow]) -> list[RankingRow]:
    """Rows of units that have an assessment (a unit that never opened its own has none)."""
    return [row for row in rows if row.assessment.pk]


def ranking_losses(ranking: Ranking) -> list[CriterionLoss]:
    """Which criteria lose the units of a ranking the most points (units that started)."""
    return level_losses(
        ranking.criteria,
        (
            {score_row.criterion.code: score_row.final_result for score_row in row.sheet.rows}
            for row in started(ranking.rows)
        ),
    )
