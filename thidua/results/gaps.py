"""Gap analysis: where a unit lost points and what it would take to reach full points.

Plain functions over the scoring engine's data (no Django), tested with tables of cases.
One wording per rule kind, in Vietnamese, with the numbers substituted, e.g.
"T03: đạt 90%, cần 95% để đạt tối đa; còn thiếu 0,21 điểm". A kind without a wording of
its own (bands, formula, kinds added later) gets the generic "được x/P điểm".

Points lost are raw criterion points (P − score). Under the `rescale` N/A policy the total
is rescaled afterwards; an N/A criterion loses nothing and has no gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from thidua import scoring
from thidua.scoring.kinds.base import num, pct
from thidua.scoring.kinds.deadline import months_late, vi_date
from thidua.scoring.kinds.late_entries import FREQUENCIES


@dataclass(frozen=True)
class Gap:
    code: str
    content: str
    kind: str
    points: Fraction  # P
    score: Fraction | None  # None when not scored
    lost: Fraction  # P − score (P when not scored)
    status: str
    what_it_takes: str  # "đạt 90%, cần 95% để đạt tối đa"
    text: str  # "T03: đạt 90%, cần 95% để đạt tối đa; còn thiếu 0,21 điểm"


def points_text(value: Fraction, decimals: int) -> str:
    """Points as in the explanations: rounded half-up, trailing zeros dropped ("0,21", "5")."""
    return scoring.format_vi(value, decimals, trim=True)


def criterion_gap(
    criterion: scoring.Criterion,
    inputs: Mapping | None,
    result: scoring.CriterionResult,
    *,
    decimals: int = 2,
) -> Gap | None:
    """The gap of one criterion, or None when it is at full points or not applicable.

    `inputs` are the inputs the result was scored from (for `deadline`, with due dates).
    """
    if result.status == "na":
        return None
    points = criterion.points
    score = result.score if result.status == "scored" else None
    lost = points - (score or 0)
    if lost <= 0:
        return None
    if result.status == "not_scored":
        takes = "chưa chấm (chưa nhập số liệu), đang tính 0 điểm; cần nhập số liệu để được chấm"
    elif result.status == "needs_na":
        takes = "mẫu số bằng 0, đang tính 0 điểm; cần thẩm định xác định Không áp dụng (N/A)"
    else:
        takes = _what_it_takes(criterion, inputs, score, decimals)
    text = f"{criterion.code}: {takes}; còn thiếu {points_text(lost, decimals)} điểm"
    return Gap(
        code=criterion.code,
        content=criterion.content,
        kind=criterion.kind,
        points=points,
        score=score,
        lost=lost,
        status=result.status,
        what_it_takes=takes,
        text=text,
    )


def unit_gaps(
    items: Iterable[tuple[scoring.Criterion, Mapping | None, scoring.CriterionResult]],
    *,
    decimals: int = 2,
) -> list[Gap]:
    """Gaps of one unit, most points lost first (then in criterion order)."""
    gaps = [criterion_gap(c, inputs, r, decimals=decimals) for c, inputs, r in items]
    found = [gap for gap in gaps if gap is not None]
    order = {gap.code: index for index, gap in enumerate(found)}
    return sorted(found, key=lambda gap: (-gap.lost, order[gap.code]))


# -- per kind -----------------------------------------------------------------------------


def _what_it_takes(criterion, inputs, score, decimals) -> str:
    try:
        clean = criterion.rule.validate_inputs(inputs)
    except scoring.InputError:
        clean = {}
    wording = WORDINGS.get(criterion.kind)
    if clean and not clean.get("na") and wording is not None:
        text = wording(criterion, clean, decimals)
        if text:
            return text
    return _generic(criterion, score, decimals)


def _generic(criterion, score, decimals) -> str:
    return f"được {points_text(score or 0, decimals)}/{num(criterion.points)} điểm"


def _rate_shown(clean: dict, decimals: int) -> tuple[Fraction, str]:
    if "rate" in clean:
        rate = clean["rate"]
        return rate, pct(rate)
    numerator, denominator = clean["numerator"], clean["denominator"]
    rate = Fraction(numerator * 100, denominator)
    return rate, f"{numerator}/{denominator} ({points_text(rate, decimals)}%)"


def _counts_needed(clean: dict, percent: Fraction) -> str:
    """ ": ít nhất 19/20, thêm 2" for counts; "" for a rate."""
    if "rate" in clean:
        return ""
    numerator, denominator = clean["numerator"], clean["denominator"]
    needed = math.ceil(percent * denominator / 100)
    return f": ít nhất {needed}/{denominator}, thêm {needed - numerator}"


def _ratio(criterion, clean, decimals) -> str:
    if "rate" not in clean and not clean.get("denominator"):
        return ""
    target = criterion.rule.target
    _, shown = _rate_shown(clean, decimals)
    return f"đạt {shown}, cần {pct(target)} để đạt tối đa{_counts_needed(clean, target)}"


def _threshold(criterion, clean, decimals) -> str:
    if "rate" not in clean and not clean.get("denominator"):
        return ""
    threshold = criterion.rule.threshold
    _, shown = _rate_shown(clean, decimals)
    return (
        f"đạt {shown}, chưa đạt ngưỡng {pct(threshold)} nên 0 điểm; cần đạt {pct(threshold)} "
        f"để được {num(criterion.points)} điểm{_counts_needed(clean, threshold)}"
    )


def _deadline(criterion, clean, decimals) -> str:
    problems, never_issued = [], False
    for deliverable in criterion.rule.deliverables:
        value = clean.get(deliverable.code)
        if value is None:
            continue
        due, actual = value["due"], value["actual"]
        if actual is None:
            never_issued = True
            problems.append(f"không ban hành {deliverable.label} (hạn {vi_date(due)})")
            continue
        late = months_late(due, actual)
        if late:
            problems.append(
                f"{deliverable.label} trễ {late} tháng "
                f"(hạn {vi_date(due)}, ban hành {vi_date(actual)})"
            )
    if not problems:
        return ""
    if never_issued:
        need = "cần ban hành đủ văn bản, đúng hạn, để đạt tối đa"
    else:
        penalty = num(criterion.rule.penalty)
        need = f"cần ban hành đúng hạn để đạt tối đa (mỗi tháng trễ trừ {penalty} điểm)"
    return f"{'; '.join(problems)}; {need}"


def _late_entries(criterion, clean, decimals) -> str:
    deductions = criterion.rule.deductions
    parts = [
        f"{count} lần (tần suất {FREQUENCIES[frequency]}, mỗi lần trừ "
        f"{points_text(criterion.points * deductions[frequency] / 100, decimals)} điểm)"
        for frequency, count in clean.items()
        if count and frequency in deductions
    ]
    if not parts:
        return ""
    return f"nhập số liệu trễ {', '.join(parts)}; cần nhập đúng hạn mọi kỳ để đạt tối đa"


def _choice(criterion, clean, decimals) -> str:
    options = criterion.rule.options
    chosen = options.get(clean.get("option"))
    if chosen is None:
        return ""
    best = max(options.values(), key=lambda option: option.points.value)
    return (
        f"mức «{chosen.label}» ({points_text(chosen.points.value, decimals)} điểm); "
        f"cần mức «{best.label}» để đạt tối đa ({num(best.points.value)} điểm)"
    )


WORDINGS: dict[str, Callable[[scoring.Criterion, dict, int], str]] = {
    "ratio": _ratio,
    "threshold": _threshold,
    "deadline": _deadline,
    "late_entries": _late_entries,
    "choice": _choice,
}


# -- across units -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionLoss:
    """One criterion across the units of a level: how many points it costs them.

    Only units where the criterion is scored count (N/A, not scored and awaiting an N/A
    decision are left out, and counted in `left_out`).
    """

    code: str
    content: str
    points: Fraction
    units: int
    left_out: int
    lost_sum: Fraction
    full_points: int  # units at full points

    @property
    def lost_average(self) -> Fraction:
        return self.lost_sum / self.units if self.units else Fraction(0)

    @property
    def full_share(self) -> Fraction:
        """Share of the counted units at full points, in [0, 1]."""
        return Fraction(self.full_points, self.units) if self.units else Fraction(0)

    @property
    def average_share(self) -> Fraction:
        """Average score as a share of P, in [0, 1]."""
        if not self.units or not self.points:
            return Fraction(0)
        return 1 - self.lost_average / self.points


def level_losses(
    criteria: Iterable[scoring.Criterion],
    results_per_unit: Iterable[Mapping[str, scoring.CriterionResult]],
) -> list[CriterionLoss]:
    """Criteria of a level by points lost across its units, most lost first."""
    criteria = list(criteria)
    results_per_unit = list(results_per_unit)
    losses = []
    for criterion in criteria:
        counted, left_out, lost, full = 0, 0, Fraction(0), 0
        for results in results_per_unit:
            result = results.get(criterion.code)
            if result is None or result.status != "scored":
                left_out += 1
                continue
            counted += 1
            lost += criterion.points - result.score
            full += int(result.score >= criterion.points)
        losses.append(
            CriterionLoss(
                code=criterion.code,
                content=criterion.content,
                points=criterion.points,
                units=counted,
                left_out=left_out,
                lost_sum=lost,
                full_points=full,
            )
        )
    order = {criterion.code: index for index, criterion in enumerate(criteria)}
    return sorted(losses, key=lambda loss: (-loss.lost_sum, order[loss.code]))
