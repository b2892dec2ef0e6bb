"""Scoring one criterion or one level for one unit: plain data in, exact results out."""

from dataclasses import dataclass
from fractions import Fraction

from thidua.scoring.errors import InputError
from thidua.scoring.library import Criterion, Level
from thidua.scoring.numbers import format_vi

STATUSES = ("scored", "not_scored", "na", "needs_na")
STATUS_DISPLAY = {
    "not_scored": "chưa chấm",
    "na": "không áp dụng",
    "needs_na": "chờ xác định N/A",
}


@dataclass(frozen=True)
class CriterionResult:
    code: str
    status: str  # one of STATUSES
    score: Fraction | None  # None unless status == "scored"
    max: Fraction
    explanation: str
    na_reason: str | None = None

    def display(self, decimals: int = 2) -> str:
        """The score in Vietnamese format, or the status in words when there is none."""
        if self.score is None:
            return STATUS_DISPLAY.get(self.status, self.status)
        return format_vi(self.score, decimals)


@dataclass(frozen=True)
class LevelResult:
    """`earned` counts scored criteria (plus P of N/A ones under full_points);
    `applicable_max` is the P those criteria could earn; `total` rescales earned to the
    level's scale. Not-scored and needs-N/A criteria count 0 and make `complete` false."""

    results: list[CriterionResult]
    total: Fraction
    earned: Fraction
    applicable_max: Fraction
    complete: bool

    @property
    def all_na(self) -> bool:
        return bool(self.results) and all(r.status == "na" for r in self.results)

    def by_code(self) -> dict[str, CriterionResult]:
        return {result.code: result for result in self.results}


def _check_decimals(decimals: int) -> None:
    if type(decimals) is not int or not 0 <= decimals <= 6:
        raise ValueError(f"decimals must be an int in 0..6, got {decimals!r}")


def score_criterion(
    criterion: Criterion, inputs: dict | None, *, decimals: int = 2
) -> CriterionResult:
    """Score one criterion. None or {} means not yet scored; raises InputError if invalid."""
    _check_decimals(decimals)
    clean = criterion.rule.validate_inputs(inputs)
    if clean.get("na"):
        reason = clean["reason"]
        text = f"Không áp dụng (N/A): {reason}"
        return CriterionResult(criterion.code, "na", None, criterion.points, text, reason)
    outcome = criterion.rule.score(clean, decimals)
    return CriterionResult(
        criterion.code, outcome.status, outcome.score, criterion.points, outcome.explanation
    )


def score_level(
    level: Level, inputs_by_code: dict, *, na_policy: str = "rescale", decimals: int = 2
) -> LevelResult:
    """Score every criterion of a level, in level order.

    rescale: total = earned × scale / Σ P of applicable criteria; when every criterion is
    N/A there is nothing to rescale and the total is 0 (see `LevelResult.all_na`).
    full_points: an N/A criterion earns its P.
    """
    if na_policy not in ("rescale", "full_points"):
        raise ValueError(f"unknown na_policy {na_policy!r}")
    codes = [criterion.code for criterion in level.criteria]
    for code in inputs_by_code or {}:
        if code not in codes:
            message = f"Tiêu chí không thuộc cấp {level.code} (các tiêu chí: {', '.join(codes)})"
            raise InputError(str(code), None, message)
    results = [
        score_criterion(criterion, (inputs_by_code or {}).get(criterion.code), decimals=decimals)
        for criterion in level.criteria
    ]
    return total_level(level, results, na_policy=na_policy)


def total_level(
    level: Level, results: list[CriterionResult], *, na_policy: str = "rescale"
) -> LevelResult:
    """The level's total from its criteria's results (one per criterion, in level order)."""
    if na_policy not in ("rescale", "full_points"):
        raise ValueError(f"unknown na_policy {na_policy!r}")
    earned, applicable = Fraction(0), Fraction(0)
    for criterion, result in zip(level.criteria, results, strict=True):
        if result.status == "na":
            if na_policy == "full_points":
                earned += criterion.points
                applicable += criterion.points
            continue
        applicable += criterion.points
        earned += result.score or 0
    total = earned * level.scale / applicable if applicable else Fraction(0)
    complete = all(r.status in ("scored", "na") for r in results)
    return LevelResult(results, total, earned, applicable, complete)
