"""Every criterion of Decision 2435/QĐ-UBND, scored from the shipped library against values
computed by hand from shared/spec/criteria-qd2435.md."""

from fractions import Fraction as F
from pathlib import Path

import pytest
from scoring_helpers import assert_explanation_matches

from thidua.scoring import format_vi, load_library, score_criterion, score_level

PATH = Path(__file__).resolve().parents[2] / "libraries" / "soc-trang-2435-2023.yaml"
LIBRARY = load_library(PATH)


def dates(plan, report, year=2023):
    return {
        "plan_issued": {"due": f"{year}-01-31", "actual": plan},
        "results_reported": {"due": f"{year}-12-15", "actual": report},
    }


# code: (P, points confirmed, inputs, exact score, 2 decimals with trailing zeros dropped)
CASES = {
    "tinh": {
        "T01": (8, False, dates("2023-03-05", "2023-12-10"), F(6), "6"),
        "T02": (5, True, {"option": "cao_dang_trung_cap"}, F(4), "4"),
        "T03": (4, True, {"rate": "90"}, F(72, 19), "3,79"),
        "T04": (10, True, {"rate": "45"}, F(5), "5"),
        "T05": (10, True, {"numerator": 180, "denominator": 200}, F(9), "9"),
        "T06": (5, False, {"monthly": 2, "quarterly": 1}, F(3, 2), "1,5"),
        "T07": (5, False, {"option": "co"}, F(5), "5"),
        "T08": (10, True, {"rate": "97,5"}, F(39, 4), "9,75"),
        "T09": (5, False, {"rate": "80"}, F(4), "4"),
        "T10": (5, False, {"numerator": 1, "denominator": 3}, F(5, 3), "1,67"),
        "T11": (6, True, {"rate": 100}, F(6), "6"),
        "T12": (6, True, {"rate": "50,5"}, F(303, 100), "3,03"),
        "T13": (7, False, {"option": "phoi_hop"}, F(5), "5"),
        "T14": (5, True, {"rate": "49"}, F(0), "0"),
        "T15": (4, False, {"numerator": 3, "denominator": 4}, F(3), "3"),
        "T16": (5, False, {"option": "thiet_thuc"}, F(3), "3"),
    },
    "huyen": {
        "H01": (8, False, dates("2023-01-31", "2024-01-20"), F(6), "6"),
        "H02": (5, True, dates(None, "2023-12-01"), F(0), "0"),
        "H03": (5, True, {"option": "dat_chuan"}, F(3), "3"),
        "H04": (10, True, {"rate": "60"}, F(15, 2), "7,5"),
        "H05": (10, True, {"rate": "100"}, F(10), "10"),
        "H06": (6, False, {"semiannual": 1}, F(12, 5), "2,4"),
        "H07": (6, False, {"rate": "95"}, F(57, 10), "5,7"),
        "H08": (10, True, {"numerator": 998, "denominator": 1000}, F(499, 50), "9,98"),
        "H09": (6, False, {"rate": "0"}, F(0), "0"),
        "H10": (6, True, {"numerator": 7, "denominator": 9}, F(14, 3), "4,67"),
        "H11": (6, True, {"rate": "33,3"}, F(999, 500), "2"),
        "H12": (6, True, {"rate": "70"}, F(21, 5), "4,2"),
        "H13": (6, False, {"rate": "40"}, F(24, 5), "4,8"),
        "H14": (4, True, {"na": True, "reason": "Huyện không có sản phẩm OCOP"}, None, None),
        "H15": (6, False, {"option": "thiet_thuc_phong_trao"}, F(6), "6"),
    },
    "xa": {
        "X01": (8, False, dates("2023-02-28", "2023-12-15"), F(7), "7"),
        "X02": (5, False, dates("2023-06-30", "2024-02-01"), F(0), "0"),
        "X03": (10, True, {"rate": "59"}, F(59, 6), "9,83"),
        "X04": (10, True, {"rate": "100"}, F(10), "10"),
        "X05": (6, False, {"numerator": 0, "denominator": 0}, None, None),
        "X06": (10, True, {"rate": "99,99"}, F(9999, 1000), "10"),
        "X07": (6, True, {"rate": "50"}, F(3), "3"),
        "X08": (6, False, {"numerator": 2, "denominator": 3}, F(4), "4"),
        "X09": (6, True, {"rate": "25"}, F(3, 2), "1,5"),
        "X10": (6, True, {"rate": "12"}, F(18, 25), "0,72"),
        "X11": (8, True, {"numerator": 11, "denominator": 12}, F(0), "0"),
        "X12": (6, True, {"rate": "31"}, F(6), "6"),
        "X13": (5, True, {"rate": "20"}, F(2), "2"),
        "X14": (8, False, {"option": "chua_thiet_thuc"}, F(1), "1"),
    },
}
ROWS = [(level, code, *case) for level, cases in CASES.items() for code, case in cases.items()]


def test_the_library_has_the_decisions_45_criteria():
    assert LIBRARY.meta.decision == "2435/QĐ-UBND"
    assert LIBRARY.meta.display_decimals == 2
    assert [level.code for level in LIBRARY.levels] == ["tinh", "huyen", "xa"]
    for level in LIBRARY.levels:
        assert [c.code for c in level.criteria] == list(CASES[level.code])
        assert level.scale == 100
        assert sum(c.points for c in level.criteria) == 100
    assert len(ROWS) == 45


@pytest.mark.parametrize(
    ("level", "code", "points", "confirmed", "inputs", "score", "display"), ROWS
)
def test_each_criterion_scores_as_computed_by_hand(
    level, code, points, confirmed, inputs, score, display
):
    criterion = LIBRARY.level(level).criterion(code)
    assert (criterion.points, criterion.points_confirmed) == (points, confirmed)
    if not confirmed:
        assert criterion.source_note
    result = score_criterion(criterion, inputs, decimals=2)
    assert result.score == score
    if score is None:
        assert result.status in ("na", "needs_na")
        return
    assert result.status == "scored"
    assert format_vi(result.score, 2, trim=True) == display
    assert result.display(2) == format_vi(result.score, 2)
    assert_explanation_matches(result)


def test_the_decisions_worked_example_at_one_decimal():
    result = score_criterion(LIBRARY.criterion("T03"), {"rate": "90"}, decimals=1)
    assert result.explanation == "90/95 × 4 = 3,8"


@pytest.mark.parametrize(
    ("level", "total", "display", "complete"),
    [
        # all 16 scored, out of 100
        ("tinh", F(6428, 100) + F(72, 19) + F(5, 3), "69,74", True),
        # H14 is N/A: 96 applicable points rescaled to 100
        ("huyen", (F(61578, 1000) + F(14, 3)) * 100 / 96, "69", True),
        # X05 waits for an N/A decision: counted 0, level incomplete
        ("xa", F(45219, 1000) + F(59, 6), "55,05", False),
    ],
)
def test_level_totals(level, total, display, complete):
    inputs = {code: case[2] for code, case in CASES[level].items()}
    result = score_level(LIBRARY.level(level), inputs, na_policy=LIBRARY.meta.na_policy)
    assert result.total == total
    assert format_vi(result.total, 2, trim=True) == display
    assert result.complete is complete
