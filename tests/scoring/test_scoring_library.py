from datetime import date
from fractions import Fraction

import pytest
import yaml
from scoring_helpers import criterion_data, library_data

from thidua.scoring import Criterion, Library, LibraryError, load_library, parse_library


def test_a_valid_library_loads():
    library = parse_library(library_data())
    assert isinstance(library, Library)
    assert library.meta.code == "test-set"
    assert library.meta.decision_date == date(2023, 10, 5)
    assert (library.meta.na_policy, library.meta.display_decimals) == ("rescale", 2)
    level = library.level("tinh")
    assert (level.code, level.name, level.scale) == ("tinh", "Cấp tinh", 100)
    criterion = library.criterion("T02")
    assert isinstance(criterion, Criterion)
    assert criterion is level.criterion("T02")
    assert (criterion.points, criterion.points_confirmed, criterion.evidence_required) == (
        40,
        True,
        True,
    )
    assert (criterion.kind, criterion.params, criterion.rule.target) == (
        "ratio",
        {"target": 95},
        95,
    )
    assert (criterion.data_source, criterion.source_note) == (None, None)
    with pytest.raises(KeyError):
        library.level("xa")
    with pytest.raises(KeyError):
        library.criterion("T03")


def mutate(path, value):
    """A valid library with the value at `path` (a tuple of keys) replaced or deleted."""
    data = library_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()
T01 = ("levels", 0, "criteria", 0)


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("format",), "thidua/2", "format: phải là 'thidua-criteria/1' (nhận được 'thidua/2')"),
        (("extra",), 1, "extra: khóa không được hỗ trợ"),
        (("set",), DELETE, "set: thiếu thông tin bộ tiêu chí"),
        (("set", "name"), "  ", "set › name: phải là một chuỗi không rỗng"),
        (("set", "issuer"), DELETE, "set › issuer: phải là một chuỗi không rỗng"),
        (("set", "code"), "bộ tiêu chí", "set › code: mã chỉ gồm chữ, số"),
        (
            ("set", "decision_date"),
            "05/10/2023",
            "set › decision_date: phải là ngày dạng YYYY-MM-DD",
        ),
        (("set", "year"), "2023", "set › year: phải là năm"),
        (("set", "year"), True, "set › year: phải là năm"),
        (
            ("set", "version"),
            2023.1,
            'set › version: phải là chuỗi, đặt trong dấu nháy như "2023.1"',
        ),
        (
            ("set", "na_policy"),
            "zero",
            "set › na_policy: phải là rescale hoặc full_points (nhận được 'zero')",
        ),
        (
            ("set", "display_decimals"),
            7,
            "set › display_decimals: phải là số nguyên từ 0 đến 6 (nhận được 7)",
        ),
        (("set", "display_decimals"), "2", "set › display_decimals: phải là số nguyên từ 0 đến 6"),
        (("set", "owner"), "x", "set › owner: khóa không được hỗ trợ"),
        (("levels",), [], "levels: phải là một danh sách cấp không rỗng"),
        (("levels", 0, "code"), "Tỉnh", "levels[0] › code: mã cấp chỉ gồm chữ thường"),
        (("levels", 0, "name"), "", "tinh › name: phải là một chuỗi không rỗng"),
        (("levels", 0, "scale"), 0, "tinh › scale: phải lớn hơn 0 (nhận được 0)"),
        (
            ("levels", 0, "scale"),
            90,
            "tinh › scale: tổng điểm chuẩn các tiêu chí (100) khác thang điểm (90)",
        ),
        (
            ("levels", 0, "criteria"),
            [],
            "tinh › criteria: phải là một danh sách tiêu chí không rỗng",
        ),
        (("levels", 0, "weight"), 1, "tinh › weight: khóa không được hỗ trợ"),
        ((*T01, "code"), "T1a", "tinh › criteria[0] › code: mã tiêu chí phải dạng T01, H15, X14"),
        ((*T01, "code"), "T02", "tinh › T02 › code: mã tiêu chí bị trùng (đã có ở cấp tinh)"),
        ((*T01, "content"), "", "tinh › T01 › content: phải là một chuỗi không rỗng"),
        ((*T01, "rule_text"), DELETE, "tinh › T01 › rule_text: phải là một chuỗi không rỗng"),
        (
            (*T01, "evidence_basis"),
            None,
            "tinh › T01 › evidence_basis: phải là một chuỗi không rỗng",
        ),
        ((*T01, "points"), 0, "tinh › T01 › points: phải lớn hơn 0 (nhận được 0)"),
        ((*T01, "points"), "-5", "tinh › T01 › points: phải lớn hơn 0 (nhận được -5)"),
        ((*T01, "points"), "sáu", "tinh › T01 › points: phải là số"),
        (
            (*T01, "points"),
            59,
            "tinh › scale: tổng điểm chuẩn các tiêu chí (99) khác thang điểm (100)",
        ),
        (
            (*T01, "points_confirmed"),
            False,
            "tinh › T01 › source_note: bắt buộc khi points_confirmed là false",
        ),
        (
            (*T01, "points_confirmed"),
            "no",
            "tinh › T01 › points_confirmed: phải là true hoặc false",
        ),
        ((*T01, "evidence_required"), 1, "tinh › T01 › evidence_required: phải là true hoặc false"),
        ((*T01, "weight"), 1, "tinh › T01 › weight: khóa không được hỗ trợ"),
        (
            (*T01, "kind"),
            "percentage",
            "tinh › T01 › kind: loại quy tắc không được hỗ trợ: 'percentage'",
        ),
        ((*T01, "params"), DELETE, "tinh › T01 › params.target: thiếu tham số bắt buộc"),
        ((*T01, "params"), [95], "tinh › T01 › params: phải là một bảng tham số"),
        ((*T01, "params", "goal"), 1, "tinh › T01 › params.goal: tham số không được hỗ trợ"),
        (
            (*T01, "params", "target"),
            120,
            "tinh › T01 › params.target: phải là số phần trăm trong (0, 100] (nhận được 120)",
        ),
        (
            (*T01, "params", "target"),
            0,
            "tinh › T01 › params.target: phải là số phần trăm trong (0, 100] (nhận được 0)",
        ),
        ((*T01, "params", "target"), "cao", "tinh › T01 › params.target: phải là số phần trăm"),
        (
            (*T01, "params", "numerator_label"),
            "",
            "tinh › T01 › params.numerator_label: phải là một chuỗi không rỗng",
        ),
    ],
)
def test_it_rejects_broken_libraries(path, value, problem):
    with pytest.raises(LibraryError) as info:
        parse_library(mutate(path, value))
    assert any(p.startswith(problem) for p in info.value.problems), info.value.problems


def test_points_confirmed_false_with_a_note_is_fine():
    data = mutate((*T01, "points_confirmed"), False)
    data["levels"][0]["criteria"][0]["source_note"] = "Điểm không đọc được trong bản quét"
    criterion = parse_library(data).criterion("T01")
    assert (criterion.points_confirmed, criterion.source_note) == (
        False,
        "Điểm không đọc được trong bản quét",
    )


def test_it_reports_every_problem_at_once():
    data = library_data(
        ("tinh", [criterion_data("T01", points=60), criterion_data("T02", points=40)]),
        ("xa", [criterion_data("T01", "ratio", {"target": 120}, points=100)]),
    )
    data["set"]["display_decimals"] = 9
    data["levels"][0]["criteria"][1]["kind"] = "nope"
    with pytest.raises(LibraryError) as info:
        parse_library(data)
    assert info.value.problems == [
        "set › display_decimals: phải là số nguyên từ 0 đến 6 (nhận được 9)",
        "tinh › T02 › kind: loại quy tắc không được hỗ trợ: 'nope' (chỉ dùng: bands, choice, "
        "deadline, formula, late_entries, ratio, threshold)",
        "xa › T01 › code: mã tiêu chí bị trùng (đã có ở cấp tinh)",
        "xa › T01 › params.target: phải là số phần trăm trong (0, 100] (nhận được 120)",
    ]
    assert str(info.value) == "\n".join(info.value.problems)


def test_duplicate_level_codes_are_rejected():
    data = library_data(
        ("tinh", [criterion_data("T01", points=100)]), ("tinh", [criterion_data("T02", points=100)])
    )
    with pytest.raises(LibraryError) as info:
        parse_library(data)
    assert info.value.problems == ["levels[1] › code: mã cấp bị trùng: tinh"]


def test_it_rejects_data_that_is_not_a_mapping():
    with pytest.raises(LibraryError) as info:
        parse_library(["format"])
    assert info.value.problems == ["Thư viện phải là một bảng gồm format, set, levels"]


def test_it_accepts_the_stored_form_with_strings_for_numbers():
    data = library_data(
        ("tinh", [criterion_data("T01", points="2.5"), criterion_data("T02", points="7,5")])
    )
    data["levels"][0]["scale"] = "10"
    data["set"]["na_policy"] = "full_points"
    data["set"]["display_decimals"] = 0
    library = parse_library(data)
    assert [c.points for c in library.levels[0].criteria] == [Fraction(5, 2), Fraction(15, 2)]
    assert (library.meta.na_policy, library.meta.display_decimals) == ("full_points", 0)


YAML = """\
format: thidua-criteria/1
set:
  code: test-set
  name: Bộ tiêu chí thử
  decision: 1/QĐ-UBND
  decision_date: 2023-10-05
  issuer: Ủy ban nhân dân tỉnh
  province: Sóc Trăng
  year: 2023
  version: "2023.1"
levels:
  - code: xa
    name: Đơn vị cấp xã
    scale: 10
    criteria:
      - code: X01
        content: Tỷ lệ hồ sơ
        points: 2.3
        kind: ratio
        params: {target: 60}
        rule_text: Điểm = Tỷ lệ đạt/60 × điểm chuẩn
        evidence_basis: Báo cáo
      - code: X02
        content: Văn bản điện tử
        points: 7.7
        kind: ratio
        params: {target: 100}
        rule_text: Điểm = Tỷ lệ đạt × điểm chuẩn
        evidence_basis: Báo cáo
"""


def test_load_library_reads_yaml_with_exact_decimals(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(YAML, encoding="utf-8")
    library = load_library(path)
    # YAML parses 2.3 as a float; the library must still hold exactly 23/10.
    assert library.criterion("X01").points == Fraction(23, 10)
    assert library.level("xa").scale == 10


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (YAML.replace("  issuer:", "  name: Trùng\n  issuer:"), "khóa bị trùng: 'name'"),
        (YAML.replace("levels:", "levels: ["), "Tệp YAML không hợp lệ"),
        (
            YAML.replace("points: 7.7", "points: 7.6"),
            "xa › scale: tổng điểm chuẩn các tiêu chí (9,9)",
        ),
        ("- 1\n- 2\n", "Thư viện phải là một bảng"),
    ],
)
def test_load_library_reports_file_problems(tmp_path, text, problem):
    path = tmp_path / "lib.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LibraryError) as info:
        load_library(path)
    assert any(problem in p for p in info.value.problems), info.value.problems


def test_load_library_reports_a_missing_file(tmp_path):
    with pytest.raises(LibraryError) as info:
        load_library(tmp_path / "missing.yaml")
    assert info.value.problems[0].startswith("Không đọc được tệp")


def test_yaml_round_trip_of_the_helper_library(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(yaml.safe_dump(library_data(), allow_unicode=True), encoding="utf-8")
    assert [c.code for c in load_library(path).levels[0].criteria] == ["T01", "T02"]
