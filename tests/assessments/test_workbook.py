import datetime
import io
import random
import re
import zipfile

import openpyxl
import pytest

from thidua.assessments.demo import demo_inputs
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import library_level, score_sheet, with_due_dates
from thidua.assessments.services import NotEditable, save_self_inputs
from thidua.assessments.workbook import (
    FIRST_ROW,
    GUIDE,
    INVALID_FILE,
    KEY_ROW,
    META,
    SHEET,
    WorkbookError,
    build_assessment_workbook,
    parse_assessment_workbook,
)
from thidua.assessments.workbook_import import (
    ImportRejected,
    import_assessment_workbook,
    import_self_inputs,
)
from thidua.criteria.services import scoring_library
from thidua.periods.services import create_period, due_dates_by_criterion
from thidua.units.models import Unit

from .cast import make_user

# Every criterion of a commune (level xa), in the canonical form the workbook reads back.
COMMUNE_INPUTS = {
    "X01": {"plan_issued": {"actual": "2023-03-05"}, "results_reported": {"actual": "2023-12-10"}},
    "X02": {"plan_issued": {"actual": "2023-01-20"}, "results_reported": {"actual": None}},
    "X03": {"rate": "90.5"},
    "X04": {"rate": "100"},
    "X05": {"numerator": 45, "denominator": 50},
    "X06": {"rate": "97.25"},
    "X07": {"numerator": 3, "denominator": 7},
    "X08": {"rate": "0"},
    "X09": {"rate": "55"},
    "X10": {"rate": "12.5"},
    "X11": {"numerator": 4, "denominator": 5},
    "X12": {"rate": "18"},
    "X13": {"rate": "62"},
    "X14": {"option": "thiet_thuc"},
}

# The same inputs as a person types them in Excel: dates, text, commas, percentages.
TYPED = {
    "X01": {
        "plan_issued.actual": datetime.date(2023, 3, 5),
        "results_reported.actual": "10/12/2023",
    },
    "X02": {"plan_issued.actual": " 20/01/2023 ", "results_reported.actual": "Chưa ban hành"},
    "X03": {"rate": "90,5"},
    "X04": {"rate": 100},
    "X05": {"numerator": 45, "denominator": 50},
    "X06": {"rate": 97.25},
    "X07": {"numerator": 3, "denominator": "7"},
    "X08": {"rate": 0},
    "X09": {"rate": "55%"},
    "X10": {"rate": (0.125, "0.0%")},  # 12,5% typed into a percentage-formatted cell
    "X11": {"numerator": 4, "denominator": 5},
    "X12": {"rate": "18.0"},
    "X13": {"rate": "62"},
    "X14": {"option": "thiet_thuc"},
}


@pytest.fixture
def editor(units, period):
    return make_user("editor", "unit_editor", "31498")


@pytest.fixture
def assessment(editor, period):
    return Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))


def download(assessment) -> bytes:
    return build_assessment_workbook(score_sheet(assessment))


def key_columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[KEY_ROW] if cell.value}


def code_rows(ws) -> dict[str, int]:
    column = key_columns(ws)["_code"]
    return {
        ws.cell(r, column).value: r
        for r in range(FIRST_ROW, ws.max_row + 1)
        if ws.cell(r, column).value
    }


def edit(data: bytes, values: dict, change=None) -> bytes:
    """The workbook with cells set as a user would: {code: {column key: value}}."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[SHEET]
    columns, rows = key_columns(ws), code_rows(ws)
    for code, cells in values.items():
        for key, value in cells.items():
            cell = ws.cell(rows[code], columns[key])
            if isinstance(value, tuple):
                value, cell.number_format = value
            cell.value = value
    if change:
        change(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_name(data: bytes, code: str, key: str) -> tuple[int, str]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[SHEET]
    column = key_columns(ws)[key]
    return code_rows(ws)[code], openpyxl.utils.get_column_letter(column)


def save_all(assessment, user, inputs_by_code):
    for code, inputs in inputs_by_code.items():
        save_self_inputs(assessment=assessment, criterion_code=code, inputs=inputs, user=user)


def saved(assessment) -> dict:
    return {
        e.criterion_code: (e.self_inputs, e.revision)
        for e in CriterionEntry.objects.filter(assessment=assessment)
    }


@pytest.mark.django_db
def test_it_reads_back_exactly_the_inputs_it_was_built_with(assessment, editor):
    stored = {code: v for code, v in COMMUNE_INPUTS.items() if code not in ("X12", "X13")}
    save_all(assessment, editor, stored)

    parsed = parse_assessment_workbook(io.BytesIO(download(assessment)), assessment)

    assert parsed == {**stored, "X12": None, "X13": None}


@pytest.mark.django_db
@pytest.mark.parametrize("unit_code", ["SO-NV", "941", "31498"])  # tinh, huyen, xa
@pytest.mark.parametrize("quality", [0.5, 0.95])
def test_uploading_a_fresh_download_changes_nothing_at_every_level(
    period, editor, unit_code, quality
):
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code=unit_code))
    level = library_level(scoring_library(period.criteria_version), assessment.unit.level.code)
    due = due_dates_by_criterion(period)
    rng = random.Random(f"{unit_code}-{quality}")
    stored = {c.code: demo_inputs(c, rng, quality, due.get(c.code, {})) for c in level.criteria}
    save_all(assessment, editor, stored)
    before = saved(assessment)
    data = download(assessment)

    parsed = parse_assessment_workbook(io.BytesIO(data), assessment)
    for criterion in level.criteria:
        crit_due = due.get(criterion.code, {})
        read, wrote = (
            criterion.rule.validate_inputs(with_due_dates(criterion, inputs, crit_due))
            for inputs in (parsed[criterion.code], stored[criterion.code])
        )
        assert read == wrote, criterion.code
    result = import_assessment_workbook(
        assessment=assessment, fileobj=io.BytesIO(data), user=editor
    )

    assert result.changed == []
    assert len(result.unchanged) == len(level.criteria)
    assert saved(assessment) == before


@pytest.mark.django_db
def test_a_workbook_filled_offline_scores_as_the_same_inputs_saved_directly(
    assessment, editor, period
):
    unsaved = Assessment(period=period, unit=Unit.objects.get(code="31501"))
    data = edit(download(unsaved), TYPED)
    other_editor = make_user("other_editor", "unit_editor", "31501")

    result = import_assessment_workbook(
        assessment=unsaved, fileobj=io.BytesIO(data), user=other_editor
    )

    assert sorted(result.changed) == sorted(COMMUNE_INPUTS)
    imported = Assessment.objects.get(period=period, unit__code="31501")
    assert {code: inputs for code, (inputs, _) in saved(imported).items()} == COMMUNE_INPUTS
    assert {revision for _, revision in saved(imported).values()} == {1}
    entry = imported.entries.get(criterion_code="X03")
    assert entry.updated_by == other_editor
    assert entry.history.first().self_inputs == {"rate": "90.5"}

    save_all(assessment, editor, COMMUNE_INPUTS)
    direct, uploaded = score_sheet(assessment), score_sheet(imported)
    assert [(r.self_result.score, r.self_result.explanation) for r in uploaded.rows] == [
        (r.self_result.score, r.self_result.explanation) for r in direct.rows
    ]
    assert all(r.self_result.status == "scored" for r in uploaded.rows)
    assert uploaded.self_total.total == direct.self_total.total
    assert uploaded.self_total.complete


@pytest.mark.django_db
def test_a_broken_workbook_changes_nothing_and_names_every_bad_cell(assessment, editor):
    save_all(assessment, editor, {"X03": {"rate": "50"}, "X14": {"option": "khong"}})
    before = saved(assessment)
    data = edit(
        download(assessment),
        {
            "X01": {"plan_issued.actual": "31/02/2023"},
            "X03": {"rate": 120},
            "X04": {"rate": "=40+40"},
            "X05": {"option": "co"},  # a grey cell: ratios have no option
            "X06": {"rate": 97},  # valid, but the file as a whole is not
            "X07": {"numerator": "ba", "denominator": 7},  # one bad cell, reported once
            "X11": {"numerator": 5, "denominator": 4},
            "X14": {"option": "xyz"},
        },
    )

    with pytest.raises(WorkbookError) as caught:
        import_assessment_workbook(assessment=assessment, fileobj=io.BytesIO(data), user=editor)

    problems = caught.value.problems
    expected = {
        ("X01", "plan_issued.actual"): "Ngày không tồn tại (nhận được '31/02/2023')",
        ("X03", "rate"): "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 120)",
        ("X04", "rate"): "Không nhận công thức",
        ("X05", "option"): "Tiêu chí X05 không dùng cột này",
        ("X07", "numerator"): "Tử số phải là số, ví dụ 90 hoặc 90,5 (nhận được 'ba')",
        ("X11", "numerator"): "Tử số không được lớn hơn mẫu số (5 > 4)",
        ("X14", "option"): "Lựa chọn không có trong danh sách: 'xyz'",
    }
    assert len(problems) == len(expected)
    for (code, key), message in expected.items():
        row, letter = cell_name(data, code, key)
        [problem] = [p for p in problems if p.row == row]
        assert (problem.sheet, problem.column, problem.criterion) == (SHEET, letter, code)
        assert message in problem.message
        assert str(problem).startswith(f"Trang '{SHEET}', dòng {row}, cột {letter} (")
    rate_row, rate_letter = cell_name(data, "X03", "rate")
    assert (
        f"Trang 'Tự đánh giá', dòng {rate_row}, cột {rate_letter} (Tỷ lệ (%)): "
        "Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 120)"
    ) in str(caught.value)
    assert saved(assessment) == before


@pytest.mark.django_db
def test_a_blank_row_keeps_the_saved_inputs_and_informative_columns_are_ignored(assessment, editor):
    save_all(assessment, editor, {"X03": {"rate": "50"}, "X14": {"option": "khong"}})

    def scribble(ws):
        rows, columns = code_rows(ws), key_columns(ws)
        for key in ("_content", "_points", "_score", "_explanation", "_stt"):
            ws.cell(rows["X03"], columns[key]).value = "sửa bậy"

    data = edit(
        download(assessment),
        {"X14": {"option": None}, "X04": {"rate": "80,5"}, "X03": {"rate": "50,0"}},
        change=scribble,
    )
    result = import_assessment_workbook(
        assessment=assessment, fileobj=io.BytesIO(data), user=editor
    )

    assert result.changed == ["X04"]
    assert result.unchanged == ["X03"]  # "50,0" means 50: no new revision
    assert "X14" in result.untouched
    assert saved(assessment) == {
        "X03": ({"rate": "50"}, 1),
        "X04": ({"rate": "80.5"}, 1),
        "X14": ({"option": "khong"}, 1),
    }


@pytest.mark.django_db
def test_columns_found_by_their_hidden_names_survive_an_inserted_column(assessment, editor):
    save_all(assessment, editor, {"X03": {"rate": "45"}, "X14": {"option": "thiet_thuc"}})

    def insert_and_reorder(ws):
        ws.insert_cols(3)

    data = edit(download(assessment), {}, change=insert_and_reorder)
    parsed = parse_assessment_workbook(io.BytesIO(data), assessment)

    assert parsed["X03"] == {"rate": "45"}
    assert parsed["X14"] == {"option": "thiet_thuc"}


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["unit", "period"])
def test_a_workbook_of_another_unit_or_period_is_refused(
    assessment, editor, period, criteria_version, other
):
    if other == "unit":
        source = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31501"))
        expected = "Tệp là bảng tự đánh giá của đơn vị Phường 7 (mã 31501), không phải của"
    else:
        later = create_period(year=2024, criteria_version=criteria_version)
        source = Assessment.objects.create(period=later, unit=assessment.unit)
        expected = "Tệp thuộc kỳ đánh giá Thi đua Chuyển đổi số năm 2024 (mã 2024)"
    data = edit(download(source), {"X03": {"rate": 70}})

    with pytest.raises(WorkbookError) as caught:
        import_assessment_workbook(assessment=assessment, fileobj=io.BytesIO(data), user=editor)

    assert expected in str(caught.value)
    assert not CriterionEntry.objects.filter(assessment=assessment).exists()


@pytest.mark.django_db
def test_a_sheet_declaring_a_false_dimension_is_still_read_in_full(assessment, editor):
    save_all(assessment, editor, {"X14": {"option": "khong"}})
    original = io.BytesIO(download(assessment))
    tampered = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', content
                )
                assert count == 1
            target.writestr(item, content)

    parsed = parse_assessment_workbook(io.BytesIO(tampered.getvalue()), assessment)

    assert parsed["X14"] == {"option": "khong"}


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        random.Random(1).randbytes(4000),
        b"",
        b"PK\x03\x04" + bytes(200),
        _zip({"hello.txt": b"xin chao"}),
        _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<<<"}),
    ],
    ids=["random", "empty", "truncated-zip", "zip-without-workbook", "broken-xml"],
)
def test_a_file_that_is_not_an_xlsx_gets_the_vietnamese_message(assessment, editor, content):
    with pytest.raises(WorkbookError) as caught:
        import_assessment_workbook(assessment=assessment, fileobj=io.BytesIO(content), user=editor)
    assert str(caught.value) == INVALID_FILE


@pytest.mark.django_db
def test_a_zip_that_inflates_beyond_the_limit_is_refused_before_it_is_read(assessment):
    bomb = _zip({"xl/worksheets/sheet1.xml": bytes(60 * 2**20)})

    with pytest.raises(WorkbookError, match="giải nén quá lớn"):
        parse_assessment_workbook(io.BytesIO(bomb), assessment)


@pytest.mark.django_db
def test_an_excel_file_not_made_by_thidua_is_refused(assessment):
    book, out = openpyxl.Workbook(), io.BytesIO()
    book.active.title = SHEET
    book.save(out)

    with pytest.raises(WorkbookError, match="không phải là bảng tự đánh giá tải về từ hệ thống"):
        parse_assessment_workbook(io.BytesIO(out.getvalue()), assessment)


@pytest.mark.django_db
def test_importing_into_a_submitted_assessment_is_refused(assessment, editor):
    save_all(assessment, editor, {"X03": {"rate": "50"}})
    data = edit(download(assessment), {"X03": {"rate": 70}})
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.SUBMITTED)
    assessment.refresh_from_db()
    before = saved(assessment)

    with pytest.raises(NotEditable):
        import_assessment_workbook(assessment=assessment, fileobj=io.BytesIO(data), user=editor)
    with pytest.raises(NotEditable):
        import_self_inputs(
            assessment=assessment, inputs_by_code={"X03": {"rate": "70"}}, user=editor
        )
    assert saved(assessment) == before


@pytest.mark.django_db
def test_the_import_service_validates_everything_before_writing_anything(assessment, editor):
    with pytest.raises(ImportRejected) as caught:
        import_self_inputs(
            assessment=assessment,
            inputs_by_code={
                "X03": {"rate": "70"},
                "X04": {"rate": "170"},
                "X14": {"option": "nope"},
                "T01": {"rate": "1"},  # not a commune criterion
            },
            user=editor,
        )

    assert [(e.criterion, e.field) for e in caught.value.errors] == [
        ("X04", "rate"),
        ("X14", "option"),
        ("T01", "criterion"),
    ]
    assert saved(assessment) == {}


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_back_every_earlier_write(assessment, editor, monkeypatch):
    from thidua.assessments import workbook_import

    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs["criterion_code"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return save_self_inputs(**kwargs)

    monkeypatch.setattr(workbook_import, "save_self_inputs", fail_on_second)
    with pytest.raises(RuntimeError):
        import_self_inputs(
            assessment=assessment,
            inputs_by_code={"X03": {"rate": "70"}, "X04": {"rate": "80"}},
            user=editor,
        )

    assert calls == ["X03", "X04"]
    assert saved(assessment) == {}


@pytest.mark.django_db
def test_the_workbook_is_laid_out_for_filling_in(assessment, editor):
    save_all(assessment, editor, COMMUNE_INPUTS)
    book = openpyxl.load_workbook(io.BytesIO(download(assessment)))

    assert book.sheetnames == [SHEET, GUIDE, META]
    assert book[META].sheet_state == "veryHidden"
    ws = book[SHEET]
    assert ws.row_dimensions[KEY_ROW].hidden
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    assert "Phường 5 (mã 31498)" in ws["C2"].value
    assert ws["C6"].value == datetime.datetime(2023, 12, 15)  # Hạn nộp, a real date
    columns, rows = key_columns(ws), code_rows(ws)
    headers = {key: ws.cell(KEY_ROW - 1, column).value for key, column in columns.items()}
    assert headers["plan_issued.actual"] == "Ngày ban hành Kế hoạch\n(hạn 31/01/2023)"
    assert headers["rate"] == "Tỷ lệ (%)"
    assert headers["option"] == "Mức đạt (mã)"

    plan = ws.cell(rows["X01"], columns["plan_issued.actual"])
    assert plan.value == datetime.datetime(2023, 3, 5)
    assert plan.number_format == "dd/mm/yyyy"
    assert ws.cell(rows["X02"], columns["results_reported.actual"]).value == "chưa ban hành"
    assert ws.cell(rows["X03"], columns["rate"]).value == 90.5
    assert ws.cell(rows["X03"], columns["option"]).value is None
    assert ws.cell(rows["X03"], columns["option"]).fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.cell(rows["X03"], columns["_score"]).value == 10  # 90,5% ≥ 60%

    option_cell = ws.cell(rows["X14"], columns["option"]).coordinate
    [choice] = [dv for dv in ws.data_validations.dataValidation if option_cell in dv.sqref]
    assert choice.formula1 == '"thiet_thuc_phong_trao,thiet_thuc,chua_thiet_thuc,khong"'
    guide = "\n".join(str(v) for row in book[GUIDE].iter_rows(values_only=True) for v in row if v)
    assert "chua_thiet_thuc" in guide
    assert "Có hoạt động, nhưng chưa cụ thể, thiết thực theo yêu cầu" in guide


@pytest.mark.django_db
def test_an_offline_copy_never_overwrites_a_criterion_changed_online_since(assessment, editor):
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "40"}, user=editor
    )
    save_self_inputs(
        assessment=assessment, criterion_code="X04", inputs={"rate": "70"}, user=editor
    )
    offline = download(assessment)
    # After the download, a colleague changes X03 on the web form.
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "45"}, user=editor
    )
    data = edit(offline, {"X03": {"rate": 50}, "X04": {"rate": 75}})

    with pytest.raises(ImportRejected) as rejected:
        import_assessment_workbook(assessment=assessment, fileobj=io.BytesIO(data), user=editor)

    assert [error.criterion for error in rejected.value.errors] == ["X03"]
    assert "sau khi tải tệp Excel" in str(rejected.value)
    # All or nothing: X04, which nobody touched online, is not saved either.
    assert saved(assessment)["X03"][0] == {"rate": "45"}
    assert saved(assessment)["X04"][0] == {"rate": "70"}


@pytest.mark.django_db
def test_an_offline_copy_updates_criteria_nobody_changed_since(assessment, editor):
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "40"}, user=editor
    )
    data = edit(download(assessment), {"X03": {"rate": 50}})

    result = import_assessment_workbook(
        assessment=assessment, fileobj=io.BytesIO(data), user=editor
    )

    assert result.changed == ["X03"]
    assert saved(assessment)["X03"][0] == {"rate": "50"}
