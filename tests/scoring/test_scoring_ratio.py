from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import assert_explanation_matches, make_criterion

from thidua.scoring import CriterionResult, InputError, decimal_str, score_criterion

T03 = make_criterion("ratio", {"target": 95}, points=4, code="T03")
T05 = make_criterion("ratio", {"target": 100}, points=10, code="T05")
T14 = make_criterion("threshold", {"threshold": 50}, points=5, code="T14")
X11 = make_criterion("threshold", {"threshold": 100}, points=8, code="X11")


def test_the_decisions_worked_example():
    result = score_criterion(T03, {"rate": "90"}, decimals=2)
    assert result.score == Fraction(72, 19)
    assert result.display(2) == "3,79"
    assert result.display(1) == "3,8"
    assert result.explanation == "90/95 × 4 = 3,79"
    assert score_criterion(T03, {"rate": "90"}, decimals=1).explanation == "90/95 × 4 = 3,8"
    assert decimal_str(result.score) == "3.789474"


@pytest.mark.parametrize(
    ("criterion", "given", "score", "explanation"),
    [
        (T03, {"rate": "95"}, 4, "95% ≥ 95% → điểm chuẩn 4"),
        (T03, {"rate": "100"}, 4, "100% ≥ 95% → điểm chuẩn 4"),
        (T03, {"rate": "96,5"}, 4, "96,5% ≥ 95% → điểm chuẩn 4"),
        (T03, {"rate": "94.9"}, Fraction(3796, 950), "94,9/95 × 4 = 4"),
        (T03, {"rate": 0}, 0, "0/95 × 4 = 0"),
        (T03, {"rate": Decimal("47.5")}, 2, "47,5/95 × 4 = 2"),
        (T03, {"numerator": 3, "denominator": 4}, Fraction(60, 19), "3/4 = 75%; 75/95 × 4 = 3,16"),
        (
            T03,
            {"numerator": "1", "denominator": "3"},
            Fraction(80, 57),
            "1/3 ≈ 33,33%; (1/3 × 100)/95 × 4 = 1,4",
        ),
        (T03, {"numerator": 19, "denominator": 20}, 4, "19/20 = 95% ≥ 95% → điểm chuẩn 4"),
        (T05, {"rate": "75"}, Fraction(15, 2), "75/100 × 10 = 7,5"),
        (T05, {"numerator": 3, "denominator": 4}, Fraction(15, 2), "3/4 = 75%; 75/100 × 10 = 7,5"),
        (T05, {"numerator": 0, "denominator": 7}, 0, "0/7 = 0%; 0/100 × 10 = 0"),
        (T05, {"rate": 100}, 10, "100% ≥ 100% → điểm chuẩn 10"),
        (T14, {"rate": "50"}, 5, "50% ≥ 50% → điểm chuẩn 5"),
        (T14, {"rate": "49,99"}, 0, "49,99% < 50% → 0"),
        (T14, {"numerator": 1, "denominator": 2}, 5, "1/2 = 50% ≥ 50% → điểm chuẩn 5"),
        (X11, {"numerator": 12, "denominator": 12}, 8, "12/12 = 100% ≥ 100% → điểm chuẩn 8"),
        (X11, {"numerator": 11, "denominator": 12}, 0, "11/12 ≈ 91,67% < 100% → 0"),
    ],
)
def test_rate_scores(criterion, given, score, explanation):
    result = score_criterion(criterion, given)
    assert (result.status, result.score, result.explanation) == ("scored", score, explanation)
    assert_explanation_matches(result)


@pytest.mark.parametrize("criterion", [T03, T14])
def test_a_zero_denominator_asks_for_na(criterion):
    result = score_criterion(criterion, {"numerator": 0, "denominator": 0})
    assert result.status == "needs_na"
    assert result.score is None
    assert result.explanation == "Mẫu số bằng 0: đề nghị thẩm định đánh dấu Không áp dụng (N/A)"


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"rate": "120"}, "rate", "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 120)"),
        ({"rate": "-1"}, "rate", "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được -1)"),
        ({"rate": "100,01"}, "rate", "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 100,01)"),
        ({"rate": "abc"}, "rate", "Tỷ lệ phải là số, ví dụ 90 hoặc 90,5 (nhận được 'abc')"),
        ({"rate": True}, "rate", "Tỷ lệ phải là số (nhận được True)"),
        (
            {"rate": "90", "numerator": 1},
            "rate",
            "Chỉ nhập tỷ lệ hoặc tử số/mẫu số, không nhập cả hai",
        ),
        ({"numerator": 3}, "denominator", "Thiếu mẫu số"),
        ({"denominator": 3}, "numerator", "Thiếu tử số"),
        (
            {"numerator": -1, "denominator": 3},
            "numerator",
            "Tử số phải là số nguyên không âm (nhận được -1)",
        ),
        (
            {"numerator": 1, "denominator": -3},
            "denominator",
            "Mẫu số phải là số nguyên không âm (nhận được -3)",
        ),
        (
            {"numerator": "1,5", "denominator": 3},
            "numerator",
            "Tử số phải là số nguyên (nhận được 1,5)",
        ),
        (
            {"numerator": 4, "denominator": 3},
            "numerator",
            "Tử số không được lớn hơn mẫu số (4 > 3)",
        ),
        (
            {"numerator": 1, "denominator": 0},
            "numerator",
            "Tử số không được lớn hơn mẫu số (1 > 0)",
        ),
        (
            {"percent": 90},
            "percent",
            "Trường không hợp lệ (chỉ dùng: rate, numerator, denominator)",
        ),
    ],
)
@pytest.mark.parametrize("criterion", [T03, T14])
def test_invalid_rates_are_rejected(criterion, given, field, message):
    with pytest.raises(InputError) as info:
        score_criterion(criterion, given)
    assert (info.value.criterion, info.value.field, info.value.message) == (
        criterion.code,
        field,
        message,
    )


def test_the_error_names_criterion_and_field():
    with pytest.raises(InputError) as info:
        score_criterion(T03, {"rate": "120"})
    assert str(info.value) == "T03 › rate: Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 120)"


@pytest.mark.parametrize("given", [None, {}, {"rate": None}, {"rate": ""}, {"rate": "  "}])
def test_nothing_entered_is_not_scored(given):
    result = score_criterion(T03, given)
    assert (result.status, result.score) == ("not_scored", None)
    assert result.explanation == "Chưa chấm: chưa nhập số liệu"


def test_blank_rate_with_counts_uses_the_counts():
    assert score_criterion(T03, {"rate": None, "numerator": 19, "denominator": 20}).score == 4


def test_validate_inputs_normalises():
    assert T03.rule.validate_inputs({"rate": "90,5"}) == {"rate": Fraction(181, 2)}
    assert T03.rule.validate_inputs({"numerator": "3", "denominator": 4.0}) == {
        "numerator": 3,
        "denominator": 4,
    }


def test_rate_input_fields():
    fields = T03.rule.input_fields()
    assert [(f.name, f.type, f.required, f.min, f.max) for f in fields] == [
        ("rate", "percent", False, 0, 100),
        ("numerator", "integer", False, 0, None),
        ("denominator", "integer", False, 0, None),
    ]


def test_count_labels_can_be_named_by_the_library():
    criterion = make_criterion(
        "threshold",
        {"threshold": 100, "numerator_label": "Số tổ hoạt động", "denominator_label": "Tổng số tổ"},
    )
    assert [f.label for f in criterion.rule.input_fields()][1:] == ["Số tổ hoạt động", "Tổng số tổ"]


rates = st.integers(0, 10000).map(lambda n: Fraction(n, 100))
targets = st.sampled_from([30, 50, 60, 80, 90, 95, 100, "62.5"])
points = st.sampled_from([1, 4, 5, 6, 10, "2.5"])


@given(rates, rates, targets, points, st.sampled_from(["ratio", "threshold"]), st.integers(0, 3))
def test_a_higher_rate_never_lowers_the_score(rate1, rate2, target, p, kind, decimals):
    key = "target" if kind == "ratio" else "threshold"
    criterion = make_criterion(kind, {key: target}, points=p)
    low, high = sorted([rate1, rate2])
    r_low = score_criterion(criterion, {"rate": decimal_str(low, 2)}, decimals=decimals)
    r_high = score_criterion(criterion, {"rate": decimal_str(high, 2)}, decimals=decimals)
    assert 0 <= r_low.score <= r_high.score <= criterion.points
    for result in (r_low, r_high):
        value = assert_explanation_matches(result, decimals)
        if kind == "ratio" and result.score < criterion.points:
            assert value == result.score  # the arithmetic is exact, not just rounded alike


@given(st.integers(1, 300), st.data(), targets, points)
def test_counts_score_like_the_rate_they_make(denominator, data, target, p):
    numerator = data.draw(st.integers(0, denominator))
    criterion = make_criterion("ratio", {"target": target}, points=p)
    by_counts = score_criterion(criterion, {"numerator": numerator, "denominator": denominator})
    rate = Fraction(numerator * 100, denominator)
    expected = min(criterion.points, rate / criterion.rule.target * criterion.points)
    assert by_counts.score == expected
    assert_explanation_matches(by_counts)


@pytest.mark.parametrize(
    "explanation",
    ["90/95 × 5 = 3,79", "90/95 × 4 = 3,8", "90/95 × 4 = 3,78", "Tỷ lệ 90% → 3,8", "3,79"],
)
def test_the_explanation_check_catches_wrong_arithmetic(explanation):
    wrong = CriterionResult("T03", "scored", Fraction(72, 19), Fraction(4), explanation)
    with pytest.raises(AssertionError):
        assert_explanation_matches(wrong, 2)
