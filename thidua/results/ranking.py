"""Rankings of a period: exact totals (stored by `score_cache`), ties share a rank (1, 2, 2, 4).

A ranking is preliminary until the period's results are final; each row also says whether
its own assessment is finalized. Rows are built for the units the caller may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from thidua import scoring
from thidua.accounts.scope import visible_units
from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import SheetReader, StoredSheet, stored_text
from thidua.collector import collector_paused
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
    ranks = exact_ranks([total(row) for row in rows])
    for row, rank in zip(rows, ranks, strict=True):
        row.rank = rank


def exact_ranks(totals: list) -> list[int]:
    """The rank of each exact total (Fraction, Decimal or int) among them, highest first.

    Sorted on floats first: rounding to the nearest float keeps the order (a < b gives
    float(a) <= float(b)), so only totals with equal floats are compared exactly."""
    keys = [(float(value), value) for value in totals]
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
    ranks = [0] * len(keys)
    previous, previous_rank = None, 0
    for position, index in enumerate(order, start=1):
        key = keys[index]
        if previous is None or key[0] != previous[0] or key[1] != previous[1]:
            previous, previous_rank = key, position
        ranks[index] = previous_rank
    return ranks


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


# Columns no ranking shows: timestamps, Decimal totals and UUIDs are the slowest values to
# load (the exact totals come from the stored scores).
UNSHOWN_FIELDS = (
    "uuid",
    "created_at",
    "updated_at",
    "scores_changed_at",
    "self_total",
    "final_total",
)
# The foreign objects a ranking attaches to thousands of rows.
UNIT_LEVEL, UNIT_KIND, UNIT_PARENT = (
    Unit._meta.get_field(name) for name in ("level", "kind", "parent")
)
ASSESSMENT_PERIOD, ASSESSMENT_UNIT = (
    Assessment._meta.get_field(name) for name in ("period", "unit")
)


@collector_paused()
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
    units = units.filter(level=level)
    if kind is not None:
        units = units.filter(kind=kind)
    if district is not None:
        units = units.filter(parent=district)
    # order_by(): the model's default ordering would join periods and units to sort. The
    # stored scores come as text, decoded by the sheets when asked (`stored_text`).
    found = Assessment.objects.filter(period=period, unit__in=units).order_by()
    loaded = _instances(found, defer=(*UNSHOWN_FIELDS, "score_cache"), **stored_text())
    existing = {a.unit_id: a for a in loaded}
    units = _instances(units.order_by("code"))
    # Thousands of rows share one level, a few kinds and a few hundred parents: attach the
    # shared objects (each loaded once) instead of joining them into every row, straight
    # into the instances' caches as select_related does (the ids match by construction).
    kinds = {item.pk: item for item in UnitKind.objects.filter(level=level)}
    parent_ids = {unit.parent_id for unit in units if unit.parent_id is not None}
    parents = Unit.objects.in_bulk(parent_ids) if parent_ids else {}
    assessments = []
    for unit in units:
        UNIT_LEVEL.set_cached_value(unit, level)
        UNIT_KIND.set_cached_value(unit, kinds[unit.kind_id])
        if unit.parent_id is not None:
            UNIT_PARENT.set_cached_value(unit, parents[unit.parent_id])
        assessment = existing.get(unit.pk)
        if assessment is None:
            assessment = Assessment(period=period, unit=unit)
        else:
            ASSESSMENT_PERIOD.set_cached_value(assessment, period)
            ASSESSMENT_UNIT.set_cached_value(assessment, unit)
        assessments.append(assessment)
    reader = SheetReader(period)
    sheets = reader.sheets(assessments)
    rows = [RankingRow(a.unit, a, sheet) for a, sheet in zip(assessments, sheets, strict=True)]
    assign_ranks(rows)
    rows.sort(key=lambda row: (row.rank, row.unit.code))
    _assign_grades(rows, period.grade_bands.all())
    return Ranking(
        period=period,
        level=level,
        criteria=list(reader.level(level.code).criteria),
        rows=rows,
        decimals=reader.decimals,
        kind=kind,
        district=district,
    )


def _instances(queryset, *, defer=(), **annotations) -> list:
    """The queryset's model instances, the `defer` fields left out, as the ORM loads them,
    but made from plain rows as unpickling makes them (`Model.__init__` is skipped): for
    thousands of rows its per-field work costs more than the query. A model with init
    signal receivers (which that would skip) is loaded by the ORM."""
    model = queryset.model
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return list(queryset.defer(*defer).annotate(**annotations))
    names = [f.attname for f in model._meta.concrete_fields if f.name not in defer]
    names += annotations
    db, instances = queryset.db, []
    for values in queryset.annotate(**annotations).values_list(*names):
        instance = model.__new__(model)
        instance.__dict__.update(zip(names, values, strict=True))
        instance._state = state = ModelState()
        state.adding, state.db = False, db
        instances.append(instance)
    return instances


def _assign_grades(rows: list[RankingRow], bands) -> None:
    """Each row's band: the highest lower bound not above its total. `rows` are sorted by
    rank, so the band only moves down and each distinct total is compared once."""
    # Highest bound first, each bound as an exact fraction once.
    bounds = [
        (Fraction(Decimal(band.min_total)), band)
        for band in sorted(bands, key=lambda band: band.min_total, reverse=True)
    ]
    position, previous_rank, grade = 0, None, None
    for row in rows:
        if row.rank != previous_rank:
            previous_rank, total = row.rank, row.total
            while position < len(bounds) and total < bounds[position][0]:
                position += 1
            grade = bounds[position][1] if position < len(bounds) else None
        row.grade = grade
