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

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast

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
    tolerance = Fraction(tolerance)
    return _beyond(self_rate, source_rate, tolerance.numerator, tolerance.denominator)


def _beyond(a: Fraction, b: Fraction, tolerance_num: int, tolerance_den: int) -> bool:
    """|a − b| > tolerance_num / tolerance_den, exactly, in integers: the answer Fraction
    arithmetic gives, without building three Fractions per row (a plan compares up to
    100 000). Denominators are positive, so |p/q − r/s| > t/u ⇔ |p·s − r·q|·u > t·q·s."""
    a_den, b_den = a.denominator, b.denominator
    gap = a.numerator * b_den - b.numerator * a_den
    return (gap if gap >= 0 else -gap) * tolerance_den > tolerance_num * a_den * b_den


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


# -- the same, cached: a 100 000-row plan sees a few thousand distinct values --------------
#
# Facts of one inputs value: (rate, value key). Keys are interned so that equal values
# usually share one tuple, and comparing them is an identity check, not Fractions.

Facts = tuple[Fraction | None, tuple | None]
_interned: dict[tuple, tuple] = {}
CACHE_SIZE = 65536


def _facts(inputs) -> Facts:
    key = _value_key(inputs)
    if key is not None:
        if len(_interned) >= CACHE_SIZE:
            _interned.clear()
        key = _interned.setdefault(key, key)
    return rate_of(inputs), key


@lru_cache(maxsize=CACHE_SIZE)
def _json_facts(text: str | None) -> Facts:
    """Facts of stored inputs read as JSON text (None: SQL NULL)."""
    return _facts(None if text is None else json.loads(text))


@lru_cache(maxsize=CACHE_SIZE)
def _items_facts(key: tuple) -> Facts:
    return _facts(dict(key[0]))


# Facts of the two canonical forms, {"rate": text} and {"numerator": n, "denominator": d}
# (ints, not bools), by the text or by (n, d): cheaper keys than `_items_facts` needs.
_canonical_facts: dict[str | tuple[int, int], Facts] = {}


def _canonical_key(inputs: dict) -> str | tuple[int, int] | None:
    if len(inputs) == 1:
        rate = inputs.get("rate")
        return rate if type(rate) is str else None
    if len(inputs) == 2:
        numerator, denominator = inputs.get("numerator"), inputs.get("denominator")
        if type(numerator) is int and type(denominator) is int:
            return (numerator, denominator)
    return None


def _dict_facts(inputs) -> Facts:
    """Facts of inputs given as a dict (a file's canonical values)."""
    if type(inputs) is dict:
        canonical = _canonical_key(inputs)
        if canonical is not None:
            facts = _canonical_facts.get(canonical)
            if facts is None:
                if len(_canonical_facts) >= CACHE_SIZE:
                    _canonical_facts.clear()
                facts = _canonical_facts[canonical] = _facts(inputs)
            return facts
        # The values' types belong to the key: 1, 1.0 and True are equal as keys, not as
        # inputs.
        try:
            return _items_facts((tuple(inputs.items()), tuple(map(type, inputs.values()))))
        except TypeError:  # an unhashable value: not canonical, not worth caching
            pass
    return _facts(inputs)


@lru_cache(maxsize=1024)
def _source_key(label: str) -> str:
    return label_key(label)


class AssessmentState(NamedTuple):
    id: int
    unit_id: int
    state: str


class EntryState(NamedTuple):
    """What the plan needs of a stored criterion entry (read as tuples: 100 000 of them).

    The inputs are read as JSON text and decoded only when asked for: the plan needs their
    rates and keys, which are cached by text (`_json_facts`), not 200 000 decoded dicts.
    """

    id: int
    assessment_id: int
    criterion_code: str
    self_json: str | None
    verified_json: str | None
    verified_source: str
    na: bool
    discrepancy: bool

    @property
    def self_inputs(self) -> dict | None:
        return None if self.self_json is None else json.loads(self.self_json)

    @property
    def verified_inputs(self) -> dict | None:
        return None if self.verified_json is None else json.loads(self.verified_json)


ENTRY_COLUMNS = {
    "self_json": Cast("self_inputs", TextField()),
    "verified_json": Cast("verified_inputs", TextField()),
}


@dataclass(slots=True)
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
    rows_qs = entries_qs.annotate(**ENTRY_COLUMNS).values_list(*EntryState._fields)
    for entry in map(EntryState._make, rows_qs):
        entries[(unit_of[entry.assessment_id], entry.criterion_code)] = entry
    tolerance = Fraction(period.discrepancy_tolerance)
    tolerance_num, tolerance_den = tolerance.numerator, tolerance.denominator

    rows, stale = [], []
    # The loop runs once per row of the file (100 000): names bound locally, facts cached.
    add_row, no_criteria = rows.append, {}
    criteria_get, entries_get, assessments_get = criteria.get, entries.get, assessments.get
    dict_facts, json_facts, source_key_of = _dict_facts, _json_facts, _source_key
    for value in values:
        unit_id, code = value.unit_id, value.criterion_code
        criterion = criteria_get(level_of.get(unit_id), no_criteria).get(code)
        if criterion is None:  # the unit changed level since the upload
            stale.append(value)
            continue
        entry = entries_get((unit_id, code))
        source_rate, source_key = dict_facts(value.inputs)
        if entry is None:
            self_rate, unchanged = None, False
        else:
            self_rate = json_facts(entry.self_json)[0]
            stored_key = json_facts(entry.verified_json)[1]
            unchanged = (
                stored_key is not None
                and (stored_key is source_key or stored_key == source_key)
                and source_key_of(entry.verified_source) == key
            )
        add_row(
            RowPlan(
                value,
                criterion,
                assessments_get(unit_id),
                entry,
                self_rate,
                source_rate,
                # = differs(self_rate, source_rate, tolerance)
                self_rate is not None
                and source_rate is not None
                and _beyond(self_rate, source_rate, tolerance_num, tolerance_den),
                not unchanged,
            )
        )

    plan = Plan(period=period, label=label, rows=rows, stale=stale)
    in_file = {(value.unit_id, value.criterion_code) for value in values} if previous_rows else ()
    for unit_id, code, inputs in previous_rows:
        if (unit_id, code) in in_file:
            continue
        entry = entries.get((unit_id, code))
        # Only a value still as the previous import left it: a reviewer's later change stays.
        if entry is None or _source_key(entry.verified_source) != key:
            continue
        stored_key = _json_facts(entry.verified_json)[1]
        if stored_key is None or stored_key != _dict_facts(inputs)[1]:
            continue
        if assessments[unit_id].state == Assessment.State.FINALIZED:
            plan.kept_finalized.append(entry)
        else:
            plan.clears.append(entry)
    return plan
