"""One unit's self-assessment as an Excel workbook: built for download, parsed on upload.

Layout of the workbook `build_assessment_workbook` writes:

- Sheet "Tự đánh giá". Rows 1–7: title block (unit, level, period, criteria set and
  version, "Hạn nộp", a colour legend). Row 8: headers. Row 9, hidden: the machine name of
  every column (`_code`, `plan_issued.actual`, `rate`, `option`, …). From row 10: one row
  per criterion of the unit's level, in library order: STT, Mã, Nội dung tiêu chí, Điểm
  chuẩn, Cách tính, then the input columns (the union of the input fields of the level's
  criteria, in order of first use; `deadline` due dates are not inputs, they belong to the
  period and are shown in the header or a note), then "Điểm tự chấm" and "Diễn giải".
  Input cells a row uses are pale yellow and pre-filled with the saved inputs; the others
  are grey and empty. Choice cells carry a drop-down list of the criterion's option codes.
- Sheet "Hướng dẫn": how to fill it in, the due dates, and every option code with its label
  and points.
- Sheet "_thidua", very hidden: format marker, unit, period, criteria set, version, level.

Reading back (`parse_assessment_workbook`):

- Columns are found through the hidden row of machine names, not by position, so inserted
  or moved columns are harmless; rows are found by their criterion code, so their order
  does not matter. Informative columns (everything except Mã and the inputs) are ignored.
- A criterion whose input cells are all blank (or whose row is missing) maps to None: its
  saved inputs stay as they are. The workbook cannot clear saved inputs; that is done on
  the web form. A row with any input replaces the saved inputs with exactly what it holds.
- A deliverable never issued is written as the text "chưa ban hành" (also accepted:
  "không ban hành", with or without accents; case does not matter); a blank date cell is
  "not entered".
- Dates: a real Excel date, or text dd/mm/yyyy (also yyyy-mm-dd). Numbers: Excel numbers, or
  text with a decimal comma or point; a rate cell formatted as a percentage (0,9 shown as
  90%) is read as 90. Formulas are refused.
- Parsed inputs are in canonical form: rates and other decimals as text with a decimal
  point ("90.5"), counts as integers, dates as "YYYY-MM-DD", never-issued as null.
- Every cell is checked, then each row through `validate_self_inputs` (the scoring engine);
  all problems are collected into one `WorkbookError`, each naming sheet, row, column
  letter and header. Nothing is written here: see `workbook_import.import_self_inputs`.
- Hostile files: size-limited before unzipping (the upload and the declared uncompressed
  size), read with openpyxl `read_only=True, data_only=False`, at most MAX_ROWS × MAX_COLUMNS
  cells whatever the sheet's dimension says; any zip/XML failure becomes
  "Tệp không phải là tệp Excel .xlsx hợp lệ".
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from thidua import scoring
from thidua.assessments.models import Assessment
from thidua.assessments.scores import ScoreSheet, library_level
from thidua.assessments.services import validate_self_inputs
from thidua.criteria.services import scoring_library
from thidua.exports.xlsx import FORMULA_PREFIXES
from thidua.periods.services import due_dates_by_criterion
from thidua.scoring.numbers import NumberError

FORMAT = "thidua-self-assessment/1"
SHEET = "Tự đánh giá"
GUIDE = "Hướng dẫn"
META = "_thidua"
NEVER_ISSUED = "chưa ban hành"
NEVER_ISSUED_TOKENS = {"chưa ban hành", "không ban hành", "chua ban hanh", "khong ban hanh"}
INVALID_FILE = "Tệp không phải là tệp Excel .xlsx hợp lệ"

HEADER_ROW, KEY_ROW, FIRST_ROW = 8, 9, 10
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_ROWS, MAX_COLUMNS = 1000, 100
MAX_PROBLEMS = 200

LEADING = [("_stt", "STT", 5), ("_code", "Mã", 7), ("_content", "Nội dung tiêu chí", 42)]
LEADING += [("_points", "Điểm chuẩn", 8), ("_rule", "Cách tính", 48)]
TRAILING = [("_score", "Điểm tự chấm", 10), ("_explanation", "Diễn giải", 48)]
STANDARD_HEADERS = {
    "rate": "Tỷ lệ (%)",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "option": "Mức đạt (mã)",
}
NOUNS = {"rate": "Tỷ lệ", "numerator": "Tử số", "denominator": "Mẫu số"}

GREY = PatternFill("solid", fgColor="D9D9D9")
INPUT = PatternFill("solid", fgColor="FFF2CC")
HEAD = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd/mm/yyyy"


class WorkbookError(ValueError):
    """The uploaded workbook cannot be used. `.problems` lists every problem found."""

    def __init__(self, problems):
        if isinstance(problems, str | Problem):
            problems = [problems]
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Problem:
    """One problem; where it is (sheet, row, column letter and header) when it is a cell's."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    criterion: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"Trang '{self.sheet}'")
        if self.row:
            where.append(f"dòng {self.row}" + ("" if self.column else f" ({self.criterion})"))
        if self.column:
            where.append(f"cột {self.column} ({self.header})")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Column:
    """An input column: its machine name, header and the field of each criterion using it."""

    key: str
    header: str
    fields: dict[str, scoring.InputField] = field(default_factory=dict)


def unit_fields(criterion: scoring.Criterion) -> list[scoring.InputField]:
    """The inputs a unit enters: a deadline's due dates belong to the period, not the unit."""
    return [
        f
        for f in criterion.rule.input_fields()
        if not (criterion.kind == "deadline" and f.name.endswith(".due"))
    ]


def input_columns(level: scoring.Level, due: dict) -> list[Column]:
    columns: dict[str, Column] = {}
    for criterion in level.criteria:
        for spec in unit_fields(criterion):
            if spec.name not in columns:
                columns[spec.name] = Column(spec.name, _header(criterion, spec))
            columns[spec.name].fields[criterion.code] = spec
    for column in columns.values():
        dated = [(code, spec) for code, spec in column.fields.items() if spec.type == "date"]
        dues = {_due(due, code, spec) for code, spec in dated}
        if dated and len(dues) == 1 and None not in dues:
            column.header += f"\n(hạn {dues.pop():%d/%m/%Y})"
    return list(columns.values())


def _header(criterion, spec) -> str:
    if spec.name in STANDARD_HEADERS:
        return STANDARD_HEADERS[spec.name]
    if spec.type == "date" and spec.group:
        label = _deliverable_label(criterion, spec.group)
        return f"Ngày {label[:1].lower()}{label[1:]}"
    return spec.label


def _deliverable_label(criterion, code) -> str:
    for item in criterion.params.get("deliverables", []):
        if item.get("code") == code:
            return item.get("label", code)
    return code


def _due(due: dict, code: str, spec) -> datetime.date | None:
    return due.get(code, {}).get(spec.group) if spec.group else None


def _never_issued_allowed(spec) -> bool:
    return spec.type == "date" and not spec.required


# -- building --------------------------------------------------------------------------


def build_assessment_workbook(sheet: ScoreSheet) -> bytes:
    """The .xlsx of one unit's self-assessment, pre-filled with its saved inputs."""
    assessment = sheet.assessment
    due = due_dates_by_criterion(assessment.period)
    columns = input_columns(sheet.level, due)
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET
    guide = workbook.create_sheet(GUIDE)
    option_ranges = _write_guide(guide, sheet, columns, due)
    _write_title(ws, sheet)
    _write_rows(ws, sheet, columns, due, option_ranges)
    _write_meta(workbook.create_sheet(META), sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(cell, value, **style):
    """Write text as text: a value starting with "=" must never become a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        # Excel's quote prefix keeps it text even after someone edits the cell and presses Enter.
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _write_title(ws, sheet: ScoreSheet) -> None:
    assessment = sheet.assessment
    period, unit = assessment.period, assessment.unit
    version = period.criteria_version
    _text(
        ws["A1"], "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM THI ĐUA CHUYỂN ĐỔI SỐ", font=Font(bold=True, size=14)
    )
    lines = [
        ("Đơn vị:", f"{unit.name} (mã {unit.code})"),
        ("Cấp:", sheet.level.name),
        ("Kỳ đánh giá:", f"{period.name} (mã {period.code})"),
        (
            "Bộ tiêu chí:",
            f"{version.criteria_set.name}, phiên bản {version.version} ({version.decision})",
        ),
        ("Hạn nộp:", period.submission_deadline),
    ]
    for offset, (label, value) in enumerate(lines):
        row = 2 + offset
        _text(ws.cell(row, 2), label, font=Font(bold=True))
        _text(ws.cell(row, 3), value)
    ws.cell(6, 3).number_format = DATE_FORMAT
    ws.cell(6, 3).alignment = Alignment(horizontal="left")
    legend = (
        "Ô màu vàng: nhập số liệu. Ô màu xám: tiêu chí không dùng cột đó, để trống. "
        "Cột Điểm tự chấm và Diễn giải chỉ để tham khảo. Xem trang 'Hướng dẫn'."
    )
    _text(ws.cell(7, 3), legend, font=Font(italic=True))


def _write_rows(ws, sheet, columns, due, option_ranges) -> None:
    layout = [*LEADING, *((c.key, c.header, 16) for c in columns), *TRAILING]
    for index, (key, header, width) in enumerate(layout, start=1):
        head = _text(ws.cell(HEADER_ROW, index), header, font=Font(bold=True), fill=HEAD)
        head.border = BOX
        head.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        _text(ws.cell(KEY_ROW, index), key)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[HEADER_ROW].height = 48
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)

    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    for check, message in ((percent, "Tỷ lệ là số từ 0 đến 100"), (whole, "Số nguyên ≥ 0")):
        check.errorStyle, check.error, check.allow_blank = "warning", message, True
        ws.add_data_validation(check)
    score_format = "0." + "0" * sheet.decimals if sheet.decimals else "0"

    for number, row in enumerate(sheet.rows, start=1):
        r, criterion, result = FIRST_ROW + number - 1, row.criterion, row.self_result
        score = result.display(sheet.decimals)  # "chưa chấm" when there is no score
        if result.score is not None:
            score = _number(scoring.round_half_up(result.score, sheet.decimals))
        values = [number, criterion.code, criterion.content, _number(criterion.points)]
        values += [criterion.rule_text, *([None] * len(columns)), score, result.explanation]
        for index, value in enumerate(values, start=1):
            _text(ws.cell(r, index), value, alignment=WRAP, border=BOX)
        ws.cell(r, len(values) - 1).number_format = score_format
        stored = row.entry.self_inputs if row.entry else None
        for index, column in enumerate(columns, start=len(LEADING) + 1):
            cell, spec = ws.cell(r, index), column.fields.get(criterion.code)
            if spec is None:
                cell.fill = GREY
                continue
            cell.fill = INPUT
            _write_input(cell, spec, stored)
            note = _note(criterion, spec, column, due)
            if note:
                lines = sum(1 + len(line) // 55 for line in note.split("\n"))
                cell.comment = Comment(note, "thidua", width=380, height=24 + 16 * lines)
            if spec.type == "choice":
                _add_choice_list(ws, cell, spec, option_ranges.get(criterion.code))
            elif spec.type == "percent":
                percent.add(cell)
            elif spec.type == "integer" and spec.min is not None and spec.min >= 0:
                whole.add(cell)
        ws.row_dimensions[r].height = _height(
            (criterion.content, 42), (criterion.rule_text, 48), (result.explanation, 48)
        )


def _height(*texts) -> float:
    lines = 1
    for text, width in texts:
        count = sum(max(1, -(-len(part) // int(width * 1.1))) for part in str(text).split("\n"))
        lines = max(lines, count)
    return min(409, 15 * lines + 3)


def _add_choice_list(ws, cell, spec, guide_range) -> None:
    codes = ",".join(option.code for option in spec.choices)
    formula = f'"{codes}"' if len(codes) <= 250 else guide_range
    check = DataValidation(type="list", formula1=formula, allow_blank=True)
    check.error = "Chỉ chọn một mã trong danh sách (xem trang 'Hướng dẫn')"
    check.errorTitle = "Mã mức đạt không hợp lệ"
    ws.add_data_validation(check)
    check.add(cell)


def _note(criterion, spec, column, due) -> str:
    if spec.type == "date" and spec.group:
        deadline = _due(due, criterion.code, spec)
        shown = f"{deadline:%d/%m/%Y}" if deadline else "chưa đặt"
        return (
            f"{criterion.code} – {_deliverable_label(criterion, spec.group)}. Hạn: {shown}.\n"
            f'Nhập ngày ban hành văn bản (dd/mm/yyyy); ghi "{NEVER_ISSUED}" nếu không ban hành.'
        )
    if spec.type == "choice":
        lines = [
            f"{o.code}: {o.label} ({scoring.format_vi(o.points, 2, trim=True)} điểm)"
            for o in spec.choices
        ]
        return "Nhập một mã:\n" + "\n".join(lines)
    if spec.label != column.header and spec.name not in ("rate",):
        return f"{criterion.code}: {spec.label}" + (f"\n{spec.help}" if spec.help else "")
    return ""


def _number(value):
    """An exact number as an Excel number (int or float), or text when a float would round."""
    fraction = scoring.to_fraction(value)
    if fraction.denominator == 1:
        return int(fraction)
    decimal = _decimal(fraction)
    return float(decimal) if Decimal(repr(float(decimal))) == decimal else _plain(decimal)


def _decimal(fraction) -> Decimal:
    digits = 0
    while (fraction * 10**digits).denominator != 1 and digits < 30:
        digits += 1
    return Decimal(int(fraction * 10**digits)) / Decimal(10**digits)


def _plain(decimal: Decimal) -> str:
    text = format(decimal.normalize(), "f")
    return "0" if decimal == 0 else text


def _lookup(inputs, name):
    """(present, value) of a possibly dotted field name in stored inputs."""
    if not isinstance(inputs, dict) or inputs.get("na"):
        return False, None
    head, _, tail = name.partition(".")
    if not tail:
        return head in inputs, inputs.get(head)
    nested = inputs.get(head)
    if not isinstance(nested, dict) or tail not in nested:
        return False, None
    return True, nested[tail]


def _write_input(cell, spec, stored) -> None:
    present, value = _lookup(stored, spec.name)
    if not present:
        return
    if value in (None, ""):
        if _never_issued_allowed(spec):
            _text(cell, NEVER_ISSUED)
        return
    try:
        if spec.type == "date":
            cell.value = datetime.date.fromisoformat(str(value))
            cell.number_format = DATE_FORMAT
        elif spec.type in ("percent", "number", "integer"):
            cell.value = _number(value)
        else:
            _text(cell, str(value))
    except (ValueError, NumberError):
        _text(cell, str(value))  # shown as saved; the upload reports it if still wrong


def _write_guide(ws, sheet, columns, due) -> dict[str, str]:
    """The "Hướng dẫn" sheet; returns each choice criterion's range of option codes."""
    for letter, width in zip("ABCD", (9, 26, 80, 9), strict=True):
        ws.column_dimensions[letter].width = width
    _text(ws["A1"], "HƯỚNG DẪN ĐIỀN BẢNG TỰ ĐÁNH GIÁ", font=Font(bold=True, size=14))
    first = get_column_letter(len(LEADING) + 1)
    last = get_column_letter(len(LEADING) + len(columns))
    kinds = {criterion.kind for criterion in sheet.level.criteria}
    steps = [
        f"Chỉ nhập vào các ô màu vàng (cột {first} đến {last}) của trang '{SHEET}'. "
        "Ô màu xám: tiêu chí không dùng cột đó, để trống.",
        "Để trống tất cả các ô nhập của một tiêu chí = giữ nguyên số liệu đã lưu trên hệ thống "
        "cho tiêu chí đó. Dòng có nhập số liệu sẽ thay toàn bộ số liệu đã lưu của tiêu chí. "
        "Muốn xoá số liệu đã lưu, hãy sửa trên hệ thống.",
    ]
    if kinds & {"ratio", "threshold"}:
        steps.append(
            "Tỷ lệ (%): số phần trăm từ 0 đến 100, ví dụ 90 hoặc 90,5 (dấu phẩy hoặc dấu chấm "
            "đều được). Có thể nhập tỷ lệ, hoặc tử số và mẫu số (số nguyên không âm, tử số "
            "không lớn hơn mẫu số), không nhập cả hai."
        )
    if "deadline" in kinds:
        steps.append(
            "Ngày: ngày ban hành văn bản, dạng dd/mm/yyyy, ví dụ 05/03/2023. Văn bản không ban "
            f'hành: ghi "{NEVER_ISSUED}" (tiêu chí được 0 điểm). Để trống = chưa nhập.'
        )
    if "choice" in kinds:
        steps.append(
            "Mức đạt (mã): chọn một mã trong danh sách thả xuống; ý nghĩa của từng mã ở bảng dưới."
        )
    if "late_entries" in kinds:
        steps.append("Số lần nhập trễ: số nguyên từ 0; ghi 0 nếu không có lần nào trễ.")
    steps += [
        'Không dùng công thức (ô bắt đầu bằng "="): hãy nhập giá trị.',
        "Các cột STT, Nội dung, Điểm chuẩn, Cách tính, Điểm tự chấm, Diễn giải chỉ để tham "
        "khảo: hệ thống tự tính lại điểm, mọi thay đổi ở các cột này bị bỏ qua.",
        "Không đổi tên trang, không xoá dòng ẩn và trang ẩn. Tệp chỉ tải lên được cho đúng đơn "
        "vị, kỳ đánh giá và phiên bản bộ tiêu chí đã tải về.",
        "Khi tải lên, hệ thống kiểm tra toàn bộ tệp: nếu có ô sai thì không lưu gì và liệt kê "
        "từng ô sai (trang, dòng, cột) để sửa.",
    ]
    r = 3
    for number, step in enumerate(steps, start=1):
        _text(ws.cell(r, 1), f"{number}.", alignment=WRAP)
        _text(ws.cell(r, 2), step, alignment=WRAP)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        ws.row_dimensions[r].height = _height((step, 115))
        r += 1

    deadlines = [
        (c.code, spec)
        for c in sheet.level.criteria
        for spec in unit_fields(c)
        if spec.group and spec.type == "date"
    ]
    criteria = {c.code: c for c in sheet.level.criteria}
    if deadlines:
        r = _guide_table(ws, r + 1, "Hạn ban hành văn bản", ("Tiêu chí", "Hạn", "Văn bản"))
        for code, spec in deadlines:
            _text(ws.cell(r, 1), code)
            ws.cell(r, 2).value = _due(due, code, spec) or "chưa đặt"
            ws.cell(r, 2).number_format = DATE_FORMAT
            ws.cell(r, 2).alignment = Alignment(horizontal="left")
            _text(ws.cell(r, 3), _deliverable_label(criteria[code], spec.group))
            r += 1

    ranges = {}
    choices = [(c, s) for c in sheet.level.criteria for s in unit_fields(c) if s.type == "choice"]
    if choices:
        r = _guide_table(ws, r + 1, "Mã mức đạt", ("Tiêu chí", "Mã", "Nội dung", "Điểm"))
        for criterion, spec in choices:
            start = r
            for option in spec.choices:
                _text(ws.cell(r, 1), criterion.code, alignment=WRAP)
                _text(ws.cell(r, 2), option.code, alignment=WRAP)
                _text(ws.cell(r, 3), option.label, alignment=WRAP)
                ws.cell(r, 4).value = _number(option.points)
                ws.row_dimensions[r].height = _height((option.label, 80))
                r += 1
            ranges[criterion.code] = f"'{GUIDE}'!$B${start}:$B${r - 1}"
    return ranges


def _guide_table(ws, r, title, headers) -> int:
    _text(ws.cell(r, 1), title, font=Font(bold=True, size=12))
    for index, header in enumerate(headers, start=1):
        _text(ws.cell(r + 1, index), header, font=Font(bold=True), fill=HEAD)
    return r + 2


def _write_meta(ws, sheet: ScoreSheet) -> None:
    ws.sheet_state = "veryHidden"
    for r, (key, value) in enumerate(_meta_items(sheet.assessment).items(), start=1):
        _text(ws.cell(r, 1), key)
        _text(ws.cell(r, 2), value)


def _meta_items(assessment: Assessment) -> dict[str, str]:
    period, unit = assessment.period, assessment.unit
    version = period.criteria_version
    return {
        "format": FORMAT,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "period_code": period.code,
        "period_name": period.name,
        "criteria_set": version.criteria_set.code,
        "criteria_version": version.version,
        "level": unit.level.code,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        # The revision of every criterion when the file was made: an upload may not
        # overwrite a criterion someone changed online since (see workbook_import).
        "revisions": json.dumps(
            {e.criterion_code: e.revision for e in assessment.entries.all()}
            if assessment.pk
            else {},
            sort_keys=True,
        ),
    }


# -- parsing ---------------------------------------------------------------------------

DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
NUMBER_TYPES = ("percent", "integer", "number")


class _CellError(ValueError):
    pass


def parse_assessment_workbook(fileobj, assessment: Assessment) -> dict[str, dict | None]:
    """Inputs by criterion code read from an uploaded workbook; raises WorkbookError.

    Every criterion of the unit's level is a key; None means "left blank: keep what is
    saved". Nothing is written. The whole workbook is checked before raising, so the error
    lists every bad cell.
    """
    return parse_assessment_workbook_with_revisions(fileobj, assessment)[0]


def parse_assessment_workbook_with_revisions(
    fileobj, assessment: Assessment
) -> tuple[dict[str, dict | None], dict[str, int]]:
    """As parse_assessment_workbook, plus each criterion's revision when the file was made."""
    meta, rows = _load(_read_upload(fileobj))
    _check_identity(meta, assessment)
    period = assessment.period
    level = library_level(scoring_library(period.criteria_version), assessment.unit.level.code)
    columns = input_columns(level, due_dates_by_criterion(period))
    inputs = _SheetReader(assessment, level, columns).read(rows)
    try:
        revisions = {str(k): int(v) for k, v in json.loads(meta.get("revisions") or "{}").items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise WorkbookError(INVALID_FILE) from exc
    return inputs, revisions


def _read_upload(fileobj) -> bytes:
    data = fileobj if isinstance(fileobj, bytes) else fileobj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 2**20} MB)")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # a hostile file may fail in any way: it is not an .xlsx
        raise WorkbookError(INVALID_FILE) from exc
    # Reading a zip member never yields more than its declared size, so this bounds memory.
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        raise WorkbookError(f"{INVALID_FILE}: nội dung giải nén quá lớn")
    return data


def _load(data: bytes):
    """(metadata dict or None, rows of (value, number format)) of the workbook."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=False)
        try:
            names = workbook.sheetnames
            meta = _read_meta(workbook[META]) if META in names else None
            rows = _read_rows(workbook[SHEET]) if SHEET in names else None
        finally:
            workbook.close()
    except Exception as exc:  # zip, XML or openpyxl errors of a broken or hostile file
        raise WorkbookError(INVALID_FILE) from exc
    if meta is not None and meta.get("format") == FORMAT and rows is None:
        raise WorkbookError(f"Không tìm thấy trang '{SHEET}': không đổi tên hay xoá trang này")
    return meta, rows


def _read_meta(ws) -> dict[str, str]:
    meta = {}
    for key, value, *_ in ws.iter_rows(
        min_row=1, max_row=50, min_col=1, max_col=2, values_only=True
    ):
        if isinstance(key, str):
            meta[key] = "" if value is None else str(value)
    return meta


def _read_rows(ws) -> list[list[tuple]]:
    ws.reset_dimensions()  # never trust the dimension the file declares
    return [
        [(cell.value, getattr(cell, "number_format", None)) for cell in row]
        for row in ws.iter_rows(min_row=1, max_row=MAX_ROWS, min_col=1, max_col=MAX_COLUMNS)
    ]


def _check_identity(meta, assessment: Assessment) -> None:
    if not meta or meta.get("format") != FORMAT:
        raise WorkbookError(
            "Tệp không phải là bảng tự đánh giá tải về từ hệ thống (thiếu thông tin nhận dạng "
            "đơn vị và kỳ đánh giá). Hãy tải mẫu Excel từ trang tự đánh giá của đơn vị."
        )
    expected = _meta_items(assessment)
    problems = []
    if meta.get("unit_code") != expected["unit_code"]:
        problems.append(
            f"Tệp là bảng tự đánh giá của đơn vị {meta.get('unit_name')} "
            f"(mã {meta.get('unit_code')}), không phải của {expected['unit_name']} "
            f"(mã {expected['unit_code']})"
        )
    if meta.get("period_code") != expected["period_code"]:
        problems.append(
            f"Tệp thuộc kỳ đánh giá {meta.get('period_name')} (mã {meta.get('period_code')}), "
            f"không phải kỳ {expected['period_name']} (mã {expected['period_code']})"
        )
    same_set = all(meta.get(k) == expected[k] for k in ("criteria_set", "criteria_version"))
    if not problems and not same_set:
        problems.append(
            f"Tệp được tạo theo bộ tiêu chí phiên bản {meta.get('criteria_version')}, kỳ đánh "
            f"giá này dùng phiên bản {expected['criteria_version']}: hãy tải lại mẫu mới"
        )
    elif not problems and meta.get("level") != expected["level"]:
        problems.append(
            f"Tệp được tạo cho cấp {meta.get('level')}, đơn vị nay thuộc cấp "
            f"{expected['level']}: hãy tải lại mẫu mới"
        )
    if problems:
        raise WorkbookError(problems)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_formula(value) -> bool:
    if isinstance(value, ArrayFormula | DataTableFormula):
        return True
    return isinstance(value, str) and value.lstrip().startswith("=")


def _shown(value) -> str:
    if isinstance(value, str):
        return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)[:40]


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _is_percent_format(number_format) -> bool:
    if not isinstance(number_format, str):
        return False
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def _assign(inputs: dict, name: str, value) -> None:
    head, _, tail = name.partition(".")
    if tail:
        inputs.setdefault(head, {})[tail] = value
    else:
        inputs[head] = value


class _SheetReader:
    """Reads the rows of the "Tự đánh giá" sheet, collecting every problem."""

    def __init__(self, assessment, level, columns):
        self.assessment = assessment
        self.criteria = {criterion.code: criterion for criterion in level.criteria}
        self.columns = {column.key: column for column in columns}
        self.problems: list[Problem] = []

    def read(self, rows) -> dict[str, dict | None]:
        key_row = next(
            (i for i, row in enumerate(rows[:50]) if any(v == "_code" for v, _ in row)), None
        )
        if key_row is None:
            raise WorkbookError(
                f"Trang '{SHEET}' thiếu dòng ẩn chứa tên cột (dòng {KEY_ROW}): "
                "hãy tải lại mẫu mới và nhập lại"
            )
        self.at = {}
        for index, (value, _) in enumerate(rows[key_row]):
            if isinstance(value, str):
                self.at.setdefault(value, index)
        missing = [c.header for k, c in self.columns.items() if k not in self.at]
        if missing:
            raise WorkbookError(
                [f"Trang '{SHEET}' thiếu cột '{_one_line(h)}': không xoá cột" for h in missing]
            )
        result = dict.fromkeys(self.criteria)
        self.seen: dict[str, int] = {}
        for number, row in enumerate(rows[key_row + 1 :], start=key_row + 2):
            read = self._row(number, row)
            if read is not None:
                result[read[0]] = read[1]
        if self.problems:
            shown = self.problems[:MAX_PROBLEMS]
            if len(self.problems) > MAX_PROBLEMS:
                shown.append(Problem(f"… và {len(self.problems) - MAX_PROBLEMS} lỗi khác"))
            raise WorkbookError(shown)
        return result

    def _problem(self, number, key, code, message, header=None):
        column = self.at[key]
        header = header or self.columns[key].header
        self.problems.append(
            Problem(message, SHEET, number, get_column_letter(column + 1), _one_line(header), code)
        )

    def _row(self, number, row):
        code_value = row[self.at["_code"]][0]
        code = "" if _blank(code_value) else str(code_value).strip().upper()
        filled = {key: row[self.at[key]] for key in self.columns}
        filled = {key: cell for key, cell in filled.items() if not _blank(cell[0])}
        if not code:
            if filled:
                message = "Dòng có số liệu nhưng không có mã tiêu chí"
                self._problem(number, "_code", None, message, header="Mã")
            return None
        criterion = self.criteria.get(code)
        if criterion is None:
            message = f"Mã tiêu chí '{code[:20]}' không thuộc bộ tiêu chí của đơn vị"
            self._problem(number, "_code", code, message, header="Mã")
            return None
        if code in self.seen:
            message = f"Tiêu chí {code} đã có ở dòng {self.seen[code]}"
            self._problem(number, "_code", code, message, header="Mã")
            return None
        self.seen[code] = number
        count, inputs = len(self.problems), {}
        for key, (value, number_format) in filled.items():
            spec = self.columns[key].fields.get(code)
            try:
                if _is_formula(value):
                    raise _CellError(
                        f"Không nhận công thức, hãy nhập giá trị (ô chứa {_shown(value)})"
                    )
                if spec is None:
                    raise _CellError(f"Tiêu chí {code} không dùng cột này: hãy để trống ô này")
                _assign(inputs, spec.name, self._value(criterion, spec, value, number_format))
            except _CellError as exc:
                self._problem(number, key, code, str(exc))
            except scoring.InputError as exc:
                self._problem(number, key, code, exc.message)
        if len(self.problems) > count or not inputs:
            return None
        try:
            validate_self_inputs(self.assessment, criterion, inputs)
        except scoring.InputError as exc:
            key = self._column_of(criterion, exc.field)
            if key is None:
                self.problems.append(Problem(exc.message, SHEET, number, criterion=code))
            else:
                self._problem(number, key, code, exc.message)
            return None
        return code, inputs

    def _column_of(self, criterion, field_name):
        """The input column an engine error is about: the field's own, or its group's."""
        if not field_name:
            return None
        mine = {key for key, c in self.columns.items() if criterion.code in c.fields}
        if field_name in mine:
            return field_name
        group = field_name.partition(".")[0]
        return next(
            (k for k in mine if self.columns[k].fields[criterion.code].group == group), None
        )

    def _value(self, criterion, spec, value, number_format):
        if spec.type == "date":
            return _date_value(spec, value)
        if spec.type == "choice":
            return _choice_value(spec, value)
        if spec.type in NUMBER_TYPES:
            return _number_value(criterion, spec, value, number_format)
        return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _date_value(spec, value):
    allowed = _never_issued_allowed(spec)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        text = " ".join(value.split())
        if allowed and _fold(text) in NEVER_ISSUED_TOKENS:
            return None
        match = DMY_RE.fullmatch(text)
        parts = (match[3], match[2], match[1]) if match else None
        if not match and (match := ISO_RE.fullmatch(text)):
            parts = (match[1], match[2], match[3])
        if parts:
            try:
                return datetime.date(*(int(part) for part in parts)).isoformat()
            except ValueError:
                raise _CellError(f"Ngày không tồn tại (nhận được '{text}')") from None
    hint = f', hoặc ghi "{NEVER_ISSUED}"' if allowed else ""
    raise _CellError(
        f"Ngày phải có dạng dd/mm/yyyy, ví dụ 05/03/2023{hint} (nhận được {_shown(value)})"
    )


def _choice_value(spec, value):
    if isinstance(value, bool) or not isinstance(value, str):
        return _shown(value)  # not a code: the engine refuses it with the list of codes
    text = value.strip()
    for option in spec.choices:
        if text == option.code or _fold(text) in (option.code, _fold(option.label)):
            return option.code
    return text


def _number_value(criterion, spec, value, number_format):
    noun = NOUNS.get(spec.name) or ("Tỷ lệ" if spec.type == "percent" else "Giá trị")
    if isinstance(value, bool):
        raise _CellError(f"{noun} phải là số (nhận được {_shown(value)})")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if spec.type == "percent" and _is_percent_format(number_format):
            number *= 100  # 90% typed in a percentage cell is stored as 0,9
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "")
        if spec.type == "percent" and text.endswith("%"):
            text = text[:-1].strip()
        try:
            scoring.to_fraction(text)
        except NumberError as exc:
            raise _CellError(f"{noun} {exc}") from None
        number = Decimal(text.replace(",", "."))
    else:
        raise _CellError(f"{noun} phải là số (nhận được {_shown(value)})")
    # The engine's own check, so the message is the one the web form shows.
    criterion.rule.clean_number(
        spec.name, number, noun=noun, type=spec.type, low=spec.min, high=spec.max
    )
    return int(number) if spec.type == "integer" else _plain(number)
