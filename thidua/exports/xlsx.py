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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

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


def render_xlsx(*reports: Report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for report in reports:
        write_sheet(workbook, report)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheet(workbook: Workbook, report: Report) -> None:
    sheet = workbook.create_sheet(safe_sheet_title(report.sheet_name))
    last_letter = get_column_letter(len(report.columns))

    def merged_line(row: int, text: str, font: Font) -> None:
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        cell.font = font
        sheet.merge_cells(f"A{row}:{last_letter}{row}")

    merged_line(1, report.title, Font(name=FONT, bold=True, size=14))
    for row, line in enumerate(report.subtitle, start=2):
        merged_line(row, line, Font(name=FONT, italic=True))
    header_row = len(report.subtitle) + 3  # an empty row above the header

    rows = report.iterate()
    for column_index, header in enumerate(next(rows), start=1):
        cell = sheet.cell(row=header_row, column=column_index)
        set_text(cell, header)
        cell.font = Font(name=FONT, bold=True)
        cell.fill, cell.border, cell.alignment = HEAD_FILL, BOX, HEAD_ALIGN
    sheet.freeze_panes = f"A{header_row + 1}"

    row_index = header_row
    for values in rows:
        row_index += 1
        if isinstance(values, Section):
            cell = sheet.cell(row=row_index, column=1)
            set_text(cell, values.title)
            cell.font, cell.fill = Font(name=FONT, bold=True), SECTION_FILL
            sheet.merge_cells(f"A{row_index}:{last_letter}{row_index}")
            continue
        bold = values is report.footer
        for column_index, (column, value) in enumerate(
            zip(report.columns, values, strict=True), start=1
        ):
            cell = sheet.cell(row=row_index, column=column_index)
            write_value(cell, value, report.places(column))
            cell.font = Font(name=FONT, bold=bold)
            cell.border = BOX
            cell.alignment = WRAP_RIGHT if column.numeric else WRAP

    row_index += 1  # an empty row before the notes
    for line in report.notes:
        row_index += 1
        cell = sheet.cell(row=row_index, column=1)
        set_text(cell, line)
        cell.font = Font(name=FONT, italic=True, size=10)

    for column_index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(column_index)].width = column.width
    sheet.row_dimensions[header_row].height = 32
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if report.landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_value(cell, value, places: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        set_text(cell, "Có" if value else "Không")
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "0"
    elif isinstance(value, Fraction | Decimal):
        cell.value = to_decimal(value)
        if places is None:
            cell.number_format = "General"  # points as written: 8, 2.5
        else:
            cell.number_format = f"0.{'0' * places}" if places else "0"
    else:
        set_text(cell, str(value))


def set_text(cell, text: str) -> None:
    """Write text that can never become a formula."""
    cell.value = text
    if text.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def safe_sheet_title(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, "-")
    return name[:31] or "Báo cáo"
