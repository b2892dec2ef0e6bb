"""Stored scores: each assessment keeps its computed totals so rankings need not rescore.

The inputs stay the truth. `score_sheet` computes from them; what it found is kept on the
assessment (`score_cache`, exact fractions as [numerator, denominator]; `final_total` and
`self_total` as Decimals for queries) together with `score_key`, a fingerprint of what else
the scores depend on (criteria version, the period's due dates, the unit's level).

- The services that change inputs (`save_self_inputs`, the appraisal decisions) call
  `refresh_scores` in their own transaction — explicitly, not through a signal.
- Readers (`stored_sheet`) use the stored values only while `score_key` matches; otherwise
  they score the inputs themselves, so a stale cache is slow, never wrong.
- `recompute_scores` (also `manage.py recompute_scores`) rebuilds every stored value from
  the inputs; running it twice writes the same values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cached_property, lru_cache

from django.db import transaction
from django.db.models import TextField, prefetch_related_objects
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from thidua import scoring
from thidua.assessments.models import STORED_SCORE_FIELDS, Assessment
from thidua.assessments.scores import ScoreSheet, library_level, score_sheet
from thidua.criteria.models import CriteriaSetVersion
from thidua.criteria.services import scoring_library, version_to_dict
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion

TOTAL_PLACES = Decimal(10) ** -30  # the Decimal columns' places: rounding keeps the order


# -- what the stored values depend on besides the entries ------------------------------


@lru_cache(maxsize=64)
def _published_digest(version_pk: int) -> str:
    return f"v{version_pk}"


def version_digest(version: CriteriaSetVersion) -> str:
    # A published version is immutable; a draft can change under the period, so its whole
    # content is part of the key.
    if version.status == CriteriaSetVersion.Status.PUBLISHED:
        return _published_digest(version.pk)
    content = json.dumps(version_to_dict(version), sort_keys=True, default=str)
    return "d" + hashlib.sha256(content.encode()).hexdigest()[:16]


def period_key(period: Period, due: dict) -> str:
    """The fingerprint of a period's scoring context (without the unit's level)."""
    dates = sorted(
        (code, deliverable, day.isoformat())
        for code, by_deliverable in due.items()
        for deliverable, day in by_deliverable.items()
        if day is not None
    )
    digest = hashlib.sha256(json.dumps(dates).encode()).hexdigest()[:16]
    return f"{version_digest(period.criteria_version)}:{digest}"


def score_key(period_fingerprint: str, level_code: str) -> str:
    return f"{period_fingerprint}:{level_code}"


# -- writing ---------------------------------------------------------------------------


def _pair(value: Fraction) -> list[int]:
    return [value.numerator, value.denominator]


def _total(result: scoring.LevelResult) -> list:
    return [
        *_pair(result.total),
        *_pair(result.earned),
        *_pair(result.applicable_max),
        result.complete,
    ]


def _cell(result: scoring.CriterionResult) -> list:
    return [result.status] if result.score is None else [result.status, *_pair(result.score)]


def as_decimal(value: Fraction) -> Decimal:
    with localcontext(prec=60):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            TOTAL_PLACES, rounding=ROUND_HALF_UP
        )


def cached_values(sheet: ScoreSheet, key: str) -> dict:
    """The stored fields of an assessment whose score sheet is `sheet`."""
    return {
        "score_key": key,
        "score_cache": {
            "self": _total(sheet.self_total),
            "final": _total(sheet.final_total),
            "filled": sheet.filled_count,
            "cells": {row.criterion.code: _cell(row.final_result) for row in sheet.rows},
        },
        "self_total": as_decimal(sheet.self_total.total),
        "final_total": as_decimal(sheet.final_total.total),
        # Cached ranking pages are keyed on the latest of these (thidua.results.page_cache).
        "scores_changed_at": timezone.now(),
    }


def key_for(assessment: Assessment, due: dict | None = None) -> str:
    period = assessment.period
    if due is None:
        due = due_dates_by_criterion(period)
    return score_key(period_key(period, due), assessment.unit.level.code)


def refresh_scores(assessment: Assessment) -> None:
    """Store the assessment's scores as its inputs give them now (call inside the service's
    transaction, after the inputs are written)."""
    fresh = Assessment.objects.select_related("period__criteria_version", "unit__level").get(
        pk=assessment.pk
    )
    due = due_dates_by_criterion(fresh.period)
    values = cached_values(score_sheet(fresh, due=due), key_for(fresh, due))
    Assessment.objects.filter(pk=fresh.pk).update(**values)
    for field, value in values.items():
        setattr(assessment, field, value)


def mark_stale(assessment_ids: Iterable[int]) -> int:
    """For writers that change entries in bulk (a source-data import): one UPDATE that makes
    readers score those assessments from their inputs until `recompute_scores` runs."""
    return Assessment.objects.filter(pk__in=list(assessment_ids)).update(
        score_key="", scores_changed_at=timezone.now()
    )


def loaded_batches(
    *, period: Period | None = None, assessment_ids: Iterable[int] | None = None, batch: int = 500
) -> Iterator[list[Assessment]]:
    """The assessments to recompute, in batches, each with its entries prefetched."""
    assessments = Assessment.objects.all()
    if period is not None:
        assessments = assessments.filter(period=period)
    if assessment_ids is not None:
        assessments = assessments.filter(pk__in=list(assessment_ids))
    ids = list(assessments.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        yield list(
            Assessment.objects.filter(pk__in=ids[start : start + batch])
            .select_related("period__criteria_version", "unit__level")
            .prefetch_related("entries")
            .order_by("pk")
        )


def recompute_scores(
    *, period: Period | None = None, assessment_ids: Iterable[int] | None = None, batch: int = 500
) -> int:
    """Rebuild the stored scores of every assessment (of `period`, or of `assessment_ids`)
    from the inputs; returns how many were written. Idempotent."""
    contexts: dict[int, tuple[Period, dict, str]] = {}
    written = 0
    for chunk in loaded_batches(period=period, assessment_ids=assessment_ids, batch=batch):
        for assessment in chunk:
            if assessment.period_id not in contexts:
                due = due_dates_by_criterion(assessment.period)
                contexts[assessment.period_id] = (
                    assessment.period,
                    due,
                    period_key(assessment.period, due),
                )
            shared_period, due, fingerprint = contexts[assessment.period_id]
            assessment.period = shared_period
            sheet = score_sheet(assessment, due=due)
            values = cached_values(sheet, score_key(fingerprint, assessment.unit.level.code))
            for field, value in values.items():
                setattr(assessment, field, value)
        with transaction.atomic():
            Assessment.objects.bulk_update(chunk, STORED_SCORE_FIELDS)
        written += len(chunk)
    return written


# -- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredResult:
    """The part of a `scoring.CriterionResult` that rankings and exports show."""

    code: str
    status: str
    score: Fraction | None
    max: Fraction


@dataclass(frozen=True)
class StoredRow:
    criterion: scoring.Criterion
    final_result: StoredResult


class StoredTotal:
    """A stored `scoring.LevelResult` total, read-only. `total` is an exact fraction at once
    (every ranking row needs it); `earned` and `applicable_max` become fractions when asked."""

    __slots__ = ("_applicable_max", "_complete", "_earned", "_rest", "_total")

    def __init__(self, values: list):
        total_n, total_d, *rest, complete = values
        self._total = Fraction(total_n, total_d)
        self._complete = complete
        self._rest = tuple(rest)
        self._earned = self._applicable_max = None

    @property
    def total(self) -> Fraction:
        return self._total

    @property
    def complete(self) -> bool:
        return self._complete

    @property
    def earned(self) -> Fraction:
        if self._earned is None:
            self._earned = Fraction(self._rest[0], self._rest[1])
        return self._earned

    @property
    def applicable_max(self) -> Fraction:
        if self._applicable_max is None:
            self._applicable_max = Fraction(self._rest[2], self._rest[3])
        return self._applicable_max

    def _fields(self) -> tuple:
        return (self.total, self.earned, self.applicable_max, self.complete)

    def __eq__(self, other) -> bool:
        if not isinstance(other, StoredTotal):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        total, earned, applicable_max, complete = self._fields()
        return (
            f"StoredTotal(total={total!r}, earned={earned!r}, "
            f"applicable_max={applicable_max!r}, complete={complete!r})"
        )


NOT_SCORED_CELL = ("not_scored",)
# The database's JSON text, as it gives it: no surrounding whitespace to skip.
_decode = json.JSONDecoder().raw_decode


class _CriterionRows:
    """The stored rows of one criterion, one per distinct stored cell: thousands of sheets
    share a few values per criterion, each parsed once and shared (rows are immutable)."""

    __slots__ = ("code", "criterion", "known")
    # Distinct cells kept per criterion (a ratio criterion of 9,000 communes has ~950);
    # more are parsed each time.
    LIMIT = 1024

    def __init__(self, criterion: scoring.Criterion):
        self.code = criterion.code
        self.criterion = criterion
        self.known: dict[tuple, StoredRow] = {}

    def row(self, cell: tuple) -> StoredRow:
        score = Fraction(cell[1], cell[2]) if len(cell) == 3 else None
        result = StoredResult(self.code, cell[0], score, self.criterion.points)
        row = StoredRow(self.criterion, result)
        if len(self.known) < self.LIMIT:
            self.known[cell] = row
        return row


@lru_cache(maxsize=8)
def _level_rows(level: scoring.Level) -> list[tuple[str, dict, _CriterionRows]]:
    # Levels are immutable and compared by identity (one object per loaded library).
    rows = [_CriterionRows(criterion) for criterion in level.criteria]
    return [(criterion_rows.code, criterion_rows.known, criterion_rows) for criterion_rows in rows]


def _read_rows(level: scoring.Level, cells: dict) -> list[StoredRow]:
    rows = []
    for code, known, criterion_rows in _level_rows(level):
        cell = tuple(cells.get(code) or NOT_SCORED_CELL)
        rows.append(known.get(cell) or criterion_rows.row(cell))
    return rows


class StoredSheet:
    """Looks like a `ScoreSheet` to rankings, lists and exports: totals and final results
    per criterion, read from the stored cache (criterion rows parsed only when asked).

    `cache` is the decoded `score_cache`; `from_text` makes a sheet from the text of it
    (see `stored_text`), decoded when more than the final total is asked."""

    def __init__(self, assessment, level: scoring.Level, decimals: int, cache: dict):
        self._start(assessment, level, decimals, cache["final"])
        self._cache = cache

    @classmethod
    def from_text(
        cls, assessment, level: scoring.Level, decimals: int, final: list, text: str
    ) -> StoredSheet:
        """`final`: the decoded final total; `text`: the whole `score_cache` as JSON."""
        sheet = cls.__new__(cls)
        sheet._start(assessment, level, decimals, final)
        sheet._text = text
        return sheet

    def _start(self, assessment, level: scoring.Level, decimals: int, final: list) -> None:
        self.assessment = assessment
        self.level = level
        self.decimals = decimals
        self.final_total = StoredTotal(final)
        self._cache = self._text = self._rows = None

    def _stored(self) -> dict:
        if self._cache is None:
            # Decoded once, whatever is asked first. Thousands of sheets: the criterion rows
            # are made now, and only they and the small parts are kept.
            cache = _decode(self._text)[0]
            self._rows = _read_rows(self.level, cache["cells"])
            self._cache = {"self": tuple(cache["self"]), "filled": cache["filled"]}
            self._text = None
        return self._cache

    @cached_property
    def self_total(self) -> StoredTotal:
        return StoredTotal(self._stored()["self"])

    @property
    def filled_count(self) -> int:
        return self._stored()["filled"]

    @property
    def rows(self) -> list[StoredRow]:
        if self._rows is None:
            stored = self._stored()
            if self._rows is None:
                self._rows = _read_rows(self.level, stored["cells"])
        return self._rows

    def fmt(self, value: Fraction | None) -> str:
        return "—" if value is None else scoring.format_vi(value, self.decimals)


def stored_text() -> dict:
    """Annotations loading an assessment's stored scores as text, for `SheetReader.sheets`:
    thousands of rows decode faster so (only the final totals at once, the rest per sheet
    when asked). Use with `.defer("score_cache")`."""
    return {
        "stored_final": KT("score_cache__final"),
        "stored_text": Cast("score_cache", TextField()),
    }


class SheetReader:
    """Stored sheets of many assessments of one period: the fingerprint and due dates are
    read once; assessments whose stored values are stale are scored from their inputs."""

    def __init__(self, period: Period):
        self.period = period
        self.due = due_dates_by_criterion(period)
        self.fingerprint = period_key(period, self.due)
        self.library = scoring_library(period.criteria_version)
        self.decimals = self.library.meta.display_decimals
        self._levels: dict[str, scoring.Level] = {}

    def level(self, code: str) -> scoring.Level:
        if code not in self._levels:
            self._levels[code] = library_level(self.library, code)
        return self._levels[code]

    def sheets(self, assessments: list[Assessment]) -> list[StoredSheet]:
        """One stored sheet per assessment, in order (each with .period and .unit set).

        A saved assessment is read from its `score_cache`, or from the `stored_text`
        annotations when it was loaded with them (a ranking's thousands of rows)."""
        keys: dict[str, str] = {}
        plan = []  # per assessment: its level code, and decode its text, read its cache or score
        for assessment in assessments:
            code = assessment.unit.level.code
            if code not in keys:
                keys[code] = score_key(self.fingerprint, code)
            if not assessment.pk or assessment.score_key != keys[code]:
                plan.append((assessment, code, _SCORE))
            elif getattr(assessment, "stored_text", None) is not None:
                plan.append((assessment, code, _TEXT))
            else:
                plan.append((assessment, code, _CACHE))
        outdated = [a for a, _, way in plan if way is _SCORE and a.pk]
        if outdated:
            prefetch_related_objects(outdated, "entries")
        # The final totals of all the sheets in one JSON array: one decoder call.
        texts = [a.stored_final for a, _, way in plan if way is _TEXT]
        finals = iter(json.loads("[" + ",".join(texts) + "]"))
        result = []
        for assessment, code, way in plan:
            level = self.level(code)
            if way is _TEXT:
                final, text = next(finals), assessment.stored_text
                sheet = StoredSheet.from_text(assessment, level, self.decimals, final, text)
            elif way is _CACHE:
                sheet = StoredSheet(assessment, level, self.decimals, assessment.score_cache)
            else:
                # Never stored, or stored under other due dates or criteria: score now.
                cache = cached_values(score_sheet(assessment, due=self.due), keys[code])
                sheet = StoredSheet(assessment, level, self.decimals, cache["score_cache"])
            result.append(sheet)
        return result


_TEXT, _CACHE, _SCORE = "text", "cache", "score"
