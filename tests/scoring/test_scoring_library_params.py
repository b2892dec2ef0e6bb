"""Each kind checks its own parameters when a library loads."""

import copy

import pytest
from scoring_helpers import criterion_data, library_data

from thidua.scoring import LibraryError, parse_library

DEADLINE = {
    "penalty_per_month": 1,
    "deliverables": [{"code": "plan_issued", "label": "Kế hoạch", "default_due": "01-31"}],
}
CHOICE = {"options": [{"code": "co", "label": "Có", "points": "P"}]}
BANDS = {"input": {"name": "n", "label": "N"}, "bands": [{"min": 1, "points": "P"}]}
LATE = {"deduction_percent": {"monthly": 20}}


def with_params(params, **changes):
    params = copy.deepcopy(params)
    for key, value in changes.items():
        params[key] = value
    return params


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        (
            "deadline",
            with_params(DEADLINE, penalty_per_month=0),
            "penalty_per_month: phải là số lớn hơn 0",
        ),
        (
            "deadline",
            with_params(DEADLINE, deliverables=[]),
            "deliverables: phải là một danh sách không rỗng",
        ),
        (
            "deadline",
            with_params(
                DEADLINE, deliverables=[{"code": "a", "label": "A", "default_due": "02-29"}]
            ),
            "deliverables[0].default_due: phải có dạng MM-DD, có trong mọi năm",
        ),
        (
            "deadline",
            with_params(
                DEADLINE, deliverables=[{"code": "a", "label": "A", "default_due": "1-31"}]
            ),
            "deliverables[0].default_due: phải có dạng MM-DD",
        ),
        (
            "deadline",
            with_params(
                DEADLINE, deliverables=[{"code": "a", "label": "A", "default_due": "13-01"}]
            ),
            "deliverables[0].default_due: phải có dạng MM-DD",
        ),
        (
            "deadline",
            with_params(DEADLINE, deliverables=DEADLINE["deliverables"] * 2),
            "deliverables[1].code: mã bị trùng",
        ),
        (
            "deadline",
            with_params(
                DEADLINE, deliverables=[{"code": "na", "label": "A", "default_due": "01-31"}]
            ),
            "deliverables[0].code: mã bị trùng hoặc dành riêng: na",
        ),
        (
            "deadline",
            with_params(
                DEADLINE, deliverables=[{"code": "Plan", "label": "", "default_due": "01-31"}]
            ),
            "deliverables[0].code: mã phải gồm chữ thường",
        ),
        (
            "deadline",
            with_params(DEADLINE, deliverables=["plan"]),
            "deliverables[0]: phải là một bảng",
        ),
        (
            "choice",
            with_params(CHOICE, options=[{"code": "a", "label": "A", "points": 41}]),
            "options[0].points: điểm phải nằm trong [0; 40] (nhận được 41)",
        ),
        (
            "choice",
            with_params(CHOICE, options=[{"code": "a", "label": "A", "points": "P+1"}]),
            "options[0].points: điểm phải nằm trong [0; 40] (nhận được 41)",
        ),
        (
            "choice",
            with_params(CHOICE, options=[{"code": "a", "label": "A", "points": "P-41"}]),
            "options[0].points: điểm phải nằm trong [0; 40] (nhận được -1)",
        ),
        (
            "choice",
            with_params(CHOICE, options=[{"code": "a", "label": "A", "points": "Q"}]),
            "options[0].points: tên không được khai báo: Q",
        ),
        (
            "choice",
            with_params(CHOICE, options=[{"code": "a", "label": "A", "points": "P/0"}]),
            "options[0].points: phép chia cho 0",
        ),
        (
            "choice",
            with_params(CHOICE, options=[{"code": "a", "label": "A"}]),
            "options[0].points: thiếu điểm",
        ),
        (
            "choice",
            with_params(CHOICE, options=CHOICE["options"] * 2),
            "options[1].code: mã bị trùng: co",
        ),
        (
            "choice",
            with_params(CHOICE, options={"co": 1}),
            "options: phải là một danh sách không rỗng",
        ),
        (
            "late_entries",
            with_params(LATE, deduction_percent={"weekly": 5}),
            "deduction_percent.weekly: tần suất không hợp lệ",
        ),
        (
            "late_entries",
            with_params(LATE, deduction_percent={"monthly": 0}),
            "deduction_percent.monthly: phải là số phần trăm trong (0, 100]",
        ),
        (
            "late_entries",
            with_params(LATE, deduction_percent=[20]),
            "deduction_percent: phải là bảng tần suất",
        ),
        (
            "bands",
            with_params(BANDS, bands=[{"min": 5, "max": 1, "points": 1}]),
            "bands[0].min: min lớn hơn max",
        ),
        (
            "bands",
            with_params(BANDS, bands=[{"min": 1, "points": 50}]),
            "bands[0].points: điểm phải nằm trong [0; 40]",
        ),
        ("bands", with_params(BANDS, bands=[{"min": 1}]), "bands[0].points: thiếu điểm"),
        (
            "bands",
            with_params(BANDS, bands=[{"above": 1, "points": 1}]),
            "bands[0].above: khóa không được hỗ trợ",
        ),
        ("bands", with_params(BANDS, default=-1), "default: điểm phải nằm trong [0; 40]"),
        (
            "bands",
            with_params(BANDS, input={"label": "N"}),
            "input.name: phải là một chuỗi không rỗng",
        ),
        ("threshold", {"threshold": 101}, "threshold: phải là số phần trăm trong (0, 100]"),
        ("threshold", {"target": 50}, "threshold: thiếu tham số bắt buộc"),
        (
            "formula",
            {"inputs": [{"name": "n", "label": "N"}], "expression": "n.real"},
            "expression: biểu thức không được dùng truy cập thuộc tính",
        ),
    ],
)
def test_it_rejects_invalid_params(kind, params, problem):
    data = library_data(("tinh", [criterion_data("T05", kind, params, points=40)]))
    with pytest.raises(LibraryError) as info:
        parse_library(data)
    expected = f"tinh › T05 › params.{problem}"
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("deadline", DEADLINE),
        ("choice", CHOICE),
        ("bands", BANDS),
        ("late_entries", LATE),
        ("threshold", {"threshold": 50}),
        ("ratio", {"target": "62,5"}),
        ("formula", {"inputs": [{"name": "n", "label": "N"}], "expression": "min(P, n)"}),
    ],
)
def test_every_kind_accepts_valid_params(kind, params):
    data = library_data(("tinh", [criterion_data("T05", kind, params, points=40)]))
    assert parse_library(data).criterion("T05").kind == kind
