"""What an import would do to a period's assessments: shared by the preview and the confirm.

`make_plan` compares the file's values with what is stored now and returns, per row, the
entry it lands on, the unit's self-reported rate, whether the verified value changes and
whether the unit is flagged; and the values of the previous import of the same source that
the new file no longer carries (to be cleared). The preview shows a plan; `confirm_import`
makes a fresh one under lock and writes it.

Discrepancy: |self-reported rate − source rate| > period.discrepancy_tolerance, in
percentage points, exactly (Fractions). Equal to the tolerance is not flagged. No
comparison, hence no flag, when the unit reported nothing or a zero denominator, or the
source gives a zero denominator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from thidua import scoring
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.scoring.numbers import NumberError
from thidua.sources.parsing import SourceValue, label_key
from thidua.units.models import Unit


@lru_cache(maxsize=65536)
def _text_fraction(text: str) -> Fraction:
    # Stored values were checked by the engine when saved; rates recur (one decimal), so
    # parse through Decimal and cache. Anything unusual goes through the engine's parser.
    cleaned = text.strip().replace(",", ".")
    if len(cleaned) <= 40 and not any(ch in cleaned for ch in "eEnN_"):
        try:
            return Fraction(Decimal(cleaned))
        except (InvalidOperation, ValueError):
            pass
    return scoring.to_fraction(text)


def _fraction(value) -> Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str):
        return _text_fraction(value)
    return scoring.to_fraction(value)


def rate_of(inputs) -> Fraction | None:
    """The rate in percent that stored rate inputs give; None when there is none to compare
    (nothing entered, N/A, a zero denominator, or values a library change made invalid)."""
    if not isinstance(inputs, dict) or inputs.get("na"):
        return None
    try:
        if inputs.get("rate") not in (None, ""):
            return _fraction(inputs["rate"])
        numerator, denominator = inputs.get("numerator"), inputs.get("denominator")
        if numerator in (None, "") or denominator in (None, ""):
            return None
        numerator, denominator = _fraction(numerator), _fraction(denominator)
    except NumberError:
        return None
    if denominator <= 0:
        return None
    return numerator * 100 / denominator


def differs(self_rate: Fraction | None, source_rate: Fraction | None, tolerance) -> bool:
    """Flag when both rates exist and differ by strictly more than the tolerance."""
    if self_rate is None or source_rate is None:
        return False
    return abs(self_rate - source_rate) > Fraction(tolerance)


def _value_key(inputs) -> tuple | None:
    """Rate inputs as comparable exact numbers: ("rate", r) or ("counts", n, d)."""
    if not isinstance(inputs, dict) or inputs.get("na"):
        return None
    try:
        if inputs.get("rate") not in (None, ""):
            return ("rate", _fraction(inputs["rate"]))
        return ("counts", _fraction(inputs["numerator"]), _fraction(inputs["denominator"]))
    except (KeyError, NumberError, TypeError, ValueError):
        return None


def same_inputs(stored, canonical: dict) -> bool:
    """Whether stored verified inputs are the canonical ones (90,5 and "90.50" are equal)."""
    key = _value_key(stored)
    return key is not None and key == _value_key(canonical)


class AssessmentState(NamedTuple):
    id: int
    unit_id: int
    state: str


class EntryState(NamedTuple):
    """What the plan needs of a stored criterion entry (read as tuples: 100 000 of them)."""

    id: int
    assessment_id: int
    criterion_code: str
    self_inputs: dict | None
    verified_inputs: dict | None
    verified_source: str
    na: bool
    discrepancy: bool


@dataclass
class RowPlan:
    """One row of the file against what is stored now."""

    value: SourceValue
    criterion: scoring.Criterion
    assessment: AssessmentState | None  # None: created on confirmation
    entry: EntryState | None  # None: created on confirmation
    self_rate: Fraction | None
    source_rate: Fraction | None
    discrepancy: bool
    value_changes: bool  # the verified value or its source changes

    @property
    def writes(self) -> bool:
        """Whether confirming changes anything stored for this row."""
        if self.entry is None or self.value_changes:
            return True
        return self.entry.discrepancy != self.discrepancy

    @property
    def finalized(self) -> bool:
        return self.assessment is not None and self.assessment.state == Assessment.State.FINALIZED


@dataclass
class Plan:
    period: Period
    label: str
    rows: list[RowPlan]
    clears: list[EntryState] = field(default_factory=list)
    # Rows that no longer fit (the unit's level changed since the upload): confirm refuses.
    stale: list[SourceValue] = field(default_factory=list)
    kept_finalized: list[EntryState] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row.value_changes)

    @property
    def discrepancies(self) -> int:
        return sum(1 for row in self.rows if row.discrepancy)

    @property
    def new_entries(self) -> int:
        return sum(1 for row in self.rows if row.entry is None)

    @property
    def na_kept(self) -> int:
        return sum(1 for row in self.rows if row.entry is not None and row.entry.na)

    @property
    def finalized_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.finalized]


def criteria_by_level(period: Period) -> dict[str, dict[str, scoring.Criterion]]:
    library = scoring_library(period.criteria_version)
    return {level.code: {c.code: c for c in level.criteria} for level in library.levels}


def make_plan(
    period: Period,
    label: str,
    values: list[SourceValue],
    *,
    previous_rows: list[tuple[int, str, dict]] = (),
    lock: bool = False,
) -> Plan:
    """Compare `values` with the stored assessments of `period`.

    `previous_rows` are (unit id, criterion code, inputs) of the applied import this one
    replaces. With `lock`, the period's assessments and the entries read are locked (call
    inside a transaction).
    """
    key = label_key(label)
    criteria = criteria_by_level(period)
    level_of = dict(Unit.objects.values_list("pk", "level__code"))
    assessments_qs = Assessment.objects.filter(period=period)
    codes = {value.criterion_code for value in values}
    codes.update(code for _, code, _ in previous_rows)
    entries_qs = CriterionEntry.objects.filter(
        assessment__period=period, criterion_code__in=sorted(codes)
    )
    if lock:  # no ordering: its joins would be outer joins, which cannot be locked
        assessments_qs = assessments_qs.order_by().select_for_update(of=("self",))
        entries_qs = entries_qs.order_by().select_for_update(of=("self",))
    assessments = {
        row[1]: AssessmentState(*row)
        for row in assessments_qs.values_list(*AssessmentState._fields)
    }
    unit_of = {a.id: a.unit_id for a in assessments.values()}
    entries = {}
    for row in entries_qs.values_list(*EntryState._fields):
        entry = EntryState(*row)
        entries[(unit_of[entry.assessment_id], entry.criterion_code)] = entry
    tolerance = period.discrepancy_tolerance

    rows, stale = [], []
    for value in values:
        criterion = criteria.get(level_of.get(value.unit_id), {}).get(value.criterion_code)
        if criterion is None:  # the unit changed level since the upload
            stale.append(value)
            continue
        entry = entries.get((value.unit_id, value.criterion_code))
        self_rate = rate_of(entry.self_inputs) if entry else None
        source_rate = rate_of(value.inputs)
        unchanged = (
            entry is not None
            and same_inputs(entry.verified_inputs, value.inputs)
            and label_key(entry.verified_source) == key
        )
        rows.append(
            RowPlan(
                value=value,
                criterion=criterion,
                assessment=assessments.get(value.unit_id),
                entry=entry,
                self_rate=self_rate,
                source_rate=source_rate,
                discrepancy=differs(self_rate, source_rate, tolerance),
                value_changes=not unchanged,
            )
        )

    plan = Plan(period=period, label=label, rows=rows, stale=stale)
    in_file = {(value.unit_id, value.criterion_code) for value in values}
    for unit_id, code, inputs in previous_rows:
        if (unit_id, code) in in_file:
            continue
        entry = entries.get((unit_id, code))
        # Only a value still as the previous import left it: a reviewer's later change stays.
        if (
            entry is None
            or label_key(entry.verified_source) != key
            or not same_inputs(entry.verified_inputs, inputs)
        ):
            continue
        if assessments[unit_id].state == Assessment.State.FINALIZED:
            plan.kept_finalized.append(entry)
        else:
            plan.clears.append(entry)
    return plan
