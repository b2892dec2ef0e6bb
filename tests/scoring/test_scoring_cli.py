import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from scoring_helpers import criterion_data, library_data

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = {
    "penalty_per_month": 1,
    "deliverables": [
        {"code": "plan_issued", "label": "Ban hành Kế hoạch", "default_due": "01-31"},
        {"code": "results_reported", "label": "Báo cáo kết quả", "default_due": "12-15"},
    ],
}
LIBRARY = library_data(
    (
        "tinh",
        [
            criterion_data("T01", "deadline", DEADLINE, points=8),
            criterion_data("T03", "ratio", {"target": 95}, points=4),
            criterion_data(
                "T06",
                "late_entries",
                {"deduction_percent": {"monthly": 20, "quarterly": 30}},
                points=5,
            ),
            criterion_data("T09", "ratio", {"target": 100}, points=5),
            criterion_data("T15", "ratio", {"target": 100}, points=4),
            criterion_data("T16", "ratio", {"target": 100}, points=74),
        ],
    ),
    ("xa", [criterion_data("X01", "ratio", {"target": 60}, points=100)]),
    display_decimals=2,
)
INPUTS = {
    "T01": {
        "plan_issued": {"due": "2023-01-31", "actual": "2023-03-05"},
        "results_reported": {"due": "2023-12-15", "actual": "2023-12-10"},
    },
    "T03": {"rate": "90"},
    "T15": {"numerator": 3, "denominator": 4},
    "T06": {"monthly": 2, "quarterly": 1},
    "T09": {"na": True, "reason": "Không có hệ thống"},
}


def run(tmp_path, inputs=INPUTS, library=LIBRARY, *args, level="tinh", raw_inputs=None):
    library_path = tmp_path / "library.yaml"
    library_path.write_text(yaml.safe_dump(library, allow_unicode=True), encoding="utf-8")
    inputs_path = tmp_path / "inputs.json"
    text = raw_inputs if raw_inputs is not None else json.dumps(inputs, ensure_ascii=False)
    inputs_path.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "thidua.scoring", str(library_path), str(inputs_path)]
    if level is not None:
        command += ["--level", level]
    env = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": ""}
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [*command, *args], cwd=ROOT, capture_output=True, env=env, check=False
    )
    return completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8")


def test_it_prints_scores_as_json(tmp_path):
    code, out, err = run(tmp_path)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["set"] == {
        "code": "test-set",
        "name": "Bộ tiêu chí thử",
        "version": "2023.1",
        "decision": "1/QĐ-UBND",
    }
    assert report["level"] == "tinh"
    assert list(report["criteria"]) == ["T01", "T03", "T06", "T09", "T15", "T16"]
    assert report["criteria"]["T03"] == {
        "status": "scored",
        "score": "3.789474",
        "display": "3,79",
        "max": "4.000000",
        "explanation": "90/95 × 4 = 3,79",
    }
    assert report["criteria"]["T01"]["score"] == "6.000000"
    assert report["criteria"]["T01"]["explanation"].endswith("Điểm: 8 − 1 × 2 tháng trễ = 6")
    assert report["criteria"]["T06"]["display"] == "1,50"
    assert report["criteria"]["T15"]["explanation"] == "3/4 = 75%; 75/100 × 4 = 3"
    assert report["criteria"]["T09"]["status"] == "na"
    assert report["criteria"]["T09"]["na_reason"] == "Không có hệ thống"
    assert report["criteria"]["T09"]["score"] is None
    assert report["criteria"]["T16"] == {
        "status": "not_scored",
        "score": None,
        "display": "chưa chấm",
        "max": "74.000000",
        "explanation": "Chưa chấm: chưa nhập số liệu",
    }
    # earned 6 + 72/19 + 3/2 + 3 on 95 applicable points, rescaled to 100
    assert report["earned"] == "14.289474"
    assert report["applicable_max"] == "95.000000"
    assert report["total"] == "15.041551"
    assert report["total_display"] == "15,04"
    assert report["complete"] is False
    assert "Bộ tiêu chí thử" in out  # UTF-8, not \\u escapes


def test_json_numbers_are_read_exactly(tmp_path):
    code, out, _ = run(tmp_path, raw_inputs='{"T03": {"rate": 90.5}}')
    assert code == 0
    assert json.loads(out)["criteria"]["T03"]["explanation"] == "90,5/95 × 4 = 3,81"


def test_display_uses_the_sets_decimals(tmp_path):
    library = {**LIBRARY, "set": {**LIBRARY["set"], "display_decimals": 1}}
    code, out, _ = run(tmp_path, {"T03": {"rate": "90"}}, library)
    assert code == 0
    assert json.loads(out)["criteria"]["T03"]["display"] == "3,8"
    assert json.loads(out)["criteria"]["T03"]["score"] == "3.789474"


def test_a_complete_level(tmp_path):
    code, out, _ = run(tmp_path, {"X01": {"rate": 30}}, level="xa")
    report = json.loads(out)
    assert (code, report["total"], report["total_display"], report["complete"]) == (
        0,
        "50.000000",
        "50,00",
        True,
    )


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"T03": {"rate": "120"}}, "T03 › rate: Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 120)"),
        ({"T15": {"numerator": 5, "denominator": 4}}, "T15 › numerator: Tử số không được lớn hơn"),
        ({"X01": {"rate": 1}}, "X01: Tiêu chí không thuộc cấp tinh"),
        (
            {"T01": {"plan_issued": {"due": "2023-01-31", "actual": "2030-01-01"}}},
            "T01 › plan_issued.actual",
        ),
    ],
)
def test_bad_input_exits_2_naming_criterion_and_field(tmp_path, inputs, message):
    code, out, err = run(tmp_path, inputs)
    assert (code, out) == (2, "")
    assert message in err


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", ""])
def test_unreadable_inputs_exit_2(tmp_path, raw):
    code, _, err = run(tmp_path, raw_inputs=raw)
    assert code == 2
    assert "Không đọc được tệp số liệu" in err


def test_a_bad_library_exits_2_listing_problems(tmp_path):
    library = library_data(("tinh", [criterion_data("T01", "ratio", {"target": 120}, points=90)]))
    library["levels"][0]["scale"] = 100
    code, out, err = run(tmp_path, {}, library)
    assert (code, out) == (2, "")
    assert "không hợp lệ" in err
    assert (
        "- tinh › T01 › params.target: phải là số phần trăm trong (0, 100] (nhận được 120)" in err
    )
    assert "- tinh › scale:" not in err  # no total check while a criterion is broken


def test_an_unknown_level_exits_2_naming_the_levels(tmp_path):
    code, _, err = run(tmp_path, {}, level="huyen")
    assert code == 2
    assert "Không có cấp 'huyen' trong bộ tiêu chí (các cấp: tinh, xa)" in err


def test_the_level_is_required(tmp_path):
    code, _, err = run(tmp_path, {}, level=None)
    assert code == 2
    assert "--level" in err
