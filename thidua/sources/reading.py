"""Read an uploaded source-data file (CSV or XLSX) into a header and raw cells, line by line.

No Django, no database: bytes in, a `Table` out, or a `SourceFileError` listing problems.
What the cells mean is decided in `thidua.sources.parsing`.

Hostile files: the size is capped before anything is decoded or unzipped; an .xlsx is
refused when its zip holds too many entries or declares too much uncompressed data, is read
with openpyxl `read_only=True, data_only=False` (formulas are seen, never evaluated), with
the sheet's declared dimension ignored, at most MAX_COLUMNS columns and at most MAX_ROWS
rows of data; any zip or XML failure becomes "not a valid .xlsx file".
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 200_000
MAX_COLUMNS = 30
EXCEL_MAX_ROWS = 1_048_576
MAX_PROBLEMS = 500
# No code, rate or source label comes near this; a longer cell is a wrong file or an attack.
MAX_CELL_CHARS = 1000

INVALID_XLSX = "Tệp không phải là tệp Excel .xlsx hợp lệ"
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Problem:
    """One problem of a file; where it is when it is a line's or a cell's."""

    message: str
    line: int | None = None
    column: str | None = None  # "ty_le" (CSV) or "C (ty_le)" (XLSX)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"Dòng {self.line}"
        if self.column:
            where += f", cột {self.column}"
        return f"{where}: {self.message}"


class SourceFileError(ValueError):
    """The file cannot be imported. `.problems` lists every problem found (capped)."""

    def __init__(self, problems):
        if isinstance(problems, str | Problem):
            problems = [problems]
        problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        self.total = len(problems)
        self.problems = problems[:MAX_PROBLEMS]
        if self.total > MAX_PROBLEMS:
            self.problems.append(Problem(f"… và {self.total - MAX_PROBLEMS} lỗi khác"))
        super().__init__("\n".join(str(p) for p in self.problems))


class Cell(NamedTuple):
    value: object  # str for CSV; what openpyxl read for XLSX (str, int, float, datetime, …)
    number_format: str | None = None


@dataclass
class Table:
    file_format: str  # "csv" | "xlsx"
    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (line number, cells)

    def column_name(self, index: int) -> str:
        name = self.header[index] if index < len(self.header) else ""
        if self.file_format == "xlsx":
            return (
                f"{get_column_letter(index + 1)} ({name})" if name else get_column_letter(index + 1)
            )
        return name or str(index + 1)


def read_table(data: bytes, filename: str) -> Table:
    """The header and non-blank rows of a .csv or .xlsx file; raises SourceFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceFileError(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 2**20} MB)")
    if not data.strip():
        raise SourceFileError("Tệp rỗng")
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        if data.startswith(XLSX_MAGIC):
            raise SourceFileError("Tệp có đuôi .csv nhưng nội dung là tệp nén (Excel?)")
        return _read_csv(data)
    raise SourceFileError("Chỉ nhận tệp .csv hoặc .xlsx")


# -- CSV ---------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceFileError(
            Problem(
                "Tệp CSV phải dùng bảng mã UTF-8 (khi lưu từ Excel, chọn "
                "“CSV UTF-8 (Comma delimited)”)",
                line,
            )
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SourceFileError(
            Problem("Tệp CSV chứa ký tự NUL (tệp nhị phân hoặc bị hỏng), không phải văn bản", line)
        )
    return text.removeprefix("\ufeff")


def _delimiter(first_line: str) -> str:
    """Semicolon when the header is split by semicolons (Excel's export in Vietnamese
    locales, where the comma is the decimal separator), else comma."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    table = None
    data_rows = 0
    start = 1  # a quoted cell may span lines: a record is named by the line it starts on
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if table is None:
                table = Table("csv", [clean_header(v) for v in values])
                continue
            if not any(v.strip() for v in values):
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise SourceFileError(_too_many_rows())
            if max(map(len, values)) > MAX_CELL_CHARS:  # CSV cells are text
                _check_lengths(line, values)
            table.rows.append((line, [Cell(v) for v in values]))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SourceFileError(Problem(_too_long(), start)) from None
        raise SourceFileError(Problem(f"Không đọc được tệp CSV ({exc})", start)) from None
    return table or Table("csv", [])


def _check_lengths(line: int, values) -> None:
    for value in values:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise SourceFileError(Problem(_too_long(len(value)), line))


def _too_long(length: int | None = None) -> str:
    has = f" ({length:,} ký tự)".replace(",", ".") if length else ""
    return f"Ô dữ liệu quá dài{has}: mỗi ô tối đa {MAX_CELL_CHARS:,} ký tự".replace(",", ".")


def _too_many_rows() -> str:
    return f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS:,} dòng dữ liệu)".replace(",", ".")


# -- XLSX --------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    if not data.startswith(XLSX_MAGIC):
        raise SourceFileError(INVALID_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # a hostile file may fail in any way: it is not an .xlsx
        raise SourceFileError(INVALID_XLSX) from exc
    # Reading a zip member never yields more than its declared size, so this bounds memory.
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        raise SourceFileError(f"{INVALID_XLSX}: nội dung giải nén quá lớn")


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheets = workbook.worksheets
            if not sheets:
                raise SourceFileError(f"{INVALID_XLSX}: không có trang tính nào")
            return _read_sheet(sheets[0])
        finally:
            workbook.close()
    except SourceFileError:
        raise
    except Exception as exc:  # zip, XML or openpyxl errors of a broken or hostile file
        raise SourceFileError(INVALID_XLSX) from exc


def _read_sheet(ws) -> Table:
    ws.reset_dimensions()  # never trust the dimension the file declares
    table = None
    data_rows = 0
    # No max_row: openpyxl would pad up to it. Rows are counted here instead.
    for number, row in enumerate(ws.iter_rows(min_row=1, max_col=MAX_COLUMNS), start=1):
        if number > EXCEL_MAX_ROWS:
            raise SourceFileError(f"{INVALID_XLSX}: quá nhiều dòng")
        cells = [Cell(cell.value, getattr(cell, "number_format", None)) for cell in row]
        if table is None:  # row 1, blank or not: openpyxl fills in missing rows
            table = Table("xlsx", [clean_header(c.value) for c in cells])
            continue
        if all(_blank(c.value) for c in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise SourceFileError(_too_many_rows())
        _check_lengths(number, [c.value for c in cells])
        table.rows.append((number, cells))
    return table or Table("xlsx", [])


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- headers -------------------------------------------------------------------------------


def clean_header(value) -> str:
    """A header cell as written, on one line, without the BOM Excel sometimes leaves."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\ufeff", "").split())[:60]


def fold_header(header: str) -> str:
    """`Mã đơn vị`, `MA_DON_VI` and `ma don vi` all fold to `ma_don_vi`."""
    text = unicodedata.normalize("NFD", header.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    out, gap = [], False
    for ch in text:
        if ch.isascii() and ch.isalnum():
            if gap and out:
                out.append("_")
            out.append(ch)
            gap = False
        else:
            gap = True
    return "".join(out)
