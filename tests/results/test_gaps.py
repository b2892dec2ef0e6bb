"""Gap wording per rule kind: a table of cases on the 2435 library and two tiny criteria."""

from datetime import date
from fractions import Fraction

import pytest
from django.conf import settings

from thidua import scoring
from thidua.results.gaps import criterion_gap, unit_gaps

LIBRARY = scoring.load_library(settings.THIDUA_DEFAULT_LIBRARY)


def extra_criterion(kind, params, points=5):
    data = {
        "format": "thidua-criteria/1",
        "set": {
            "code": "test",
            "name": "Thử",
            "decision": "1/QĐ-UBND",
            "decision_date": "2023-10-05",
            "issuer": "UBND tỉnh",
            "province": "Sóc Trăng",
            "year": 2023,
            "version": "1",
        },
        "levels": [
            {
                "code": "tinh",
                "name": "Cấp tỉnh",
                "scale": points,
                "criteria": [
                    {
                        "code": "Z01",
                        "content": "Tiêu chí thử",
                        "points": points,
                        "kind": kind,
                        "params": params,
                        "rule_text": "Cách tính",
                        "evidence_basis": "Căn cứ",
                    }
                ],
            }
        ],
    }
    return scoring.parse_library(data).levels[0].criteria[0]


BANDS = extra_criterion(
    "bands",
    {
        "input": {"name": "count", "label": "Số mô hình", "type": "integer"},
        "bands": [{"min": 3, "points": "P"}, {"min": 1, "max": 2, "points": 3}],
    },
)
FORMULA = extra_criterion(
    "formula",
    {
        "inputs": [{"name": "errors", "label": "Số lỗi", "type": "integer"}],
        "expression": "P - errors",
    },
)


def deadline(plan_actual, results_actual):
    return {
        "plan_issued": {"due": "2023-01-31", "actual": plan_actual},
        "results_reported": {"due": "2023-12-15", "actual": results_actual},
    }


CASES = [
    # (criterion, inputs, expected text)
    ("T03", {"rate": "90"}, "T03: đạt 90%, cần 95% để đạt tối đa; còn thiếu 0,21 điểm"),
    ("T03", {"rate": "90,5"}, "T03: đạt 90,5%, cần 95% để đạt tối đa; còn thiếu 0,19 điểm"),
    (
        "T15",
        {"numerator": 3, "denominator": 4},
        "T15: đạt 3/4 (75%), cần 100% để đạt tối đa: ít nhất 4/4, thêm 1; còn thiếu 1 điểm",
    ),
    (
        "T03",
        {"numerator": 17, "denominator": 20},
        "T03: đạt 17/20 (85%), cần 95% để đạt tối đa: ít nhất 19/20, thêm 2; còn thiếu 0,42 điểm",
    ),
    (
        "T14",
        {"rate": "40"},
        "T14: đạt 40%, chưa đạt ngưỡng 50% nên 0 điểm; cần đạt 50% để được 5 điểm; "
        "còn thiếu 5 điểm",
    ),
    (
        "X11",
        {"numerator": 4, "denominator": 5},
        "X11: đạt 4/5 (80%), chưa đạt ngưỡng 100% nên 0 điểm; cần đạt 100% để được 8 điểm: "
        "ít nhất 5/5, thêm 1; còn thiếu 8 điểm",
    ),
    (
        "T01",
        deadline("2023-03-05", "2023-12-10"),
        "T01: Ban hành Kế hoạch trễ 2 tháng (hạn 31/01/2023, ban hành 05/03/2023); cần ban "
        "hành đúng hạn để đạt tối đa (mỗi tháng trễ trừ 1 điểm); còn thiếu 2 điểm",
    ),
    (
        "T01",
        deadline("2023-01-20", None),
        "T01: không ban hành Báo cáo kết quả thực hiện Kế hoạch (hạn 15/12/2023); cần ban "
        "hành đủ văn bản, đúng hạn, để đạt tối đa; còn thiếu 8 điểm",
    ),
    (
        "T06",
        {"monthly": 2, "quarterly": 1},
        "T06: nhập số liệu trễ 2 lần (tần suất tháng, mỗi lần trừ 1 điểm), 1 lần (tần suất "
        "quý, mỗi lần trừ 1,5 điểm); cần nhập đúng hạn mọi kỳ để đạt tối đa; còn thiếu 3,5 điểm",
    ),
    (
        "T13",
        {"option": "phoi_hop"},
        "T13: mức «{phoi_hop}» (5 điểm); cần mức «{to_chuc}» để đạt tối đa (7 điểm); "
        "còn thiếu 2 điểm",
    ),
    (
        "T07",
        {"option": "khong"},
        "T07: mức «{khong}» (0 điểm); cần mức «{co}» để đạt tối đa (5 điểm); còn thiếu 5 điểm",
    ),
    (BANDS, {"count": 2}, "Z01: được 3/5 điểm; còn thiếu 2 điểm"),
    (FORMULA, {"errors": 1}, "Z01: được 4/5 điểm; còn thiếu 1 điểm"),
    (
        "T03",
        None,
        "T03: chưa chấm (chưa nhập số liệu), đang tính 0 điểm; cần nhập số liệu để được chấm; "
        "còn thiếu 4 điểm",
    ),
    (
        "T15",
        {"numerator": 0, "denominator": 0},
        "T15: mẫu số bằng 0, đang tính 0 điểm; cần thẩm định xác định Không áp dụng (N/A); "
        "còn thiếu 4 điểm",
    ),
]


def criterion_of(code_or_criterion):
    if isinstance(code_or_criterion, str):
        return LIBRARY.criterion(code_or_criterion)
    return code_or_criterion


def gap_of(criterion, inputs):
    result = scoring.score_criterion(criterion, inputs)
    return criterion_gap(criterion, inputs, result)


@pytest.mark.parametrize(("code", "inputs", "expected"), CASES)
def test_it_says_what_it_would_take_to_reach_full_points(code, inputs, expected):
    criterion = criterion_of(code)
    if criterion.kind == "choice":
        labels = {option.code: option.label for option in criterion.rule.options.values()}
        expected = expected.format(**labels)
    assert gap_of(criterion, inputs).text == expected


@pytest.mark.parametrize(
    ("code", "inputs"),
    [
        ("T03", {"rate": "95"}),
        ("T03", {"rate": "100"}),
        ("T14", {"rate": "50"}),
        ("T01", deadline("2023-01-31", "2023-12-15")),
        ("T06", {"monthly": 0}),
        ("T02", {"option": "dai_hoc"}),
        ("T15", {"na": True, "reason": "Không có hệ thống thông tin"}),
        (BANDS, {"count": 4}),
    ],
)
def test_there_is_no_gap_at_full_points_or_when_not_applicable(code, inputs):
    assert gap_of(criterion_of(code), inputs) is None


def test_the_points_lost_are_exact():
    gap = gap_of(LIBRARY.criterion("T03"), {"rate": "90"})
    assert gap.lost == Fraction(4) - Fraction(90, 95) * 4
    assert gap.score == Fraction(72, 19)
    assert gap.what_it_takes == "đạt 90%, cần 95% để đạt tối đa"


def test_a_unit_sees_its_gaps_most_points_lost_first():
    level = LIBRARY.level("tinh")
    inputs = {
        "T03": {"rate": "90"},  # 0,21 lost
        "T04": {"rate": "40"},  # 40/90 × 10 = 4,44: 5,56 lost
        "T07": {"option": "khong"},  # 5 lost
        "T14": {"rate": "100"},  # full points: no gap
    }
    items = [
        (
            criterion,
            inputs[criterion.code],
            scoring.score_criterion(criterion, inputs[criterion.code]),
        )
        for criterion in level.criteria
        if criterion.code in inputs
    ]
    assert [gap.code for gap in unit_gaps(items)] == ["T04", "T07", "T03"]


def test_equal_losses_keep_the_criteria_order():
    level = LIBRARY.level("tinh")
    items = [
        (criterion, None, scoring.score_criterion(criterion, None))
        for criterion in level.criteria
        if criterion.code in ("T09", "T07", "T14")  # 5 points each, not scored
    ]
    assert [gap.code for gap in unit_gaps(items)] == ["T07", "T09", "T14"]


def test_stored_inputs_that_no_longer_validate_get_the_generic_wording():
    criterion = LIBRARY.criterion("T03")
    result = scoring.CriterionResult("T03", "scored", Fraction(2), Fraction(4), "")
    gap = criterion_gap(criterion, {"rate": "150"}, result)
    assert gap.text == "T03: được 2/4 điểm; còn thiếu 2 điểm"


def test_deadline_dates_are_read_from_the_inputs():
    assert (
        date(2023, 3, 5).strftime("%d/%m/%Y")
        in gap_of(LIBRARY.criterion("T01"), deadline("2023-03-05", "2023-12-15")).text
    )
