from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import assert_explanation_matches, make_criterion

from thidua.scoring import InputError, score_criterion

MEETINGS = {
    "input": {"name": "meetings", "label": "Số cuộc họp", "type": "integer", "min": 0},
    "bands": [
        {"min": 4, "points": "P"},
        {"min": 3, "max": 3, "points": 15},
        {"min": 2, "max": 2, "points": 10},
        {"min": 1, "max": 1, "points": "P/4"},
    ],
}
B01 = make_criterion("bands", MEETINGS, points=20, code="B01")


@pytest.mark.parametrize(
    ("meetings", "score", "explanation"),
    [
        (7, 20, "Số cuộc họp: 7, mức từ 4 trở lên → điểm chuẩn 20"),
        (4, 20, "Số cuộc họp: 4, mức từ 4 trở lên → điểm chuẩn 20"),
        (3, 15, "Số cuộc họp: 3, mức từ 3 đến 3 → 15"),
        (2, 10, "Số cuộc họp: 2, mức từ 2 đến 2 → 10"),
        (1, 5, "Số cuộc họp: 1, mức từ 1 đến 1: 20/4 = 5"),
        (0, 0, "Số cuộc họp: 0, không thuộc mức nào → 0"),
        ("3", 15, None),
    ],
)
def test_band_scores(meetings, score, explanation):
    result = score_criterion(B01, {"meetings": meetings})
    assert (result.status, result.score) == ("scored", score)
    if explanation:
        assert result.explanation == explanation
    assert_explanation_matches(result)


BOUNDS = {
    "input": {"name": "rate", "label": "Tỷ lệ", "type": "percent"},
    "bands": [
        {"min": 90, "points": 10},
        {"min": "50,5", "max": "89.99", "points": 6},
        {"max": 50, "points": 2},
    ],
    "default": 1,
}


@pytest.mark.parametrize(
    ("rate", "score"),
    [(100, 10), (90, 10), ("89,99", 6), ("50,5", 6), ("50,4", 1), (50, 2), (0, 2), ("89,995", 1)],
)
def test_bounds_are_inclusive_and_first_match_wins(rate, score):
    criterion = make_criterion("bands", BOUNDS, points=10)
    assert score_criterion(criterion, {"rate": rate}).score == score


def test_the_first_matching_band_wins_when_bands_overlap():
    params = {
        "input": {"name": "n", "label": "N"},
        "bands": [{"min": 0, "points": 1}, {"min": 5, "points": 9}],
    }
    assert score_criterion(make_criterion("bands", params, points=9), {"n": 7}).score == 1


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"meetings": -1}, "meetings", "Số cuộc họp phải là số nguyên không âm (nhận được -1)"),
        ({"meetings": "2,5"}, "meetings", "Số cuộc họp phải là số nguyên (nhận được 2,5)"),
        ({"meetings": "nhiều"}, "meetings", "Số cuộc họp phải là số"),
        ({"count": 3}, "count", "Trường không hợp lệ (chỉ dùng: meetings)"),
    ],
)
def test_invalid_band_inputs_are_rejected(given, field, message):
    with pytest.raises(InputError) as info:
        score_criterion(B01, given)
    assert (info.value.criterion, info.value.field) == ("B01", field)
    assert info.value.message.startswith(message)


def test_percent_input_is_bounded_to_100():
    with pytest.raises(InputError, match="0–100"):
        score_criterion(make_criterion("bands", BOUNDS, points=10), {"rate": 101})


def test_band_input_field():
    (field,) = B01.rule.input_fields()
    assert (field.name, field.label, field.type, field.min, field.max) == (
        "meetings",
        "Số cuộc họp",
        "integer",
        0,
        None,
    )


@given(st.integers(0, 50), st.integers(0, 50))
def test_band_scores_stay_in_range(a, b):
    for meetings in (a, b):
        result = score_criterion(B01, {"meetings": meetings})
        assert 0 <= result.score <= 20
        assert_explanation_matches(result)
    low, high = sorted([a, b])
    low_score = score_criterion(B01, {"meetings": low}).score
    assert low_score <= score_criterion(B01, {"meetings": high}).score
    assert isinstance(low_score, Fraction)
