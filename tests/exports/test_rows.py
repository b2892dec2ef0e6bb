"""Row generators: typed values, the decision's columns, ties and N/A."""

from decimal import Decimal
from fractions import Fraction

import pytest

from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet
from thidua.exports.rows import (
    NOT_APPLICABLE,
    NOT_STARTED,
    Section,
    format_number,
    ranking_report,
    score_sheet_report,
    to_decimal,
    vietnamese_date,
)
from thidua.results.ranking import build_ranking
from thidua.units.models import Level


def rows_by_code(report, code_column=2):
    return {row[code_column]: row for row in report.rows if not isinstance(row, Section)}


@pytest.mark.django_db
def test_it_ranks_a_level_with_one_typed_column_per_criterion(filled, period):
    ranking = build_ranking(period, Level.objects.get(code="xa"))
    report = ranking_report(ranking)
    header = next(report.iterate())
    assert header[:5] == ["STT", "Hạng", "Mã", "Đơn vị", "Huyện"]
    assert header[5] == "X01\n(8)"
    assert header[5 : 5 + 14] == [f"{c.code}\n({c.points})" for c in ranking.criteria]
    assert header[-3:] == ["Tổng điểm", "Xếp loại", "Trạng thái"]
    rows = rows_by_code(report)
    ward5, ward7, ward6, ward8 = (rows[code] for code in ("31498", "31501", "31507", "31504"))
    assert ward5[3] == "Phường 5" and ward5[4] == "Thành phố Sóc Trăng"
    assert isinstance(ward5[-3], Fraction)
    assert ward5[-3] > ward7[-3] == ward6[-3] > ward8[-3]
    assert (ward5[1], ward7[1], ward6[1], ward8[1]) == (1, 2, 2, 4)  # Phường 7 and 6 tie
    assert ward5[-1] == "Sơ bộ"
    assert ward8[-1] == "Sơ bộ (chưa chấm đủ)"
    assert ward5[5 + 4] == NOT_APPLICABLE  # X05 not applicable
    assert rows["31510"][1] is None and rows["31510"][-1] == NOT_STARTED
    assert rows["31510"][5] is None and rows["31510"][-3] is None
    assert report.landscape and "sơ bộ" in report.subtitle[1]


@pytest.mark.django_db
def test_it_leaves_criterion_columns_out_for_a_reduced_ranking(filled, period):
    report = ranking_report(build_ranking(period, Level.objects.get(code="tinh")), detail=False)
    header = next(report.iterate())
    assert header == ["STT", "Hạng", "Mã", "Đơn vị", "Tổng điểm", "Xếp loại", "Trạng thái"]


@pytest.mark.django_db
def test_it_lays_a_score_sheet_out_as_the_decisions_table(filled, period):
    sheet = score_sheet(filled["ward5"])
    report = score_sheet_report(sheet)
    assert next(report.iterate()) == [
        "STT",
        "Nội dung tiêu chí",
        "Điểm chuẩn",
        "Điểm tự chấm",
        "Điểm thẩm định",
        "Ghi chú",
    ]
    first, x03, x04, x05 = report.rows[0], report.rows[2], report.rows[3], report.rows[4]
    assert first[0] == 1 and first[1].startswith("X01. ")
    assert first[2] == Fraction(8) and isinstance(first[3], Fraction)
    assert first[4] is None  # not verified yet
    assert x03[4] == Fraction(25, 3)  # 50% of a 60% target on 10 points
    assert "Nguồn số liệu thẩm định: Hệ thống quản lý văn bản và điều hành" in x03[5]
    assert x04[4] == x04[3] and isinstance(x04[4], Fraction)  # accepted as reported
    assert x04[5].startswith(
        "Thẩm định: chấp nhận số liệu đơn vị tự đánh giá\nÝ kiến thẩm định: Khớp số liệu Cổng DVC"
    )
    assert x05[4] == NOT_APPLICABLE
    assert x05[5].startswith("Không áp dụng: Phường không có bộ phận một cửa riêng")
    assert report.footer[1] == "Tổng cộng"
    assert report.footer[4] == sheet.final_total.total
    assert report.footer[5].startswith("Quy đổi:")  # X05 left out: rescaled to 100


@pytest.mark.django_db
def test_an_untouched_assessment_gives_an_empty_sheet(cast, period):
    from thidua.units.models import Unit

    assessment = Assessment(period=period, unit=Unit.objects.get(code="31513"))
    report = score_sheet_report(score_sheet(assessment))
    assert len(report.rows) == 14
    assert report.footer[3] == 0
    assert "Chưa tự đánh giá" in report.subtitle[2]


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(8753, 100), 2, "87,53"),
        (Fraction(2, 3), 2, "0,67"),
        (Fraction(5, 2), None, "2,5"),
        (Fraction(8), None, "8"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (7, 0, "7"),
    ],
)
def test_it_formats_numbers_the_vietnamese_way(value, places, text):
    assert format_number(value, places) == text


def test_spreadsheet_numbers_keep_six_places():
    assert to_decimal(Fraction(2, 3)) == Decimal("0.666667")
    assert to_decimal(Fraction(8753, 100)) == Decimal("87.530000")


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ((2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        ((2023, 12, 15), "ngày 15 tháng 12 năm 2023"),
        ((2023, 3, 1), "ngày 01 tháng 3 năm 2023"),
    ],
)
def test_dates_follow_decree_30(day, text):
    import datetime

    assert vietnamese_date(datetime.date(*day)) == text
