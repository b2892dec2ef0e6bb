"""Rankings of a period: exact totals (stored by `score_cache`), ties share a rank (1, 2, 2, 4).

A ranking is preliminary until the period's results are final; each row also says whether
its own assessment is finalized. Rows are built for the units the caller may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from thidua import scoring
from thidua.accounts.scope import visible_units
from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import SheetReader, StoredSheet
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.results.models import GradeBand
from thidua.units.models import Level, Unit, UnitKind


@dataclass
class RankingRow:
    unit: Unit
    assessment: Assessment
    sheet: StoredSheet
    rank: int = 0
    grade: GradeBand | None = None

    @property
    def total(self) -> Fraction:
        return self.sheet.final_total.total

    @property
    def self_total(self) -> Fraction:
        return self.sheet.self_total.total

    @property
    def complete(self) -> bool:
        return self.sheet.final_total.complete

    @property
    def is_final(self) -> bool:
        return self.assessment.state == Assessment.State.FINALIZED

    def criterion_score(self, code: str) -> Fraction | None:
        for row in self.sheet.rows:
            if row.criterion.code == code:
                return row.final_result.score
        raise KeyError(code)


@dataclass
class Ranking:
    period: Period
    level: Level
    criteria: list[scoring.Criterion]
    rows: list[RankingRow]
    decimals: int
    kind: UnitKind | None = None
    district: Unit | None = None

    @property
    def is_preliminary(self) -> bool:
        return self.period.state not in (Period.State.FINAL, Period.State.ARCHIVED)

    def fmt(self, value) -> str:
        return "" if value is None else scoring.format_vi(value, self.decimals)


def assign_ranks(rows: list, total=lambda row: row.total) -> None:
    """Rank rows by exact total, highest first; equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(rows, key=total, reverse=True)
    previous, previous_rank = None, 0
    for position, row in enumerate(ordered, start=1):
        if total(row) != previous:
            previous_rank, previous = position, total(row)
        row.rank = previous_rank


def grade_for(total: Fraction, bands: list[GradeBand]) -> GradeBand | None:
    """The band with the highest lower bound not above the total (bounds inclusive)."""
    for band in sorted(bands, key=lambda b: b.min_total, reverse=True):
        if total >= Fraction(Decimal(band.min_total)):
            return band
    return None


def scored_levels(period: Period) -> list[Level]:
    """The unit levels the period's criteria version scores (a level it lacks has no ranking).

    Read once per period object: a request asks for them several times."""
    levels = getattr(period, "_scored_levels", None)
    if levels is None:
        codes = {level.code for level in scoring_library(period.criteria_version).levels}
        levels = [level for level in Level.objects.all() if level.code in codes]
        period._scored_levels = levels
    return list(levels)


def build_ranking(
    period: Period,
    level: Level,
    *,
    user=None,
    kind: UnitKind | None = None,
    district: Unit | None = None,
) -> Ranking:
    """The ranking of one level (optionally one unit kind, or the communes of one district).

    `user` limits the rows to the units the user may see (None: all units, for commands).
    Ranks are computed among the rows returned, after filtering.
    """
    units = Unit.objects.active() if user is None else visible_units(user).filter(is_active=True)
    units = units.filter(level=level).select_related("parent")
    if kind is not None:
        units = units.filter(kind=kind)
    if district is not None:
        units = units.filter(parent=district)
    # Thousands of rows: leave out the columns no ranking shows (timestamps and Decimal
    # totals are the slowest values to load; the exact totals come from score_cache).
    found = Assessment.objects.filter(period=period, unit__in=units).defer(
        "created_at", "updated_at", "scores_changed_at", "self_total", "final_total"
    )
    existing = {a.unit_id: a for a in found}
    units = list(units.order_by("code"))
    # Thousands of rows share one level and a few kinds: attach them instead of joining.
    kinds = {item.pk: item for item in UnitKind.objects.filter(level=level)}
    assessments = []
    for unit in units:
        unit.level, unit.kind = level, kinds[unit.kind_id]
        assessment = existing.get(unit.pk) or Assessment(period=period, unit=unit)
        assessment.period, assessment.unit = period, unit
        assessments.append(assessment)
    reader = SheetReader(period)
    sheets = reader.sheets(assessments)
    # Highest bound first, each bound as an exact fraction once (not once per row).
    bands = sorted(period.grade_bands.all(), key=lambda band: band.min_total, reverse=True)
    bounds = [(Fraction(Decimal(band.min_total)), band) for band in bands]
    rows = [RankingRow(a.unit, a, sheet) for a, sheet in zip(assessments, sheets, strict=True)]
    assign_ranks(rows)
    for row in rows:
        row.grade = next((band for bound, band in bounds if row.total >= bound), None)
    rows.sort(key=lambda row: (row.rank, row.unit.code))
    return Ranking(
        period=period,
        level=level,
        criteria=list(reader.level(level.code).criteria),
        rows=rows,
        decimals=reader.decimals,
        kind=kind,
        district=district,
    )
