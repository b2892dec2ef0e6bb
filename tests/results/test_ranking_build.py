"""How `build_ranking` reads thousands of rows cheaply without changing a result: ranks on
floats first but exact within equal floats, sheets decoded from the stored text when asked,
grades walked down the ranked rows, units and assessments as the ORM loads them, the
garbage collector paused while building."""

import gc
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db.models.signals import post_init

from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import (
    SheetReader,
    StoredTotal,
    recompute_scores,
    stored_text,
)
from thidua.collector import collector_paused
from thidua.results.models import GradeBand
from thidua.results.ranking import build_ranking, exact_ranks, grade_for
from thidua.units.models import Level, Unit

from .helpers import make_assessment

THIRD = Fraction(1, 3)
# A hair above a third: the same float, a different exact number.
ABOVE_THIRD = THIRD + Fraction(1, 10**30)
WARDS = ("31498", "31501", "31504", "31507", "31510", "31528")


def test_totals_with_the_same_float_are_still_ranked_exactly():
    assert float(THIRD) == float(ABOVE_THIRD)
    totals = [THIRD, ABOVE_THIRD, Fraction(1, 2), THIRD, Fraction(0), ABOVE_THIRD]
    assert exact_ranks(totals) == [4, 2, 1, 4, 6, 2]


def test_exact_ranks_take_fractions_decimals_and_ints_alike():
    totals = [Decimal("0.5"), Fraction(1, 2), 1, Fraction(3, 2), Decimal("0.4999")]
    assert exact_ranks(totals) == [3, 3, 2, 1, 5]
    assert exact_ranks([]) == []


def stored_final(assessment, total: Fraction) -> None:
    """Put `total` in the stored scores behind the inputs' back (the key stays current)."""
    cache = Assessment.objects.get(pk=assessment.pk).score_cache
    cache["final"][:2] = [total.numerator, total.denominator]
    Assessment.objects.filter(pk=assessment.pk).update(score_cache=cache)


@pytest.mark.django_db
def test_the_ranking_ties_stored_totals_only_when_they_are_exactly_equal(units, period):
    made = [make_assessment(period, code) for code in WARDS[:4]]
    recompute_scores(period=period)
    for assessment, total in zip(made, [THIRD, ABOVE_THIRD, THIRD, Fraction(1, 2)], strict=True):
        stored_final(assessment, total)

    ranking = build_ranking(period, Level.objects.get(code="xa"))

    ranks = {row.unit.code: (row.rank, row.total) for row in ranking.rows if row.assessment.pk}
    assert ranks == {
        "31498": (3, THIRD),
        "31501": (2, ABOVE_THIRD),
        "31504": (3, THIRD),
        "31507": (1, Fraction(1, 2)),
    }
    # Highest first; equal ranks by unit code.
    assert [row.unit.code for row in ranking.rows[:4]] == ["31507", "31501", "31498", "31504"]


@pytest.mark.django_db
def test_sheets_decoded_from_the_stored_text_read_as_the_stored_cache(units, period):
    made = [
        make_assessment(period, "31498", overrides={"X03": {"rate": "55"}}, na={"X05": "Không"}),
        make_assessment(period, "31501", skip=("X03", "X07")),
        make_assessment(period, "31504"),
    ]
    recompute_scores(period=period)
    reader = SheetReader(period)
    loaded = list(
        Assessment.objects.filter(pk__in=[a.pk for a in made])
        .select_related("unit__level")
        .defer("score_cache")
        .annotate(**stored_text())
        .order_by("unit__code")
    )
    from_text = reader.sheets(loaded)
    from_cache = reader.sheets(
        list(
            Assessment.objects.filter(pk__in=[a.pk for a in made])
            .select_related("unit__level")
            .order_by("unit__code")
        )
    )

    def seen(sheet, first):
        # What a reader sees, asking for one part first (the text is decoded then).
        order = {"rows": ("rows", "self", "filled"), "self": ("self", "filled", "rows")}[first]
        parts = {}
        for part in order:
            if part == "rows":
                parts[part] = [
                    (
                        r.criterion.code,
                        r.final_result.status,
                        r.final_result.score,
                        r.final_result.max,
                    )
                    for r in sheet.rows
                ]
            elif part == "self":
                parts[part] = sheet.self_total
            else:
                parts[part] = sheet.filled_count
        return sheet.final_total, parts

    assert [s._text is not None for s in from_text] == [True, True, True]
    expected = [seen(sheet, "rows") for sheet in from_cache]
    assert [seen(from_text[0], "rows"), seen(from_text[1], "self"), seen(from_text[2], "self")] == (
        expected
    )
    statuses = {r.criterion.code: r.final_result.status for r in from_text[1].rows}
    assert statuses["X03"] == statuses["X07"] == "not_scored"
    assert {r.criterion.code: r.final_result.status for r in from_text[0].rows}["X05"] == "na"
    assert from_text[1].filled_count == len(from_text[1].rows) - 2


@pytest.mark.django_db
def test_the_rows_of_equal_cells_are_shared_and_read_only(units, period):
    made = [make_assessment(period, code) for code in WARDS[:2]]
    recompute_scores(period=period)
    sheets = SheetReader(period).sheets(
        list(Assessment.objects.filter(pk__in=[a.pk for a in made]).select_related("unit__level"))
    )
    assert all(a is b for a, b in zip(sheets[0].rows, sheets[1].rows, strict=True))
    total = sheets[0].final_total
    with pytest.raises(AttributeError):
        total.total = Fraction(0)
    assert total == StoredTotal(Assessment.objects.get(pk=made[0].pk).score_cache["final"])
    assert hash(total) == hash(sheets[1].final_total)
    assert repr(total).startswith("StoredTotal(total=Fraction(100, 1)")


@pytest.mark.django_db
def test_grades_follow_each_exact_total_across_ties_and_bounds(units, period):
    made = [make_assessment(period, code) for code in WARDS]
    recompute_scores(period=period)
    totals = [Fraction(90), Fraction(90), Fraction(8999, 100), Fraction(80), Fraction(50), THIRD]
    for assessment, total in zip(made, totals, strict=True):
        stored_final(assessment, total)
    for name, low in (("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65)):
        GradeBand.objects.create(period=period, name=name, min_total=low)
    bands = list(period.grade_bands.all())

    ranking = build_ranking(period, Level.objects.get(code="xa"))

    grades = {row.unit.code: row.grade.name if row.grade else None for row in ranking.rows}
    assert [grades[code] for code in WARDS] == ["Xuất sắc", "Xuất sắc", "Tốt", "Tốt", None, None]
    for row in ranking.rows:
        assert row.grade == grade_for(row.total, bands)


@pytest.mark.django_db
def test_a_ranking_without_grade_bands_grades_nobody(units, period):
    make_assessment(period, "31498")
    recompute_scores(period=period)
    ranking = build_ranking(period, Level.objects.get(code="xa"))
    assert {row.grade for row in ranking.rows} == {None}


def concrete(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.django_db
def test_rows_hold_units_and_assessments_as_the_orm_loads_them(units, period):
    make_assessment(period, "31498", state="submitted")
    recompute_scores(period=period)
    ranking = build_ranking(period, Level.objects.get(code="xa"))
    by_code = {row.unit.code: row for row in ranking.rows}
    assert len(by_code) > 5

    for row in ranking.rows:
        assert type(row.unit) is Unit and not row.unit._state.adding
        assert concrete(row.unit) == concrete(Unit.objects.get(pk=row.unit.pk))
    row = by_code["31498"]
    assessment = row.assessment
    assert assessment._state.db == "default" and not assessment._state.adding
    assert assessment.get_deferred_fields() >= {"uuid", "score_cache", "final_total"}
    # Deferred fields load on use, and a save writes the loaded fields only.
    assert concrete(assessment) == concrete(Assessment.objects.get(pk=assessment.pk))
    assessment.state = Assessment.State.VERIFIED
    assessment.save()
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.state == Assessment.State.VERIFIED
    assert saved.score_cache["final"][:2] == [row.total.numerator, row.total.denominator]


@pytest.mark.django_db
def test_a_model_with_init_receivers_is_loaded_by_the_orm(units, period):
    make_assessment(period, "31498")
    recompute_scores(period=period)
    seen = []

    def count(sender, instance, **kwargs):
        seen.append(instance)

    expected = [(row.unit.code, row.rank, row.total) for row in build_ranking(period, xa()).rows]
    post_init.connect(count, sender=Unit)
    try:
        ranking = build_ranking(period, xa())
    finally:
        post_init.disconnect(count, sender=Unit)
    assert [(row.unit.code, row.rank, row.total) for row in ranking.rows] == expected
    assert {unit.pk for unit in seen} >= {row.unit.pk for row in ranking.rows}


def xa() -> Level:
    return Level.objects.get(code="xa")


def test_a_pause_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
