"""Validate a whole source-data file against a period's units and criteria, writing nothing.

`parse_source_file` reads the file (`reading.read_table`), maps its header (English names or
Vietnamese aliases, see docs/source-data-format.md), then checks every row and collects every
problem with its line and column before raising one `SourceFileError`. Each row's inputs go
through the criterion's own rule (`criterion.rule.validate_inputs`), so the messages are the
scoring engine's. What the database holds is passed in as a `Catalog`; no ORM here.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from thidua import scoring
from thidua.sources.reading import Cell, Problem, SourceFileError, Table, fold_header, read_table

SOURCE_KINDS = ("ratio", "threshold")
MAX_CHECKED = 50_000
RATE_FIELDS = ("rate", "numerator", "denominator")

# Canonical column → the folded header names accepted for it (see `fold_header`).
COLUMNS = {
    "unit_code": ("unit_code", "ma_don_vi", "ma_dv", "ma_dvi"),
    "criterion_code": ("criterion_code", "ma_tieu_chi", "tieu_chi"),
    "rate": ("rate", "ty_le", "ti_le", "ty_le_dat", "ti_le_dat"),
    "numerator": ("numerator", "tu_so"),
    "denominator": ("denominator", "mau_so"),
    "source": ("source", "nguon", "nguon_du_lieu"),
}
# Columns people keep in exports to read them; their content is ignored.
INFORMATIVE = (
    "stt",
    "unit_name",
    "ten_don_vi",
    "criterion_name",
    "ten_tieu_chi",
    "note",
    "ghi_chu",
)
ALIASES = {alias: key for key, names in COLUMNS.items() for alias in names}
NOUNS = {"rate": "Tỷ lệ", "numerator": "Tử số", "denominator": "Mẫu số"}
KIND_NAMES = {
    "deadline": "theo thời hạn",
    "choice": "theo mức lựa chọn",
    "late_entries": "theo số lần nhập trễ",
    "bands": "theo bảng mức",
    "formula": "theo công thức",
}


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    level_code: str
    active: bool = True


@dataclass
class Catalog:
    """What a file is checked against: the period's units and criteria, from the database."""

    period_name: str
    units: dict[str, UnitRef]  # by code
    criteria: dict[str, dict[str, scoring.Criterion]]  # level code → criterion code → criterion
    level_names: dict[str, str]
    finalized_unit_ids: set[int] = field(default_factory=set)

    def __post_init__(self):
        self._by_folded_code = {code.upper(): unit for code, unit in self.units.items()}

    def unit(self, code: str) -> UnitRef | None:
        return self.units.get(code) or self._by_folded_code.get(code.upper())


class SourceValue(NamedTuple):
    """One valid row: the source's value for one criterion of one unit, in canonical form.

    A tuple, not a dataclass: a file has up to 100 000 of them, built on every read.
    """

    line: int
    unit_id: int
    unit_code: str
    criterion_code: str
    inputs: dict


@dataclass
class ParsedFile:
    file_format: str
    label: str
    values: list[SourceValue]
    ignored_columns: list[str]


def normalize_label(label: str) -> str:
    return " ".join(unicodedata.normalize("NFC", label or "").split())


def label_key(label: str) -> str:
    """Two labels naming the same source ("Cổng DVC tỉnh", "cổng dvc  tỉnh") share a key."""
    return normalize_label(label).casefold()


def parse_source_file(data: bytes, filename: str, catalog: Catalog, label: str = "") -> ParsedFile:
    """Every row of the file, validated; raises SourceFileError listing every problem.

    `label` names the source for the whole file; when empty, the file's `source` column
    must name exactly one source. Rows whose `source` differs from the label are errors.
    """
    table = read_table(data, filename)
    columns, ignored = _map_header(table)
    reader = _RowReader(table, columns, catalog, normalize_label(label))
    values = reader.read()
    return ParsedFile(table.file_format, reader.label, values, ignored)


def _map_header(table: Table) -> tuple[dict[str, int], list[str]]:
    if not any(table.header):
        if not table.rows:
            raise SourceFileError("Tệp rỗng")
        raise SourceFileError(Problem("Thiếu dòng tiêu đề", 1))
    problems, columns, ignored = [], {}, []
    for index, header in enumerate(table.header):
        if not header:
            continue
        folded = fold_header(header)
        key = ALIASES.get(folded)
        if key is None:
            if folded in INFORMATIVE:
                ignored.append(header)
                continue
            accepted = ", ".join(names[0] for names in COLUMNS.values())
            message = f"Cột không được hỗ trợ (các cột nhận: {accepted}; xem hướng dẫn)"
            problems.append(Problem(message, 1, table.column_name(index)))
        elif key in columns:
            first = table.column_name(columns[key])
            problems.append(Problem(f"Cột trùng với cột {first}", 1, table.column_name(index)))
        else:
            columns[key] = index
    for key in ("unit_code", "criterion_code"):
        if key not in columns:
            problems.append(Problem(f"Thiếu cột {key} ({COLUMNS[key][1]})", 1))
    has_counts = "numerator" in columns or "denominator" in columns
    if "rate" not in columns and not has_counts:
        problems.append(
            Problem("Thiếu cột số liệu: cần cột rate, hoặc hai cột numerator và denominator", 1)
        )
    elif has_counts and not ("numerator" in columns and "denominator" in columns):
        missing = "denominator" if "numerator" in columns else "numerator"
        problems.append(Problem(f"Thiếu cột {missing} ({COLUMNS[missing][1]})", 1))
    if problems:
        raise SourceFileError(problems)
    if not table.rows:
        raise SourceFileError("Tệp không có dòng dữ liệu nào")
    return columns, ignored


class _CellError(ValueError):
    pass


class _RowReader:
    def __init__(self, table: Table, columns: dict[str, int], catalog: Catalog, label: str):
        self.table = table
        self.columns = columns
        self.catalog = catalog
        self.label = label
        self.width = len(table.header)
        self.named = {i for i, header in enumerate(table.header) if header}
        self.problems: list[Problem] = []
        self.seen: dict[tuple[int, str], int] = {}
        self.sources: dict[str, tuple[str, int]] = {}  # key → (label as written, first line)
        self.checked: dict[tuple, dict | scoring.InputError] = {}

    def read(self) -> list[SourceValue]:
        values = []
        for line, cells in self.table.rows:
            value = self._row(line, cells)
            if value is not None:
                values.append(value)
        self._check_label()
        if self.problems:
            raise SourceFileError(self.problems)
        return values

    # -- helpers --------------------------------------------------------------------------

    def _problem(self, line, key, message):
        column = self.table.column_name(self.columns[key]) if key else None
        self.problems.append(Problem(message, line, column))

    def _cell(self, cells, key) -> Cell:
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return Cell(None)
        return cells[index]

    def _text(self, cells, key) -> str:
        value = self._cell(cells, key).value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number in Excel
        return " ".join(str(value).split())

    # -- one row --------------------------------------------------------------------------

    def _row(self, line, cells) -> SourceValue | None:
        count = len(self.problems)
        self._check_shape(line, cells)
        for key in self.columns if self.table.file_format == "xlsx" else ():
            if _is_formula(self._cell(cells, key).value):
                shown = str(self._cell(cells, key).value)[:40]
                message = f"Không nhận công thức, hãy nhập giá trị (ô chứa '{shown}')"
                self._problem(line, key, message)
        if len(self.problems) > count:
            return None
        self._check_source(line, cells)
        unit = self._unit(line, cells)
        criterion = self._criterion(line, cells, unit)
        if unit is None or criterion is None:
            return None
        key = (unit.id, criterion.code)
        if key in self.seen:
            message = (
                f"Trùng với dòng {self.seen[key]} "
                f"(cùng đơn vị {unit.code}, tiêu chí {criterion.code})"
            )
            self._problem(line, "criterion_code", message)
            return None
        self.seen[key] = line
        inputs = self._inputs(line, cells, criterion)
        if inputs is None or len(self.problems) > count:
            return None
        return SourceValue(line, unit.id, unit.code, criterion.code, inputs)

    def _check_shape(self, line, cells):
        for index, cell in enumerate(cells):
            if index in self.named or cell.value is None or str(cell.value).strip() == "":
                continue
            if index >= self.width:
                message = (
                    f"Dòng có {len(cells)} ô nhưng tiêu đề chỉ có {self.width} cột. Số thập "
                    "phân dùng dấu phẩy phải đặt trong ngoặc kép, hoặc dùng dấu chấm phẩy (;) "
                    "để phân cách cột"
                )
            else:
                column = self.table.column_name(index)
                message = f"Ô ở cột {column} có dữ liệu nhưng cột không có tiêu đề"
            self.problems.append(Problem(message, line))
            return

    def _check_source(self, line, cells):
        if "source" not in self.columns:
            return
        written = normalize_label(self._text(cells, "source"))
        if not written:
            return
        if self.label and label_key(written) != label_key(self.label):
            message = f"Nguồn '{written[:60]}' khác với nguồn đã chọn cho tệp ('{self.label}')"
            self._problem(line, "source", message)
        self.sources.setdefault(label_key(written), (written, line))

    def _check_label(self):
        if self.label:
            return
        if len(self.sources) == 1:
            self.label = next(iter(self.sources.values()))[0]
        elif not self.sources:
            self.problems.append(Problem("Chưa ghi nguồn dữ liệu (ví dụ: Cổng DVC tỉnh)"))
        else:
            shown = ", ".join(f"'{text}' (dòng {line})" for text, line in self.sources.values())
            self.problems.append(
                Problem(f"Tệp có nhiều nguồn dữ liệu khác nhau: {shown}; mỗi tệp một nguồn")
            )

    def _unit(self, line, cells) -> UnitRef | None:
        code = self._text(cells, "unit_code")
        if not code:
            self._problem(line, "unit_code", "Thiếu mã đơn vị")
            return None
        unit = self.catalog.unit(code)
        if unit is None:
            self._problem(
                line, "unit_code", f"Mã đơn vị '{code[:40]}' không có trong danh sách đơn vị"
            )
            return None
        if not unit.active:
            self._problem(
                line, "unit_code", f"Đơn vị {unit.code} ({unit.name}) không còn hoạt động"
            )
            return None
        if unit.id in self.catalog.finalized_unit_ids:
            message = (
                f"Đơn vị {unit.code} ({unit.name}) đã chốt kết quả kỳ này; không nhận số liệu mới"
            )
            self._problem(line, "unit_code", message)
            return None
        return unit

    def _criterion(self, line, cells, unit) -> scoring.Criterion | None:
        code = self._text(cells, "criterion_code").upper()
        if not code:
            self._problem(line, "criterion_code", "Thiếu mã tiêu chí")
            return None
        if unit is None:
            if not any(code in level for level in self.catalog.criteria.values()):
                message = f"Mã tiêu chí '{code[:20]}' không có trong bộ tiêu chí của kỳ đánh giá"
                self._problem(line, "criterion_code", message)
            return None
        criterion = self.catalog.criteria.get(unit.level_code, {}).get(code)
        if criterion is None:
            level = self.catalog.level_names.get(unit.level_code, unit.level_code)
            message = (
                f"Mã tiêu chí '{code[:20]}' không thuộc bộ tiêu chí {level} của kỳ "
                f"{self.catalog.period_name} (đơn vị {unit.code})"
            )
            self._problem(line, "criterion_code", message)
            return None
        if criterion.kind not in SOURCE_KINDS:
            how = KIND_NAMES.get(criterion.kind, criterion.kind)
            message = (
                f"Tiêu chí {code} chấm {how}, không phải theo tỷ lệ: số liệu nguồn chỉ dùng "
                "cho tiêu chí tính theo tỷ lệ"
            )
            self._problem(line, "criterion_code", message)
            return None
        return criterion

    def _inputs(self, line, cells, criterion) -> dict | None:
        raw = {}
        for name in RATE_FIELDS:
            if name not in self.columns:
                continue
            cell = self._cell(cells, name)
            try:
                value = _number_input(name, cell)
            except _CellError as exc:
                self._problem(line, name, str(exc))
                return None
            if value is not None:
                raw[name] = value
        if not raw:
            message = "Thiếu số liệu: cần tỷ lệ, hoặc tử số và mẫu số"
            key = "rate" if "rate" in self.columns else "numerator"
            self._problem(line, key, message)
            return None
        # The same values recur across a file (rates with one decimal): check each once.
        cache_key = (criterion.code, tuple(sorted(raw.items())))
        checked = self.checked.get(cache_key)
        if checked is None:
            try:
                checked = canonical_inputs(criterion.rule.validate_inputs(raw))
            except scoring.InputError as exc:
                checked = exc
            if len(self.checked) < MAX_CHECKED:
                self.checked[cache_key] = checked
        if isinstance(checked, scoring.InputError):
            key = checked.field if checked.field in self.columns else None
            self._problem(line, key, checked.message)
            return None
        return dict(checked)


def _is_formula(value) -> bool:
    if isinstance(value, ArrayFormula | DataTableFormula):
        return True
    return isinstance(value, str) and value.lstrip().startswith("=")


def _is_percent_format(number_format) -> bool:
    return isinstance(number_format, str) and "%" in number_format.replace('"%"', "")


def _number_input(name: str, cell: Cell):
    """What the engine receives for one number cell; None when blank."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "")
        if name == "rate" and text.endswith("%"):
            text = text[:-1].strip()
        return text or None
    if isinstance(value, bool):
        raise _CellError(f"{NOUNS[name]} phải là số (nhận được {'TRUE' if value else 'FALSE'})")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if name == "rate" and _is_percent_format(cell.number_format):
            number *= 100  # 90% typed in a percentage cell is stored as 0,9
        return number
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise _CellError(f"{NOUNS[name]} phải là số (ô chứa ngày giờ: {value})")
    raise _CellError(f"{NOUNS[name]} phải là số")


def canonical_inputs(clean: dict) -> dict:
    """Engine-cleaned inputs as stored: rate as decimal text ("90.5"), counts as integers."""
    if "rate" in clean:
        return {"rate": decimal_text(clean["rate"])}
    return {"numerator": int(clean["numerator"]), "denominator": int(clean["denominator"])}


def decimal_text(value: Fraction) -> str:
    """A terminating Fraction as plain decimal text: 181/2 → "90.5", 90 → "90"."""
    with localcontext() as context:
        context.prec = 80  # the engine accepts at most 40 digits: the division is exact
        number = Decimal(value.numerator) / Decimal(value.denominator)
        return format(number.normalize(), "f")
