"""Excel exports opened with openpyxl: numbers as numbers, frozen headers, no formulas."""

import io
import tempfile
import zipfile
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from thidua.assessments.scores import score_sheet
from thidua.exports.rows import (
    Column,
    Report,
    Section,
    ranking_report,
    score_sheet_report,
    to_decimal,
)
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


def layout_report(**overrides) -> Report:
    """Every kind of row and value a report holds, in one sheet."""
    fields = {
        "title": "KẾT QUẢ",
        "subtitle": ["Cấp xã", "Kết quả sơ bộ"],
        "columns": [
            Column("STT", 7, numeric=True, decimals=0),
            Column("Đơn vị", 30),
            Column("Điểm chuẩn", 9, numeric=True, decimals=-1),
            Column("Tổng điểm", 10, numeric=True),
            Column("Đạt", 8),
        ],
        "rows": [
            Section("I. Đơn vị cấp xã"),
            [1, "Phường 5", Fraction(5, 2), Fraction(8753, 100), True],
            [2, "Phường 7", Decimal("8"), None, False],
        ],
        "footer": ["", "Tổng cộng", 100, Fraction(2, 3), None],
        "notes": ["N/A: không áp dụng", "Xuất lúc 08:00"],
        "decimals": 3,
        "sheet_name": "Xếp hạng",
        "landscape": True,
    }
    return Report(**(fields | overrides))


def test_the_sheet_keeps_its_layout_and_print_setup():
    _, sheet = open_sheet(render_xlsx(layout_report()))
    assert sheet.title == "Xếp hạng"
    assert sheet["A1"].value == "KẾT QUẢ" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A2"].value == "Cấp xã" and sheet["A2"].font.i
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A1:E1", "A2:E2", "A3:E3", "A6:E6"} <= merged  # title, subtitles, section
    assert sheet.freeze_panes == "A6"  # below the header, row 5 (row 4 empty)
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.row_dimensions[5].height >= 32
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0  # as many pages down as it takes, one across
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out
    assert [sheet.column_dimensions[letter].width for letter in "ABCDE"] == [7, 30, 9, 10, 8]

    portrait = open_sheet(render_xlsx(layout_report(landscape=False)))[1]
    assert portrait.page_setup.orientation == "portrait"


def test_every_cell_keeps_its_look():
    _, sheet = open_sheet(render_xlsx(layout_report()))
    every = [cell for row in sheet.iter_rows() for cell in row if cell.has_style]
    assert every and {cell.font.name for cell in every} == {"Times New Roman"}

    head = sheet[5]
    assert [cell.value for cell in head] == ["STT", "Đơn vị", "Điểm chuẩn", "Tổng điểm", "Đạt"]
    for cell in head:
        assert cell.font.b and cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb.endswith("DDEBF7")
        assert cell.border.left.style == cell.border.bottom.style == "thin"
        assert cell.border.top.color.rgb.endswith("808080")
        assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text

    section = sheet["A6"]
    assert section.value == "I. Đơn vị cấp xã" and section.font.b
    assert section.fill.fgColor.rgb.endswith("F2F2F2")

    ward5, ward7, footer = sheet[7], sheet[8], sheet[9]
    assert ward5[0].value == 1 and ward5[0].number_format == "0"
    assert ward5[2].value == 2.5 and ward5[2].number_format == "General"  # points as written
    assert ward5[3].value == pytest.approx(87.53) and ward5[3].number_format == "0.000"
    assert ward5[3].alignment.horizontal == "right" and ward5[1].alignment.horizontal is None
    assert ward5[1].border.left.style == "thin" and not ward5[1].font.b
    assert [ward5[4].value, ward7[4].value] == ["Có", "Không"]
    empty = ward7[3]
    assert empty.value is None and empty.border.left.style == "thin"  # boxed, even empty
    assert footer[1].value == "Tổng cộng" and all(cell.font.b for cell in footer)
    assert footer[3].value == pytest.approx(0.666667)  # six places, as spreadsheets keep

    assert sheet["A10"].value is None  # an empty row before the notes
    notes = [sheet["A11"], sheet["A12"]]
    assert [note.value for note in notes] == ["N/A: không áp dụng", "Xuất lúc 08:00"]
    assert all(note.font.i and note.font.sz == 10 for note in notes)


def test_text_shaped_like_xlsxwriter_markup_is_written_escaped():
    # XlsxWriter copies a string "<r>…</r>" into the sheet's XML as it is (its rich text):
    # such a name could close its cell and open a formula cell.
    injected = '<r><t>a</t></r></is></c><c r="Z1"><f>1+1</f><v>2</v></c><c><is><r><t>b</t></r>'
    report = layout_report(
        title=injected, rows=[[1, injected, None, None, None], [2, "=" + injected, 1, 1, 1]]
    )
    content = render_xlsx(report)
    _, sheet = open_sheet(content)
    assert sheet["A1"].value == injected
    assert sheet["B6"].value == injected and sheet["B6"].data_type == "s"
    assert sheet["B7"].value == "=" + injected and sheet["B7"].quotePrefix
    assert sheet["B6"].font.name == "Times New Roman"
    assert sheet["Z1"].value is None
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml


def test_control_characters_are_escaped_the_way_excel_reads_them():
    texts = ["Phường\x075", "\r=1+1", "_x0041_ as typed"]
    report = Report(title="T", columns=[Column("Tên")], rows=[[text] for text in texts])
    _, sheet = open_sheet(render_xlsx(report))
    # openpyxl leaves Excel's _xHHHH_ escapes as they are; Excel reads them back.
    values = [unescape(sheet.cell(row=4 + index, column=1).value) for index in range(3)]
    assert values == texts
    assert sheet["A5"].quotePrefix


def test_sheet_names_are_made_acceptable_to_excel_and_unique():
    reports = [
        Report(title="T", columns=[Column("A")], rows=[], sheet_name=name)
        for name in ["Đề nghị 01/2024", "đề nghị 01/2024", "'Điều chỉnh'", "", "x" * 40]
    ]
    workbook, _ = open_sheet(render_xlsx(*reports))
    assert workbook.sheetnames == [
        "Đề nghị 01-2024",
        "đề nghị 01-2024 (2)",
        "Điều chỉnh",
        "Báo cáo",
        "x" * 31,
    ]


def test_a_row_that_does_not_fit_the_columns_fails_and_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    report = Report(title="T", columns=[Column("A"), Column("B")], rows=[["a", "b"], ["c"]])
    with pytest.raises(ValueError, match="row of 1 values for 2 columns"):
        render_xlsx(report)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="do not fit"):
        render_xlsx(Report(title="T", columns=[Column("A")] * 16_385, rows=[]))
