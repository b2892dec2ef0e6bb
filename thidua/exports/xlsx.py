"""Excel renderer: one sheet per report, numbers as numbers, header row frozen.

Layout of a sheet: row 1 the title, then the subtitle lines, an empty row, the header row
(frozen with everything above it), the rows, the bold footer, the notes.

Text that Excel would take for a formula (starting with = + - @, or a tab or carriage
return that hides one) is written as a string with Excel's quote prefix: a unit named
"=HYPERLINK(…)" stays text. openpyxl would otherwise store any str starting with "=" as a
formula.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from types import MethodType

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from thidua.exports.rows import Report, Section, to_decimal

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FONT = "Times New Roman"

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
PLAIN = Font(name=FONT)
BOLD = Font(name=FONT, bold=True)
NOTE = Font(name=FONT, italic=True, size=10)


def render_xlsx(*reports: Report) -> bytes:
    # Write-only: rows stream to the file as they come, so a 10,000-unit ranking never
    # holds a sheet of cell objects in memory (styles must be known before a row is written).
    workbook = Workbook(write_only=True)
    for report in reports:
        write_sheet(workbook, report)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Styles:
    """One styled prototype per look; cells take a copy of its style ids (openpyxl would
    otherwise hash each Font, Border and Alignment again for every cell)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self._prototypes: dict[tuple, StyleArray] = {}

    def cell(self, value, key: tuple, **style) -> Cell:
        array = self._prototypes.get(key)
        if array is None:
            prototype = WriteOnlyCell(self.sheet)
            for name, attribute in style.items():
                setattr(prototype, name, attribute)
            array = self._prototypes[key] = prototype._style
        return Cell(self.sheet, row=1, column=1, value=value, style_array=array)


def _styled_cells_to_row(sheet, cells, row_idx):
    """WriteOnlyWorksheet._values_to_row for rows that are already styled cells.

    openpyxl's own version first tries each cell as a plain value and formats an error
    message before taking it as a cell: most of the time of a 10,000-row export."""
    for column, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column, cell.row = column, row_idx
        yield cell


def write_sheet(workbook: Workbook, report: Report) -> None:
    sheet = workbook.create_sheet(safe_sheet_title(report.sheet_name))
    sheet._values_to_row = MethodType(_styled_cells_to_row, sheet)
    styles = _Styles(sheet)
    columns = len(report.columns)
    last_letter = get_column_letter(columns)
    header_row = len(report.subtitle) + 3  # an empty row above the header

    # Everything about columns and rows goes before the first row is written.
    for column_index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(column_index)].width = column.width
    sheet.row_dimensions[header_row].height = 32
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if report.landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    row_index = 0

    def merged_line(text: str, key: str, **style) -> None:
        nonlocal row_index
        row_index += 1
        sheet.append([text_cell(styles, text, ("merged", key), **style)])
        sheet.merged_cells.add(CellRange(f"A{row_index}:{last_letter}{row_index}"))

    merged_line(report.title, "title", font=Font(name=FONT, bold=True, size=14))
    for line in report.subtitle:
        merged_line(line, "subtitle", font=Font(name=FONT, italic=True))
    sheet.append([])
    row_index += 1

    rows = report.iterate()
    sheet.append(
        [
            text_cell(
                styles,
                header,
                ("head",),
                font=BOLD,
                fill=HEAD_FILL,
                border=BOX,
                alignment=HEAD_ALIGN,
            )
            for header in next(rows)
        ]
    )
    row_index += 1

    places = [report.places(column) for column in report.columns]
    for values in rows:
        if isinstance(values, Section):
            merged_line(values.title, "section", font=BOLD, fill=SECTION_FILL)
            continue
        font = BOLD if values is report.footer else PLAIN
        if len(values) != columns:
            raise ValueError(f"row of {len(values)} values for {columns} columns")
        sheet.append(
            [
                value_cell(styles, value, places[index], font, report.columns[index].numeric)
                for index, value in enumerate(values)
            ]
        )
        row_index += 1

    sheet.append([])
    for line in report.notes:
        sheet.append([text_cell(styles, line, ("note",), font=NOTE)])


def value_cell(styles: _Styles, value, places: int | None, font: Font, numeric: bool) -> Cell:
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, str):
        key = ("text", id(font), numeric)
        if key in styles._prototypes and not value.startswith(FORMULA_PREFIXES):
            return styles.cell(value, key)
        return text_cell(styles, value, key, **_look(font, numeric))
    number_format = None
    if isinstance(value, int):
        number_format = "0"
    elif isinstance(value, Fraction | Decimal):
        number_format = (
            "General"  # points as written: 8, 2.5
            if places is None
            else (f"0.{'0' * places}" if places else "0")
        )
        value = to_decimal(value)
    elif value is not None:
        return text_cell(styles, str(value), ("text", id(font), numeric), **_look(font, numeric))
    key = ("number", number_format, id(font), numeric)
    if key in styles._prototypes:
        return styles.cell(value, key)
    look = _look(font, numeric)
    if number_format is not None:
        look["number_format"] = number_format
    return styles.cell(value, key, **look)


def _look(font: Font, numeric: bool) -> dict:
    return {"font": font, "border": BOX, "alignment": WRAP_RIGHT if numeric else WRAP}


def text_cell(styles: _Styles, text: str, key: tuple, **style) -> Cell:
    """A text cell that can never become a formula (Excel's quote prefix when needed)."""
    if text.startswith(FORMULA_PREFIXES):
        cell = styles.cell(None, ("quoted", *key), quotePrefix=True, **style)
        cell.value = text
        cell.data_type = "s"
        return cell
    return styles.cell(text, key, **style)


def safe_sheet_title(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, "-")
    return name[:31] or "Báo cáo"
