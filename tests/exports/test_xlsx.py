"""Excel exports opened with openpyxl: numbers as numbers, frozen headers, no formulas."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from thidua.assessments.scores import score_sheet
from thidua.exports.rows import Column, Report, ranking_report, score_sheet_report, to_decimal
from thidua.exports.xlsx import render_xlsx
from thidua.results.ranking import build_ranking
from thidua.units.models import Level

from .support import HOSTILE_NAME


def open_sheet(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return workbook, workbook.worksheets[0]


def header_row(sheet, first="STT") -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError("no header row")


def rows_by_code(sheet, header, code_col):
    return {
        row[code_col - 1].value: row
        for row in sheet.iter_rows(min_row=header + 1)
        if row[code_col - 1].value
    }


@pytest.mark.django_db
def test_the_ranking_workbook_holds_numbers_and_vietnamese_headers(filled, period):
    ranking = build_ranking(period, Level.objects.get(code="xa"))
    _, sheet = open_sheet(render_xlsx(ranking_report(ranking)))
    assert sheet["A1"].value == "KẾT QUẢ XẾP HẠNG THI ĐUA CHUYỂN ĐỔI SỐ NĂM 2023"
    head = header_row(sheet)
    headers = [cell.value for cell in sheet[head]]
    assert headers[:5] == ["STT", "Hạng", "Mã", "Đơn vị", "Huyện"]
    assert "Tổng điểm" in headers and "Xếp loại" in headers and "Trạng thái" in headers
    assert sheet.freeze_panes == f"A{head + 1}"
    assert sheet.column_dimensions["D"].width == 30

    total_col = headers.index("Tổng điểm") + 1
    rows = rows_by_code(sheet, head, 3)
    ward5 = rows["31498"]
    expected = next(row for row in ranking.rows if row.unit.code == "31498")
    total = ward5[total_col - 1]
    assert total.data_type == "n" and isinstance(total.value, int | float | Decimal)
    assert Decimal(str(total.value)) == to_decimal(expected.total)
    assert total.number_format == "0.00"
    assert ward5[1].value == 1 and ward5[3].value == "Phường 5"
    x01 = ward5[5]
    assert x01.data_type == "n" and x01.value == 8
    assert rows["31501"][1].value == rows["31507"][1].value == 2


@pytest.mark.django_db
def test_a_unit_named_like_a_formula_stays_text(filled, period):
    content = render_xlsx(ranking_report(build_ranking(period, Level.objects.get(code="tinh"))))
    _, sheet = open_sheet(content)
    head = header_row(sheet)
    hostile = rows_by_code(sheet, head, 3)["SO-HACK"][3]
    assert hostile.value == HOSTILE_NAME
    assert hostile.data_type == "s"
    assert hostile.quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml


def test_every_text_that_excel_would_evaluate_is_neutralised():
    texts = ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1", "Phường 5"]
    report = Report(title="T", columns=[Column("Tên")], rows=[[text] for text in texts])
    _, sheet = open_sheet(render_xlsx(report))
    cells = [sheet.cell(row=4 + index, column=1) for index in range(len(texts))]
    assert [cell.value for cell in cells] == texts
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.quotePrefix for cell in cells] == [True] * 5 + [False]


@pytest.mark.django_db
def test_the_score_sheet_workbook_has_the_decisions_columns_and_totals(filled):
    sheet_data = score_sheet(filled["ward5"])
    _, sheet = open_sheet(render_xlsx(score_sheet_report(sheet_data)))
    head = header_row(sheet)
    assert [cell.value for cell in sheet[head]] == [
        "STT",
        "Nội dung tiêu chí",
        "Điểm chuẩn",
        "Điểm tự chấm",
        "Điểm thẩm định",
        "Ghi chú",
    ]
    assert sheet.freeze_panes == f"A{head + 1}"
    first = sheet[head + 1]
    assert first[1].value.startswith("X01. ")
    assert first[2].value == 8 and first[2].data_type == "n"
    x05 = sheet[head + 5]
    assert x05[4].value == "N/A" and "Không áp dụng" in x05[5].value
    total = sheet[head + 15]
    assert total[1].value == "Tổng cộng"
    assert Decimal(str(total[4].value)) == to_decimal(sheet_data.final_total.total)
    assert total[4].font.b
