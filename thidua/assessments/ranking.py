"""Per-unit totals of a period for the units a user may see (exact totals, shared ranks),
read from the stored scores (`score_cache`)."""

from dataclasses import dataclass
from fractions import Fraction

from thidua.accounts.scope import visible_units
from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import SheetReader, StoredSheet


@dataclass
class UnitTotal:
    unit: object
    assessment: Assessment
    sheet: StoredSheet
    rank: int | None = None

    @property
    def total(self) -> Fraction:
        return self.sheet.final_total.total


def unit_totals(user, period, *, level=None) -> list[UnitTotal]:
    units = (
        visible_units(user)
        .select_related("level", "parent", "kind")
        .order_by("level__order", "parent__code", "code")
    )
    if level is not None:
        units = units.filter(level=level)
    units = list(units)
    existing = {a.unit_id: a for a in Assessment.objects.filter(period=period, unit__in=units)}
    assessments = []
    for unit in units:
        assessment = existing.get(unit.pk) or Assessment(period=period, unit=unit)
        assessment.period, assessment.unit = period, unit
        assessments.append(assessment)
    sheets = SheetReader(period).sheets(assessments)
    rows = [
        UnitTotal(unit=a.unit, assessment=a, sheet=sheet)
        for a, sheet in zip(assessments, sheets, strict=True)
    ]
    assign_ranks(rows)
    return rows


def assign_ranks(rows: list[UnitTotal]) -> None:
    """Rank within each level on exact totals; equal totals share a rank (1, 2, 2, 4)."""
    by_level: dict[int, list[UnitTotal]] = {}
    for row in rows:
        by_level.setdefault(row.unit.level_id, []).append(row)
    for level_rows in by_level.values():
        ordered = sorted(level_rows, key=lambda r: r.total, reverse=True)
        previous_total, previous_rank = None, 0
        for position, row in enumerate(ordered, start=1):
            if row.total != previous_total:
                previous_rank, previous_total = position, row.total
            row.rank = previous_rank
