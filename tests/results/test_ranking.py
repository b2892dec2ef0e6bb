"""The ranking service: exact totals, shared ranks, N/A rescaling, grade bands, filters."""

from decimal import Decimal
from fractions import Fraction

import pytest

from thidua.results.models import GradeBand
from thidua.results.ranking import assign_ranks, build_ranking, grade_for
from thidua.units.models import Level, Unit, UnitKind

from .helpers import make_assessment

T03_AT_90 = {"T03": {"rate": "90"}}  # 90/95 × 4: 4/19 points lost
T03_AT_50 = {"T03": {"rate": "50"}}


def ranks(ranking):
    return {row.unit.code: row.rank for row in ranking.rows if row.assessment.pk}


@pytest.mark.django_db
def test_equal_totals_share_a_rank_and_the_next_rank_skips(units, period):
    make_assessment(period, "SO-NV")  # 100
    make_assessment(period, "SO-YT", overrides=T03_AT_90)
    make_assessment(period, "SO-TTTT", overrides=T03_AT_90)
    make_assessment(period, "VP-UBND", overrides=T03_AT_50)

    ranking = build_ranking(period, Level.objects.get(code="tinh"))

    assert ranks(ranking) == {"SO-NV": 1, "SO-YT": 2, "SO-TTTT": 2, "VP-UBND": 4}
    by_code = {row.unit.code: row for row in ranking.rows}
    assert by_code["SO-NV"].total == 100
    assert by_code["SO-YT"].total == 100 - Fraction(4, 19)
    assert ranking.fmt(by_code["SO-YT"].total) == "99,79"
    assert [row.unit.code for row in ranking.rows[:4]] == ["SO-NV", "SO-TTTT", "SO-YT", "VP-UBND"]


@pytest.mark.django_db
def test_a_not_applicable_criterion_is_rescaled_out_of_the_total(units, period):
    # T15 (4 points) N/A: earned on the 96 applicable points × 100 / 96 (policy "rescale").
    make_assessment(period, "TW-CA", overrides=T03_AT_90, na={"T15": "Không có HTTT"})
    make_assessment(period, "SO-YT", overrides=T03_AT_90)

    ranking = build_ranking(period, Level.objects.get(code="tinh"))
    by_code = {row.unit.code: row for row in ranking.rows}

    assert period.criteria_version.na_policy == "rescale"
    assert by_code["TW-CA"].total == (96 - Fraction(4, 19)) * 100 / 96
    assert ranking.fmt(by_code["TW-CA"].total) == "99,78"
    assert by_code["TW-CA"].criterion_score("T15") is None
    assert by_code["TW-CA"].complete
    # 99,78 (rescaled) is below 99,79: the N/A unit is ranked second.
    assert ranks(ranking) == {"SO-YT": 1, "TW-CA": 2}


@pytest.mark.django_db
def test_an_untouched_unit_counts_0_and_ranks_last(units, period):
    make_assessment(period, "SO-NV", skip=("T03",))
    ranking = build_ranking(period, Level.objects.get(code="tinh"))
    first = ranking.rows[0]
    assert first.unit.code == "SO-NV"
    assert first.total == 96
    assert not first.complete
    assert {row.rank for row in ranking.rows[1:]} == {2}


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (Fraction(100), "Xuất sắc"),
        (Fraction(90), "Xuất sắc"),
        (Fraction(8999, 100), "Tốt"),
        (Fraction(89999, 1000), "Tốt"),
        (Fraction(80), "Tốt"),
        (Fraction(7999, 100), "Khá"),
        (Fraction(65), "Khá"),
        (Fraction(6499, 100), "Trung bình"),
        (Fraction(50), "Trung bình"),
        (Fraction(4999, 100), None),
        (Fraction(0), None),
    ],
)
def test_grade_bands_include_their_lower_bound(total, grade):
    bands = [
        GradeBand(name=name, min_total=Decimal(low))
        for name, low in [("Trung bình", 50), ("Xuất sắc", 90), ("Khá", 65), ("Tốt", 80)]
    ]
    found = grade_for(total, bands)
    assert (found.name if found else None) == grade


@pytest.mark.django_db
def test_the_ranking_grades_each_unit_on_its_exact_total(units, period, bands):
    make_assessment(period, "SO-NV", overrides={"T04": {"rate": "0"}})  # exactly 90
    make_assessment(period, "SO-YT", overrides={"T04": {"rate": "0"}, **T03_AT_90})  # 89,79
    ranking = build_ranking(period, Level.objects.get(code="tinh"))
    by_code = {row.unit.code: row for row in ranking.rows}
    assert by_code["SO-NV"].total == 90
    assert by_code["SO-NV"].grade.name == "Xuất sắc"
    assert by_code["SO-YT"].grade.name == "Tốt"


@pytest.mark.django_db
def test_a_ranking_per_unit_kind_ranks_within_the_kind(units, period):
    make_assessment(period, "TW-CA", overrides=T03_AT_50)
    make_assessment(period, "SO-NV")
    tinh = Level.objects.get(code="tinh")
    central = UnitKind.objects.get(level=tinh, code="co_quan_trung_uong")
    ranking = build_ranking(period, tinh, kind=central)
    assert {row.unit.kind_id for row in ranking.rows} == {central.pk}
    assert ranks(ranking) == {"TW-CA": 1}


@pytest.mark.django_db
def test_a_ranking_per_district_lists_its_communes_only(units, period):
    make_assessment(period, "31498")
    make_assessment(period, "31528")  # Kế Sách (943)
    ranking = build_ranking(
        period, Level.objects.get(code="xa"), district=Unit.objects.get(code="941")
    )
    assert {row.unit.parent.code for row in ranking.rows} == {"941"}
    assert ranks(ranking) == {"31498": 1}


@pytest.mark.django_db
def test_the_ranking_is_built_in_a_fixed_number_of_queries(
    units, period, django_assert_max_num_queries
):
    for code in ("SO-NV", "SO-YT", "SO-TTTT", "VP-UBND", "TW-CA"):
        make_assessment(period, code)
    tinh = Level.objects.get(code="tinh")
    build_ranking(period, tinh)  # warm the library cache
    with django_assert_max_num_queries(6):
        ranking = build_ranking(period, tinh)
        for row in ranking.rows:
            str(row.unit.parent), row.unit.kind.name, row.total, row.grade
    assert len(ranking.rows) > 30


def test_assign_ranks_on_plain_rows():
    class Row:
        def __init__(self, total):
            self.total, self.rank = total, 0

    rows = [Row(Fraction(x)) for x in (70, 90, 80, 80, 90, 10)]
    assign_ranks(rows)
    assert [row.rank for row in rows] == [5, 1, 3, 3, 1, 6]  # 90 90 80 80 70 10
