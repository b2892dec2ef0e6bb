"""Reading and validating a whole source-data file: every bad row named, nothing written."""

import datetime
import io
import random
import zipfile

import pytest

from thidua.assessments.models import Assessment
from thidua.sources import reading
from thidua.sources.parsing import parse_source_file
from thidua.sources.reading import INVALID_XLSX, SourceFileError
from thidua.sources.services import catalog_for

from .helpers import DVC, assessment_of, csv_bytes, xlsx_bytes


@pytest.fixture
def catalog(units, period):
    return catalog_for(period)


def parse(catalog, data, name="dvc.csv", label=DVC):
    return parse_source_file(data, name, catalog, label=label)


def problems(catalog, data, name="dvc.csv", label=DVC):
    with pytest.raises(SourceFileError) as caught:
        parse(catalog, data, name, label)
    return caught.value.problems


def test_it_reads_rates_and_counts_in_canonical_form(catalog):
    parsed = parse(
        catalog,
        csv_bytes(
            "31498,X06,90.5,,",
            '31501,x06,"90,50",,',
            "941,H08,,45,50",
            "SO-TTTT,T14,100%,,",
            "31504,X12,,0,0",
        ),
    )
    assert parsed.label == DVC and parsed.file_format == "csv"
    assert [(v.line, v.unit_code, v.criterion_code, v.inputs) for v in parsed.values] == [
        (2, "31498", "X06", {"rate": "90.5"}),
        (3, "31501", "X06", {"rate": "90.5"}),
        (4, "941", "H08", {"numerator": 45, "denominator": 50}),
        (5, "SO-TTTT", "T14", {"rate": "100"}),
        (6, "31504", "X12", {"numerator": 0, "denominator": 0}),
    ]


def test_it_accepts_vietnamese_headers_semicolons_decimal_commas_and_a_bom(catalog):
    data = csv_bytes(
        "31498;Phường 5;X06;90,5;;",
        "31501;Phường 7;X06;;41;50",
        header="Mã đơn vị;Tên đơn vị;Mã tiêu chí;Tỷ lệ (%);Tử số;Mẫu số",
        bom=True,
    )
    parsed = parse(catalog, data)
    assert [v.inputs for v in parsed.values] == [
        {"rate": "90.5"},
        {"numerator": 41, "denominator": 50},
    ]
    assert parsed.ignored_columns == ["Tên đơn vị"]


def test_it_reads_a_rate_only_file_without_count_columns(catalog):
    parsed = parse(catalog, csv_bytes("31498,X06,75", header="ma_don_vi,ma_tieu_chi,ty_le"))
    assert parsed.values[0].inputs == {"rate": "75"}


BAD_ROWS = [
    # (row, column, part of the message)
    ("NO-SUCH,X06,90,,", "unit_code", "Mã đơn vị 'NO-SUCH' không có trong danh sách đơn vị"),
    ("31498,T03,90,,", "criterion_code", "Mã tiêu chí 'T03' không thuộc bộ tiêu chí"),
    ("31498,ZZ9,90,,", "criterion_code", "Mã tiêu chí 'ZZ9' không thuộc bộ tiêu chí"),
    ("31498,X01,90,,", "criterion_code", "không phải theo tỷ lệ"),
    ("31498,X14,90,,", "criterion_code", "không phải theo tỷ lệ"),
    ("31498,X06,101,,", "rate", "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 101)"),
    ("31498,X06,-0.5,,", "rate", "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được -0,5)"),
    ("31498,X06,abc,,", "rate", "Tỷ lệ phải là số"),
    ("31498,X06,1.000.5,,", "rate", "Tỷ lệ phải là số"),
    ("31498,X06,,5,3", "numerator", "Tử số không được lớn hơn mẫu số (5 > 3)"),
    ("31498,X06,,-1,3", "numerator", "Tử số phải là số nguyên không âm"),
    ("31498,X06,,2.5,3", "numerator", "Tử số phải là số nguyên"),
    ("31498,X06,,1,-3", "denominator", "Mẫu số phải là số nguyên không âm"),
    ("31498,X06,90,1,2", "rate", "Chỉ nhập tỷ lệ hoặc tử số/mẫu số, không nhập cả hai"),
    ("31498,X06,,,", "rate", "Thiếu số liệu: cần tỷ lệ, hoặc tử số và mẫu số"),
    ("31498,X06,,5,", "denominator", "Thiếu mẫu số"),
    (",X06,90,,", "unit_code", "Thiếu mã đơn vị"),
    ("31498,,90,,", "criterion_code", "Thiếu mã tiêu chí"),
    ("31498,X06,90,,,9", None, "Dòng có 6 ô nhưng tiêu đề chỉ có 5 cột"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS, ids=[r[2] for r in BAD_ROWS])
def test_it_names_a_bad_row_by_line_column_and_the_engines_message(catalog, row, column, message):
    found = problems(catalog, csv_bytes("31501,X06,80,,", row))
    assert len(found) == 1, found
    assert found[0].line == 3
    assert found[0].column == column
    assert message in found[0].message
    assert str(found[0]).startswith("Dòng 3" + (f", cột {column}" if column else "") + ": ")


def test_it_reports_every_bad_row_of_a_file_at_once(catalog):
    rows = ["31501,X06,80,,"] + [row for row, _, _ in BAD_ROWS] + ["31504,X06,70,,"]
    found = problems(catalog, csv_bytes(*rows))
    assert sorted({p.line for p in found}) == list(range(3, 3 + len(BAD_ROWS)))


def test_it_reports_both_an_unknown_unit_and_an_unknown_criterion(catalog):
    found = problems(catalog, csv_bytes("NO-SUCH,ZZ9,90,,"))
    assert [(p.line, p.column) for p in found] == [(2, "unit_code"), (2, "criterion_code")]


def test_it_refuses_a_second_row_for_the_same_unit_and_criterion(catalog):
    found = problems(catalog, csv_bytes("31498,X06,90,,", "31501,X06,90,,", "31498,x06,80,,"))
    assert [(p.line, p.column) for p in found] == [(4, "criterion_code")]
    assert "Trùng với dòng 2" in found[0].message


def test_it_refuses_a_unit_whose_assessment_is_finalized(units, period):
    assessment_of("31501", period, state=Assessment.State.FINALIZED)
    found = problems(catalog_for(period), csv_bytes("31498,X06,90,,", "31501,X06,90,,"))
    assert [(p.line, p.column) for p in found] == [(3, "unit_code")]
    assert "đã chốt kết quả" in found[0].message


def test_it_refuses_an_inactive_unit(units, period):
    from thidua.units.models import Unit

    Unit.objects.filter(code="31501").update(is_active=False)
    found = problems(catalog_for(period), csv_bytes("31501,X06,90,,"))
    assert "không còn hoạt động" in found[0].message


def test_it_counts_physical_lines_even_after_a_cell_spanning_lines(catalog):
    data = csv_bytes(
        '31498,"Phường 5\n(TP Sóc Trăng)",X06,90',
        "NO-SUCH,Nowhere,X06,90",
        header="unit_code,unit_name,criterion_code,rate",
    )
    found = problems(catalog, data)
    assert [p.line for p in found] == [4]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("code,criterion,value", "Cột không được hỗ trợ"),
        ("unit_code,criterion_code", "Thiếu cột số liệu"),
        ("unit_code,criterion_code,numerator", "Thiếu cột denominator"),
        ("criterion_code,rate", "Thiếu cột unit_code"),
        ("unit_code,ma_don_vi,criterion_code,rate", "Cột trùng với cột unit_code"),
    ],
)
def test_it_refuses_a_wrong_header_on_line_1(catalog, header, message):
    found = problems(catalog, csv_bytes("31498,X06,90", header=header))
    assert all(p.line == 1 for p in found)
    assert any(message in p.message for p in found), found


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"  \n\n", "Tệp rỗng"),
        (csv_bytes(), "Tệp không có dòng dữ liệu nào"),
        ("unit_code,criterion_code,rate\n31498,X06,9ô\n".encode("cp1258"), "UTF-8"),
    ],
)
def test_it_refuses_an_empty_or_unreadable_file(catalog, data, message):
    found = problems(catalog, data)
    assert message in found[0].message


def test_it_refuses_a_file_that_is_neither_csv_nor_xlsx(catalog):
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in problems(catalog, csv_bytes(), "dvc.pdf")[0].message


def test_it_requires_the_source_column_to_match_the_label_chosen_for_the_file(catalog):
    header = "unit_code,criterion_code,rate,source"
    data = csv_bytes("31498,X06,90,Cổng DVC tỉnh", "31501,X06,90,VNeID", header=header)
    found = problems(catalog, data)
    assert [(p.line, p.column) for p in found] == [(3, "source")]
    # Case and spacing do not make another source.
    ok = csv_bytes("31498,X06,90,cổng dvc  TỈNH", header=header)
    assert parse(catalog, ok).label == DVC


def test_it_takes_the_source_from_the_source_column_without_a_label(catalog):
    header = "unit_code,criterion_code,rate,nguon"
    assert parse(catalog, csv_bytes("31498,X06,90,VNeID", header=header), label="").label == "VNeID"
    found = problems(catalog, csv_bytes("31498,X06,90,,"), label="")
    assert "Chưa ghi nguồn dữ liệu" in found[0].message
    mixed = csv_bytes("31498,X06,90,A", "31501,X06,90,B", header=header)
    assert "nhiều nguồn" in problems(catalog, mixed, label="")[0].message


def test_it_refuses_too_many_rows(catalog, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    data = csv_bytes("31498,X06,90,,", "31501,X06,90,,", "31504,X06,90,,")
    assert "quá nhiều dòng" in problems(catalog, data)[0].message


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(catalog):
    data = csv_bytes() + b"x" * reading.MAX_FILE_BYTES
    assert "Tệp quá lớn" in problems(catalog, data)[0].message


def test_it_caps_the_problem_list(catalog):
    rows = [f"NO-{i},X06,90,," for i in range(reading.MAX_PROBLEMS + 20)]
    with pytest.raises(SourceFileError) as caught:
        parse(catalog, csv_bytes(*rows))
    assert caught.value.total == reading.MAX_PROBLEMS + 20
    assert len(caught.value.problems) == reading.MAX_PROBLEMS + 1
    assert "20 lỗi khác" in caught.value.problems[-1].message


# -- XLSX --------------------------------------------------------------------------------


def test_it_reads_an_xlsx_with_numbers_percent_cells_and_codes_typed_as_numbers(catalog):
    data = xlsx_bytes(
        [
            ["Mã đơn vị", "Mã tiêu chí", "Tỷ lệ", "Tử số", "Mẫu số"],
            [31498, "X06", 0.905, None, None],
            ["31501", "X06", 87.25, None, None],
            [941, "H08", None, 45, 50],
            [31504, "X06", "90,5%", None, None],
        ],
        formats={"C2": "0.0%"},
    )
    parsed = parse(catalog, data, "dvc.xlsx")
    assert parsed.file_format == "xlsx"
    assert [(v.line, v.unit_code, v.inputs) for v in parsed.values] == [
        (2, "31498", {"rate": "90.5"}),
        (3, "31501", {"rate": "87.25"}),
        (4, "941", {"numerator": 45, "denominator": 50}),
        (5, "31504", {"rate": "90.5"}),
    ]


def test_it_names_the_column_letter_and_header_of_xlsx_problems(catalog):
    data = xlsx_bytes(
        [
            ["unit_code", "criterion_code", "rate"],
            [31498, "X06", 120],
            [31501, "X06", "=B2*2"],
            [31504, "X06", datetime.date(2023, 5, 1)],
            [31507, "X06", True],
        ]
    )
    found = problems(catalog, data, "dvc.xlsx")
    assert [(p.line, p.column) for p in found] == [
        (2, "C (rate)"),
        (3, "C (rate)"),
        (4, "C (rate)"),
        (5, "C (rate)"),
    ]
    assert "0–100" in found[0].message
    assert "Không nhận công thức" in found[1].message and "=B2*2" in found[1].message
    assert "ngày giờ" in found[2].message
    assert "TRUE" in found[3].message


def test_it_refuses_a_formula_in_a_code_cell_too(catalog):
    data = xlsx_bytes([["unit_code", "criterion_code", "rate"], ['="31498"', "X06", 90]])
    found = problems(catalog, data, "dvc.xlsx")
    assert (found[0].line, found[0].column) == (2, "A (unit_code)")


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(4000),
        b"PK\x03\x04" + random.Random(2).randbytes(4000),
        _zip({"hello.txt": b"xin chao"}),
        _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<<<"}),
    ],
    ids=["random-bytes", "truncated-zip", "zip-without-workbook", "broken-xml"],
)
def test_it_refuses_a_hostile_or_broken_xlsx_as_invalid(catalog, data):
    assert problems(catalog, data, "dvc.xlsx")[0].message.startswith(INVALID_XLSX)


def test_it_refuses_a_zip_that_inflates_beyond_the_limit_before_reading_it(catalog):
    bomb = _zip({"xl/worksheets/sheet1.xml": bytes(reading.MAX_UNZIPPED_BYTES + 1)})
    assert "giải nén quá lớn" in problems(catalog, bomb, "dvc.xlsx")[0].message


def test_it_refuses_an_xlsx_named_csv(catalog):
    data = xlsx_bytes([["unit_code", "criterion_code", "rate"]])
    assert "tệp nén" in problems(catalog, data, "dvc.csv")[0].message


def test_it_does_not_trust_a_declared_sheet_dimension(catalog):
    """A sheet declaring A1:XFD1048576 is read by its real rows."""
    data = xlsx_bytes([["unit_code", "criterion_code", "rate"], [31498, "X06", 90]])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {info.filename: source.read(info) for info in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b'<dimension ref="A1:C2"/>' in files[sheet]
    huge = b'<dimension ref="A1:XFD1048576"/>'
    files[sheet] = files[sheet].replace(b'<dimension ref="A1:C2"/>', huge)
    parsed = parse(catalog, _zip(files), "dvc.xlsx")
    assert [v.inputs for v in parsed.values] == [{"rate": "90"}]
