"""Excel renderer (XlsxWriter): one sheet per report, numbers as numbers, header row frozen.

Layout of a sheet: row 1 the title, then the subtitle lines (both merged across the
columns), an empty row, the header row (frozen with everything above it, repeated on every
printed page), the rows, the bold footer, an empty row, the notes. A4, fit to the page
width, landscape or portrait as the report says.

Rows stream to the file as they are written (XlsxWriter's constant_memory: one row in
memory, the sheet's XML in a temporary file), so a 10,000-unit ranking never holds a sheet
of cell objects; each look (font, fill, border, alignment, number format) is one Format.

Text is always written as text (write_string, never write()). Text that Excel would take
for a formula (starting with = + - @, or a tab or carriage return that hides one) also gets
Excel's quote prefix: a unit named "=HYPERLINK(…)" stays text, even once edited in Excel.
XlsxWriter copies a string that starts with "<r>" and ends with "</r>" into the XML
unescaped (its own rich strings): such text goes through write_rich_string, which escapes it.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from fractions import Fraction
from io import BytesIO

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from thidua.collector import collector_paused
from thidua.exports.rows import Report, Section, to_decimal

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Text starting otherwise is written as it is; "<" for XlsxWriter's "<r>…</r>" rich strings.
CAREFUL_FIRST = "".join(FORMULA_PREFIXES) + "<"
FONT = "Times New Roman"
A4 = 9  # Excel's paper size code
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
PIXELS_PER_CHARACTER = 7  # Excel's maximum digit width in the default font

BOX = {"border": 1, "border_color": "#808080"}  # thin grey borders
HEAD = {
    "bold": True,
    "bg_color": "#DDEBF7",
    **BOX,
    "text_wrap": True,
    "align": "center",
    "valign": "vcenter",
}
TITLE = {"bold": True, "font_size": 14}
SUBTITLE = {"italic": True}
SECTION = {"bold": True, "bg_color": "#F2F2F2"}
NOTE = {"italic": True, "font_size": 10}
FONT_LOOK = ("font_name", "font_size", "bold", "italic")


@collector_paused()
def render_xlsx(*reports: Report) -> bytes:
    buffer = BytesIO()
    # The sheets' rows wait in temporary files until the workbook is closed; the directory
    # goes away with them even when a report fails half-way.
    with tempfile.TemporaryDirectory(prefix="thidua-xlsx-") as directory:
        workbook = Workbook(buffer, {"constant_memory": True, "tmpdir": directory})
        writer = _Writer(workbook)
        titles: set[str] = set()
        for report in reports:
            title = unique_sheet_title(safe_sheet_title(report.sheet_name), titles)
            writer.write_sheet(workbook.add_worksheet(title, worksheet_class=_Sheet), report)
        workbook.close()
    return buffer.getvalue()


class _Sheet(Worksheet):
    """XlsxWriter's worksheet (its documented `worksheet_class` extension), writing number
    cells without escaping their attributes: XlsxWriter gives a number cell only its
    reference ("B7") and its format's index, neither of which can hold a character to
    escape, and the regular expression run on each was a tenth of a ranking's export."""

    def _xml_number_element(self, number, attributes=()) -> None:
        attr = ""
        for key, value in attributes:  # a loop: two items, cheaper than a join
            attr += f' {key}="{value}"'
        self.fh.write(f"<c{attr}><v>{number:.16G}</v></c>")


class _Writer:
    """Writes the reports of one workbook: each look (font, fill, border, alignment, number
    format) is one Format, made once; each exact number is converted once."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self._formats: dict[tuple, Format] = {}
        self._properties: dict[int, dict] = {}
        # id(value) -> (value, float): a ranking writes the same score objects thousands of
        # times, found by identity without hashing a Fraction (keeping the value in the
        # entry keeps its id from being reused by another object).
        self._numbers: dict[int, tuple[object, float]] = {}

    def look(self, **properties) -> Format:
        properties = {"font_name": FONT, **properties}
        key = tuple(sorted(properties.items()))
        look = self._formats.get(key)
        if look is None:
            look = self._formats[key] = self.workbook.add_format(properties)
            self._properties[id(look)] = properties
        return look

    def quoted(self, look: Format) -> Format:
        """The same look with Excel's quote prefix (the cell's text is never a formula)."""
        return self.look(**{**self._properties[id(look)], "quote_prefix": True})

    def font(self, look: Format) -> Format:
        """The font of a look alone: the format of a rich string's runs."""
        properties = self._properties[id(look)]
        return self.look(**{name: properties[name] for name in FONT_LOOK if name in properties})

    def cell_looks(self, report: Report, bold: bool) -> tuple[list, list, list]:
        """Per column: the looks of text and empty cells, of integers, of exact numbers."""
        texts, integers, exacts = [], [], []
        for column in report.columns:
            look = {"bold": True} if bold else {}
            look.update(BOX, text_wrap=True, valign="top")
            if column.numeric:
                look["align"] = "right"
            texts.append(self.look(**look))
            integers.append(self.look(**look, num_format="0"))
            places = report.places(column)
            if places is not None:  # None: "General", points as written (8, 2.5)
                look["num_format"] = f"0.{'0' * places}" if places else "0"
            exacts.append(self.look(**look))
        return texts, integers, exacts

    def number(self, value: Fraction | Decimal) -> float:
        """An exact number as written: `to_decimal` (half-up to 6 places)."""
        found = self._numbers.get(id(value))
        if found is None:
            found = self._numbers[id(value)] = (value, float(to_decimal(value)))
        return found[1]

    def text(self, sheet: Worksheet, row: int, column: int, text: str, look: Format) -> None:
        """A text cell that can never become a formula (Excel's quote prefix when needed)."""
        if not text:
            sheet.write_blank(row, column, None, look)
            return
        if text.startswith(FORMULA_PREFIXES):
            look = self.quoted(look)
        if text.startswith("<r>") and text.endswith("</r>"):
            font = self.font(look)
            failed = sheet.write_rich_string(row, column, font, text[:1], font, text[1:], look)
        else:
            failed = sheet.write_string(row, column, text, look)
        if failed and failed != -2:  # -2: cut to Excel's 32,767 characters
            raise ValueError(f"cannot write text to row {row + 1}, column {column + 1}: {failed}")

    def value(self, sheet: Worksheet, row: int, column: int, value, looks: tuple) -> None:
        """Any value of a row: text, number (int or exact), empty, yes/no."""
        texts, integers, exacts = looks
        if isinstance(value, bool):
            self.text(sheet, row, column, "Có" if value else "Không", texts[column])
        elif isinstance(value, int):
            sheet.write_number(row, column, int(value), integers[column])
        elif isinstance(value, Fraction | Decimal):
            sheet.write_number(row, column, self.number(value), exacts[column])
        elif value is None:
            sheet.write_blank(row, column, None, texts[column])
        else:
            self.text(sheet, row, column, str(value), texts[column])

    def write_sheet(self, sheet: Worksheet, report: Report) -> None:
        columns = len(report.columns)
        header = len(report.subtitle) + 2  # zero-based; an empty row above the header
        last = header + len(report.rows) + (report.footer is not None) + 1 + len(report.notes)
        if last >= EXCEL_ROWS or columns > EXCEL_COLUMNS:
            # XlsxWriter would leave out the cells beyond, silently.
            raise ValueError(f"{last + 1} rows of {columns} columns do not fit in a sheet")

        for index, column in enumerate(report.columns):
            # set_column() would add Excel's cell padding to the width: keep the widths the
            # sheets have always stored (<col width="30">), as pixels.
            sheet.set_column_pixels(index, index, round(column.width * PIXELS_PER_CHARACTER))
        sheet.freeze_panes(header + 1, 0)
        sheet.repeat_rows(header)
        sheet.set_paper(A4)
        if report.landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)

        def merged_line(row: int, text: str, look: Format) -> None:
            if columns > 1:  # Excel does not merge a single cell
                sheet.merge_range(row, 0, row, columns - 1, "", look)
            self.text(sheet, row, 0, text, look)

        merged_line(0, report.title, self.look(**TITLE))
        for row, line in enumerate(report.subtitle, start=1):
            merged_line(row, line, self.look(**SUBTITLE))

        rows = report.iterate()
        sheet.set_row(header, 32)
        head = self.look(**HEAD)
        for index, text in enumerate(next(rows)):
            self.text(sheet, header, index, text, head)

        body, footer = self.cell_looks(report, bold=False), self.cell_looks(report, bold=True)
        section = self.look(**SECTION)
        numbers = self._numbers
        write_number, write_string = sheet.write_number, sheet.write_string
        row = header
        for values in rows:
            row += 1
            if isinstance(values, Section):
                merged_line(row, values.title, section)
                continue
            if len(values) != columns:
                raise ValueError(f"row of {len(values)} values for {columns} columns")
            looks = footer if values is report.footer else body
            texts, integers, exacts = looks
            # The common values first, inline: 10,000 rows of a dozen or more cells.
            for index, value in enumerate(values):
                kind = value.__class__
                if kind is Fraction or kind is Decimal:
                    found = numbers.get(id(value))
                    number = found[1] if found is not None else self.number(value)
                    write_number(row, index, number, exacts[index])
                elif kind is str:
                    if value and value[0] not in CAREFUL_FIRST:
                        write_string(row, index, value, texts[index])
                    else:
                        self.text(sheet, row, index, value, texts[index])
                elif kind is int:
                    write_number(row, index, value, integers[index])
                else:
                    self.value(sheet, row, index, value, looks)

        note = self.look(**NOTE)
        for offset, line in enumerate(report.notes, start=2):  # after an empty row
            self.text(sheet, row + offset, 0, line, note)


def safe_sheet_title(name: str) -> str:
    """A name Excel accepts for a sheet: none of []:*?/\\, at most 31 characters (UTF-16
    units), no apostrophe first or last."""
    for char in "[]:*?/\\":
        name = name.replace(char, "-")
    return _cut(name, 31).strip("'") or "Báo cáo"


def unique_sheet_title(title: str, taken: set[str]) -> str:
    """`title`, numbered when a sheet of the workbook already has it (Excel ignores case)."""
    candidate, number = title, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _cut(title, 31 - len(suffix)).rstrip("'") + suffix
    taken.add(candidate.lower())
    return candidate


def _cut(text: str, units: int) -> str:
    """`text` cut to `units` UTF-16 code units (how Excel counts a sheet name)."""
    text = text[:units]
    while len(text.encode("utf-16-le")) > 2 * units:
        text = text[:-1]
    return text
