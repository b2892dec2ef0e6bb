from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import criterion_data, library_data

from thidua.scoring import (
    CriterionResult,
    InputError,
    LevelResult,
    parse_library,
    score_criterion,
    score_level,
)

CHOICE = {
    "options": [
        {"code": "co", "label": "Có", "points": "P"},
        {"code": "khong", "label": "Không", "points": 0},
    ]
}
LIBRARY = parse_library(
    library_data(
        (
            "xa",
            [
                criterion_data("X01", "ratio", {"target": 50}, points=40),
                criterion_data("X02", "choice", CHOICE, points=35),
                criterion_data("X03", "threshold", {"threshold": 100}, points=25),
            ],
        )
    )
)
LEVEL = LIBRARY.levels[0]
X01, X02, X03 = LEVEL.criteria


def test_na_needs_a_reason():
    result = score_criterion(X01, {"na": True, "reason": "  Không có hồ sơ phát sinh  "})
    assert result == CriterionResult(
        "X01",
        "na",
        None,
        Fraction(40),
        "Không áp dụng (N/A): Không có hồ sơ phát sinh",
        "Không có hồ sơ phát sinh",
    )
    assert result.display() == "không áp dụng"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"na": True}, "reason"),
        ({"na": True, "reason": "   "}, "reason"),
        ({"na": True, "reason": 5}, "reason"),
        ({"na": 1, "reason": "x"}, "na"),
        ({"na": "true", "reason": "x"}, "na"),
    ],
)
def test_na_without_a_proper_reason_is_rejected(given, field):
    with pytest.raises(InputError) as info:
        score_criterion(X01, given)
    assert (info.value.criterion, info.value.field) == ("X01", field)


def test_na_false_scores_the_other_inputs():
    assert score_criterion(X01, {"na": False, "rate": 25}).score == 20


def test_na_ignores_values_kept_beside_it():
    assert score_criterion(X01, {"na": True, "reason": "x", "rate": 999}).status == "na"


@pytest.mark.parametrize("given", [[1, 2], "90", 90])
def test_inputs_must_be_an_object(given):
    with pytest.raises(InputError) as info:
        score_criterion(X01, given)
    assert info.value.field is None
    assert str(info.value).startswith("X01: ")


def test_decimals_are_checked():
    with pytest.raises(ValueError, match="decimals"):
        score_criterion(X01, {"rate": 1}, decimals=7)


def test_display_of_each_status():
    assert score_criterion(X01, None).display() == "chưa chấm"
    assert score_criterion(X03, {"numerator": 0, "denominator": 0}).display() == "chờ xác định N/A"
    assert score_criterion(X01, {"rate": "33"}).display(1) == "26,4"


@pytest.mark.parametrize(
    ("inputs", "policy", "total", "earned", "applicable", "complete"),
    [
        # everything scored
        (
            {"X01": {"rate": 50}, "X02": {"option": "co"}, "X03": {"rate": 100}},
            "rescale",
            100,
            100,
            100,
            True,
        ),
        (
            {"X01": {"rate": 25}, "X02": {"option": "khong"}, "X03": {"rate": 99}},
            "rescale",
            20,
            20,
            100,
            True,
        ),
        # one N/A: rescaled on the 60 applicable points
        (
            {"X01": {"rate": 25}, "X02": {"na": True, "reason": "r"}, "X03": {"rate": 100}},
            "rescale",
            Fraction(45 * 100, 65),
            45,
            65,
            True,
        ),
        # the same under full_points: N/A earns its P
        (
            {"X01": {"rate": 25}, "X02": {"na": True, "reason": "r"}, "X03": {"rate": 100}},
            "full_points",
            80,
            80,
            100,
            True,
        ),
        # missing input counts 0 and the level is incomplete
        ({"X01": {"rate": 50}}, "rescale", 40, 40, 100, False),
        ({"X01": {"rate": 50}, "X02": None}, "full_points", 40, 40, 100, False),
        # a zero denominator is not a score: 0 and incomplete until marked N/A
        (
            {
                "X01": {"rate": 50},
                "X02": {"option": "co"},
                "X03": {"numerator": 0, "denominator": 0},
            },
            "rescale",
            75,
            75,
            100,
            False,
        ),
        # nothing entered
        ({}, "rescale", 0, 0, 100, False),
        # every criterion N/A: nothing to rescale, the total is 0 (all_na tells why)
        ({c: {"na": True, "reason": "r"} for c in ("X01", "X02", "X03")}, "rescale", 0, 0, 0, True),
        (
            {c: {"na": True, "reason": "r"} for c in ("X01", "X02", "X03")},
            "full_points",
            100,
            100,
            100,
            True,
        ),
    ],
)
def test_level_totals(inputs, policy, total, earned, applicable, complete):
    result = score_level(LEVEL, inputs, na_policy=policy)
    assert isinstance(result, LevelResult)
    assert [r.code for r in result.results] == ["X01", "X02", "X03"]
    assert (result.total, result.earned, result.applicable_max, result.complete) == (
        total,
        earned,
        applicable,
        complete,
    )


def test_all_na_is_visible_on_the_level_result():
    every = {c: {"na": True, "reason": "r"} for c in ("X01", "X02", "X03")}
    assert score_level(LEVEL, every).all_na
    assert not score_level(LEVEL, {"X01": {"na": True, "reason": "r"}}).all_na


def test_rescaled_totals_stay_exact():
    result = score_level(LEVEL, {"X01": {"rate": 1}, "X02": {"na": True, "reason": "r"}})
    assert result.total == Fraction(4, 5) * 100 / 65
    assert result.by_code()["X03"].status == "not_scored"


def test_a_code_outside_the_level_is_an_input_error():
    with pytest.raises(InputError) as info:
        score_level(LEVEL, {"T01": {"rate": 1}})
    assert info.value.criterion == "T01"
    assert str(info.value) == "T01: Tiêu chí không thuộc cấp xa (các tiêu chí: X01, X02, X03)"


def test_invalid_input_in_a_level_names_the_criterion():
    with pytest.raises(InputError) as info:
        score_level(LEVEL, {"X02": {"option": "maybe"}})
    assert (info.value.criterion, info.value.field) == ("X02", "option")


def test_an_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="na_policy"):
        score_level(LEVEL, {}, na_policy="ignore")


NA = {"na": True, "reason": "r"}
rates = st.one_of(st.none(), st.just(NA), st.integers(0, 100).map(lambda rate: {"rate": rate}))
options = st.sampled_from([None, NA, {"option": "co"}, {"option": "khong"}])


@given(rates, options, rates)
def test_level_totals_stay_within_the_scale(x01, x02, x03):
    inputs = {"X01": x01, "X02": x02, "X03": x03}
    rescaled = score_level(LEVEL, inputs, na_policy="rescale")
    full = score_level(LEVEL, inputs, na_policy="full_points")
    assert 0 <= rescaled.total <= 100
    assert 0 <= full.total <= 100
    assert rescaled.earned == sum(r.score or 0 for r in rescaled.results)
    assert full.total == full.earned
    # giving N/A criteria full points never scores lower than rescaling
    assert full.total >= rescaled.total or rescaled.all_na
    assert rescaled.complete == all(entry is not None for entry in inputs.values())
