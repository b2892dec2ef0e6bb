from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import assert_explanation_matches, make_criterion

from thidua.scoring import InputError, score_criterion

PERCENTS = {"monthly": 20, "quarterly": 30, "semiannual": 60, "annual": 100}
T06 = make_criterion("late_entries", {"deduction_percent": PERCENTS}, points=5, code="T06")


@pytest.mark.parametrize(
    ("counts", "score", "explanation"),
    [
        (
            {"monthly": 2, "quarterly": 1},
            Fraction(3, 2),
            "Nhập trễ 2 lần (tần suất tháng), 1 lần (tần suất quý). "
            "Điểm: 5 × (1 − 2 × 20% − 1 × 30%) = 1,5",
        ),
        ({"monthly": 2}, 3, "Nhập trễ 2 lần (tần suất tháng). Điểm: 5 × (1 − 2 × 20%) = 3"),
        ({"quarterly": 1, "monthly": 2}, Fraction(3, 2), None),
        ({"monthly": 0}, 5, "Không có lần nhập số liệu trễ → điểm chuẩn 5"),
        ({"monthly": 0, "annual": "0"}, 5, None),
        ({"semiannual": 1}, 2, "Nhập trễ 1 lần (tần suất 6 tháng). Điểm: 5 × (1 − 1 × 60%) = 2"),
        ({"annual": 1}, 0, "Nhập trễ 1 lần (tần suất năm). Điểm: 5 × (1 − 1 × 100%) = 0"),
        ({"monthly": 5}, 0, "Nhập trễ 5 lần (tần suất tháng). Điểm: 5 × (1 − 5 × 20%) = 0"),
        (
            {"monthly": 3, "semiannual": 1},
            0,
            "Nhập trễ 3 lần (tần suất tháng), 1 lần (tần suất 6 tháng). "
            "Điểm: max(0; 5 × (1 − 3 × 20% − 1 × 60%)) = 0",
        ),
        ({"annual": 2}, 0, None),
        ({"monthly": 1, "quarterly": 1, "semiannual": None}, Fraction(5, 2), None),
    ],
)
def test_late_entries_scores(counts, score, explanation):
    result = score_criterion(T06, counts)
    assert (result.status, result.score) == ("scored", score)
    if explanation is not None:
        assert result.explanation == explanation
    assert_explanation_matches(result)


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ({"weekly": 1}, "weekly", "Trường không hợp lệ"),
        ({"monthly": -1}, "monthly", "Số lần nhập trễ phải là số nguyên không âm (nhận được -1)"),
        ({"monthly": "1,5"}, "monthly", "Số lần nhập trễ phải là số nguyên (nhận được 1,5)"),
        ({"quarterly": "hai"}, "quarterly", "Số lần nhập trễ phải là số"),
    ],
)
def test_invalid_counts_are_rejected(counts, field, message):
    with pytest.raises(InputError) as info:
        score_criterion(T06, counts)
    assert (info.value.criterion, info.value.field) == ("T06", field)
    assert info.value.message.startswith(message)


def test_only_configured_frequencies_are_inputs():
    criterion = make_criterion("late_entries", {"deduction_percent": {"monthly": 25}}, points=4)
    assert [f.name for f in criterion.rule.input_fields()] == ["monthly"]
    with pytest.raises(InputError):
        score_criterion(criterion, {"annual": 1})
    assert score_criterion(criterion, {"monthly": 1}).score == 3


def test_input_fields():
    fields = T06.rule.input_fields()
    assert [(f.name, f.type, f.required, f.min) for f in fields] == [
        ("monthly", "integer", False, 0),
        ("quarterly", "integer", False, 0),
        ("semiannual", "integer", False, 0),
        ("annual", "integer", False, 0),
    ]


counts = st.fixed_dictionaries({f: st.integers(0, 6) for f in PERCENTS})


@given(counts, st.sampled_from(list(PERCENTS)), st.integers(1, 3), st.sampled_from([5, 6, 7]))
def test_more_late_entries_never_raise_the_score(before, frequency, extra, points):
    criterion = make_criterion("late_entries", {"deduction_percent": PERCENTS}, points=points)
    after = {**before, frequency: before[frequency] + extra}
    r_before, r_after = score_criterion(criterion, before), score_criterion(criterion, after)
    assert 0 <= r_after.score <= r_before.score <= points
    assert_explanation_matches(r_before)
    assert_explanation_matches(r_after)
