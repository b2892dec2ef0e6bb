"""Score sheets: an assessment's inputs run through `thidua.scoring`. Nothing here is stored."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from thidua import scoring
from thidua.assessments.inputs_display import describe_inputs
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.criteria.services import scoring_library
from thidua.periods.services import due_dates_by_criterion


@dataclass
class ScoreRow:
    criterion: scoring.Criterion
    entry: CriterionEntry | None
    self_result: scoring.CriterionResult
    verified_result: scoring.CriterionResult | None
    final_result: scoring.CriterionResult

    self_inputs: dict | None = None
    verified_inputs: dict | None = None

    @property
    def self_lines(self) -> list[str]:
        return describe_inputs(self.criterion, self.self_inputs)

    @property
    def verified_lines(self) -> list[str]:
        return describe_inputs(self.criterion, self.verified_inputs)


@dataclass
class ScoreSheet:
    assessment: Assessment
    level: scoring.Level
    rows: list[ScoreRow]
    self_total: scoring.LevelResult
    final_total: scoring.LevelResult
    decimals: int

    def fmt(self, value: Fraction | None) -> str:
        return "—" if value is None else scoring.format_vi(value, self.decimals)

    @property
    def filled_count(self) -> int:
        return sum(1 for row in self.rows if row.self_result.status != "not_scored")


def library_level(library: scoring.Library, code: str) -> scoring.Level:
    for level in library.levels:
        if level.code == code:
            return level
    raise LookupError(f"Bộ tiêu chí không có cấp '{code}'")


def with_due_dates(criterion: scoring.Criterion, inputs: dict | None, due: dict) -> dict | None:
    """Stored deadline inputs hold only actual dates; the period holds the due dates."""
    if inputs is None or criterion.kind != "deadline" or inputs.get("na"):
        return inputs
    merged = {}
    for deliverable, value in inputs.items():
        actual = value.get("actual") if isinstance(value, dict) else value
        merged[deliverable] = {"due": due.get(deliverable), "actual": actual}
        if merged[deliverable]["due"] is not None:
            merged[deliverable]["due"] = merged[deliverable]["due"].isoformat()
    return merged


def _score(criterion, inputs, decimals):
    try:
        return scoring.score_criterion(criterion, inputs, decimals=decimals)
    except scoring.InputError as exc:
        # Stored inputs were validated when saved; if a library change made them invalid,
        # show the criterion as not scored with the reason instead of failing the page.
        return scoring.CriterionResult(
            code=criterion.code,
            status="not_scored",
            score=None,
            max=criterion.points,
            explanation=str(exc),
            na_reason=None,
        )


def level_total(
    level: scoring.Level, results: list[scoring.CriterionResult], na_policy: str
) -> scoring.LevelResult:
    """What `scoring.score_level` returns for the inputs that gave `results` (one per
    criterion of the level, in order), without scoring them a second time.

    Criteria that could not be scored (not scored, awaiting an N/A decision) count as not
    entered: 0 points, and the total is not complete. The arithmetic is score_level's
    (tests/assessments/test_score_cache.py checks both agree on the demo data).
    """
    counted = [
        scoring.CriterionResult(criterion.code, "not_scored", None, result.max, "")
        if result.status in ("not_scored", "needs_na")
        else result
        for criterion, result in zip(level.criteria, results, strict=True)
    ]
    return scoring.total_level(level, counted, na_policy=na_policy)


def score_sheet(assessment: Assessment, *, due: dict | None = None) -> ScoreSheet:
    """Score every criterion of the assessment's level; `due` may be passed to score many."""
    period = assessment.period
    version = period.criteria_version
    library = scoring_library(version)
    level = library_level(library, assessment.unit.level.code)
    if due is None:
        due = due_dates_by_criterion(period)
    decimals = library.meta.display_decimals
    stored = assessment.entries.all() if assessment.pk else []
    entries = {entry.criterion_code: entry for entry in stored}
    rows = []
    for criterion in level.criteria:
        entry = entries.get(criterion.code)
        crit_due = due.get(criterion.code, {})
        self_inputs = with_due_dates(criterion, entry.self_inputs if entry else None, crit_due)
        verified_inputs = with_due_dates(
            criterion, entry.verified_inputs if entry else None, crit_due
        )
        if entry and entry.na:
            final_inputs = {"na": True, "reason": entry.na_reason}
        else:
            final_inputs = verified_inputs if verified_inputs is not None else self_inputs
        self_result = _score(criterion, self_inputs, decimals)
        verified_result = (
            _score(criterion, verified_inputs, decimals) if verified_inputs is not None else None
        )
        # Each set of inputs is scored once: the final result is one of the two above
        # unless the criterion is N/A.
        if final_inputs is self_inputs:
            final_result = self_result
        elif final_inputs is verified_inputs:
            final_result = verified_result
        else:
            final_result = _score(criterion, final_inputs, decimals)
        rows.append(
            ScoreRow(
                criterion,
                entry,
                self_result,
                verified_result,
                final_result,
                self_inputs=self_inputs,
                verified_inputs=verified_inputs,
            )
        )
    na_policy = library.meta.na_policy
    return ScoreSheet(
        assessment=assessment,
        level=level,
        rows=rows,
        self_total=level_total(level, [row.self_result for row in rows], na_policy),
        final_total=level_total(level, [row.final_result for row in rows], na_policy),
        decimals=decimals,
    )
