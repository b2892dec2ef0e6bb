from fractions import Fraction

import pytest
from scoring_helpers import assert_explanation_matches, make_criterion

from thidua.scoring import InputError, score_criterion

T02 = make_criterion(
    "choice",
    {
        "options": [
            {"code": "dai_hoc", "label": "Đại học trở lên", "points": 5},
            {"code": "cao_dang_trung_cap", "label": "Cao đẳng, trung cấp", "points": 4},
            {"code": "dat_chuan", "label": "Đạt chuẩn", "points": 3},
            {"code": "khong", "label": "Không bố trí", "points": 0},
        ]
    },
    points=5,
    code="T02",
)
T13 = make_criterion(
    "choice",
    {
        "options": [
            {"code": "to_chuc", "label": "Tổ chức triển khai", "points": "P"},
            {"code": "phoi_hop", "label": "Phối hợp triển khai", "points": "P-2"},
            {"code": "mot_nua", "label": "Một nửa", "points": "P/2"},
            {"code": "mot_phan_ba", "label": "Một phần ba", "points": "P / 3"},
            {"code": "khong", "label": "Không", "points": "0"},
        ]
    },
    points=7,
    code="T13",
)


@pytest.mark.parametrize(
    ("criterion", "option", "score", "explanation"),
    [
        (T02, "dai_hoc", 5, "Đại học trở lên → 5"),
        (T02, "cao_dang_trung_cap", 4, "Cao đẳng, trung cấp → 4"),
        (T02, "dat_chuan", 3, "Đạt chuẩn → 3"),
        (T02, "khong", 0, "Không bố trí → 0"),
        (T13, "to_chuc", 7, "Tổ chức triển khai → điểm chuẩn 7"),
        (T13, "phoi_hop", 5, "Phối hợp triển khai: 7 − 2 = 5"),
        (T13, "mot_nua", Fraction(7, 2), "Một nửa: 7/2 = 3,5"),
        (T13, "mot_phan_ba", Fraction(7, 3), "Một phần ba: 7/3 = 2,33"),
        (T13, "khong", 0, "Không → 0"),
    ],
)
def test_choice_scores(criterion, option, score, explanation):
    result = score_criterion(criterion, {"option": option})
    assert (result.status, result.score, result.explanation) == ("scored", score, explanation)
    assert_explanation_matches(result)


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"option": "tien_si"}, "option", "Lựa chọn không có trong danh sách: 'tien_si'"),
        ({"option": 5}, "option", "Lựa chọn không có trong danh sách: 5"),
        ({"option": ["dai_hoc"]}, "option", "Lựa chọn không có trong danh sách"),
        ({"choice": "dai_hoc"}, "choice", "Trường không hợp lệ (chỉ dùng: option)"),
        ({"option": "dai_hoc", "na": "yes"}, "na", "Phải là true hoặc false"),
    ],
)
def test_invalid_choices_are_rejected(given, field, message):
    with pytest.raises(InputError) as info:
        score_criterion(T02, given)
    assert (info.value.criterion, info.value.field) == ("T02", field)
    assert info.value.message.startswith(message)


def test_choice_input_field_lists_options_with_points():
    (field,) = T13.rule.input_fields()
    assert (field.name, field.type, field.required) == ("option", "choice", True)
    assert [(c.code, c.points) for c in field.choices] == [
        ("to_chuc", 7),
        ("phoi_hop", 5),
        ("mot_nua", Fraction(7, 2)),
        ("mot_phan_ba", Fraction(7, 3)),
        ("khong", 0),
    ]


def test_relative_points_follow_a_corrected_p():
    corrected = make_criterion("choice", T13.params, points=9)
    assert score_criterion(corrected, {"option": "phoi_hop"}).score == 7
