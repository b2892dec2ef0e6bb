from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import assert_explanation_matches, make_criterion

from thidua.scoring import InputError, LibraryError, score_criterion

MEETINGS = {
    "inputs": [{"name": "meetings", "label": "Số cuộc họp", "type": "integer", "min": 0}],
    "expression": "min(P, meetings / 4 * P)",
}
PARTS = {
    "inputs": [
        {"name": "plan", "label": "Có kế hoạch (0/1)", "type": "integer", "min": 0, "max": 1},
        {"name": "rate", "label": "Tỷ lệ hoàn thành", "type": "percent"},
        {"name": "penalty", "label": "Điểm trừ", "type": "number", "min": 0},
    ],
    "expression": "2 * plan + rate / 100 * (P - 2) - penalty",
}
F01 = make_criterion("formula", MEETINGS, points=20, code="F01")
F02 = make_criterion("formula", PARTS, points=10, code="F02")


@pytest.mark.parametrize(
    ("criterion", "given", "score", "explanation"),
    [
        (F01, {"meetings": 3}, 15, "Số cuộc họp: 3. Điểm: min(20; 3/4 × 20) = 15"),
        (F01, {"meetings": 9}, 20, "Số cuộc họp: 9. Điểm: min(20; 9/4 × 20) = 20"),
        (F01, {"meetings": 0}, 0, "Số cuộc họp: 0. Điểm: min(20; 0/4 × 20) = 0"),
        (
            F02,
            {"plan": 1, "rate": "90,5", "penalty": 0},
            Fraction(9240, 1000),
            "Có kế hoạch (0/1): 1; Tỷ lệ hoàn thành: 90,5; Điểm trừ: 0. "
            "Điểm: 2 × 1 + 90,5/100 × (10 − 2) − 0 = 9,24",
        ),
        (
            F02,
            {"plan": 0, "rate": 10, "penalty": 3},
            0,
            "Có kế hoạch (0/1): 0; Tỷ lệ hoàn thành: 10; Điểm trừ: 3. "
            "Điểm: max(0; 2 × 0 + 10/100 × (10 − 2) − 3) = 0",
        ),
        (F02, {"plan": 1, "rate": 100, "penalty": "0,5"}, Fraction(19, 2), None),
    ],
)
def test_formula_scores(criterion, given, score, explanation):
    result = score_criterion(criterion, given)
    assert (result.status, result.score) == ("scored", score)
    if explanation:
        assert result.explanation == explanation
    assert_explanation_matches(result)


def test_a_result_above_p_is_clamped_and_says_so():
    criterion = make_criterion("formula", {**MEETINGS, "expression": "meetings * 10"}, points=20)
    result = score_criterion(criterion, {"meetings": 3})
    assert result.score == 20
    assert result.explanation == "Số cuộc họp: 3. Điểm: min(20; 3 × 10) = 20"


def test_a_missing_input_means_not_scored():
    result = score_criterion(F02, {"plan": 1, "rate": 50})
    assert (result.status, result.score) == ("not_scored", None)
    assert result.explanation == "Chưa chấm: chưa nhập Điểm trừ"


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (
            {"plan": 2, "rate": 1, "penalty": 0},
            "plan",
            "Có kế hoạch (0/1) phải nằm trong khoảng 0–1",
        ),
        (
            {"plan": 1, "rate": 101, "penalty": 0},
            "rate",
            "Tỷ lệ hoàn thành phải nằm trong khoảng 0–100",
        ),
        ({"plan": 1, "rate": 1, "penalty": -1}, "penalty", "Điểm trừ phải lớn hơn hoặc bằng 0"),
        ({"plan": 1, "rate": 1, "bonus": 1}, "bonus", "Trường không hợp lệ"),
    ],
)
def test_invalid_formula_inputs_are_rejected(given, field, message):
    with pytest.raises(InputError) as info:
        score_criterion(F02, given)
    assert (info.value.criterion, info.value.field) == ("F02", field)
    assert info.value.message.startswith(message)


def test_division_by_zero_is_an_input_error():
    params = {"inputs": [{"name": "n", "label": "N"}], "expression": "P / n"}
    with pytest.raises(InputError) as info:
        score_criterion(make_criterion("formula", params), {"n": 0})
    assert info.value.field is None
    assert str(info.value) == "T99: Công thức chia cho 0 với số liệu đã nhập"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("().__class__", "truy cập thuộc tính"),
        ("__import__('os')", "hàm không được phép: __import__"),
        ("9**9**9", "số mũ"),
        ("meetings + unknown", "tên không được khai báo: unknown"),
        ("(lambda: meetings)()", "hàm không được phép"),
        ("lambda: 1", "lambda"),
        ("'meetings'", "chuỗi"),
        ("meetings[0]", "chỉ số"),
        ("", "trống"),
    ],
)
def test_unsafe_expressions_are_refused_at_library_load(expression, message):
    with pytest.raises(LibraryError) as info:
        make_criterion("formula", {**MEETINGS, "expression": expression}, code="F09")
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("tinh › F09 › params.expression: ")
    assert message in info.value.problems[0]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([{"name": "min", "label": "Min"}], "inputs[0].name: tên trùng với từ dành riêng"),
        ([{"name": "if", "label": "If"}], "inputs[0].name: tên trùng với từ dành riêng"),
        (
            [{"name": "a", "label": "A"}, {"name": "a", "label": "B"}],
            "inputs[1].name: tên bị trùng",
        ),
        ([{"name": "Meetings", "label": "A"}], "inputs[0].name: mã phải gồm chữ thường"),
        ([{"name": "a", "label": "A", "type": "date"}], "inputs[0].type: phải là một trong"),
        ([{"name": "a", "label": "A", "min": 5, "max": 1}], "inputs[0].min: min lớn hơn max"),
        ([{"name": "a", "label": "A", "unit": "cái"}], "inputs[0].unit: khóa không được hỗ trợ"),
        ([], "inputs: phải là một danh sách không rỗng"),
    ],
)
def test_formula_inputs_are_validated(inputs, message):
    with pytest.raises(LibraryError) as info:
        make_criterion("formula", {"inputs": inputs, "expression": "P"})
    assert any(f"tinh › T99 › params.{message}" in p for p in info.value.problems), (
        info.value.problems
    )


@given(st.integers(0, 1), st.integers(0, 10000), st.integers(0, 40), st.integers(0, 3))
def test_formula_explanation_arithmetic_equals_the_score(plan, rate, penalty_tenths, decimals):
    given_inputs = {
        "plan": plan,
        "rate": Fraction(rate, 100),
        "penalty": Fraction(penalty_tenths, 10),
    }
    result = score_criterion(F02, given_inputs, decimals=decimals)
    assert 0 <= result.score <= 10
    assert assert_explanation_matches(result, decimals) == result.score


def test_formula_input_fields():
    assert [(f.name, f.type, f.required, f.min, f.max) for f in F02.rule.input_fields()] == [
        ("plan", "integer", True, 0, 1),
        ("rate", "percent", True, 0, 100),
        ("penalty", "number", True, 0, None),
    ]
