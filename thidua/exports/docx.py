"""Word renderer: a report's table inside a Vietnamese administrative document.

Layout after Decree 30/2020/NĐ-CP (Appendix I): A4, margins top and bottom 20 mm, left
30 mm, right 15 mm; Times New Roman throughout (set on every run and in the document
defaults, east-Asian and complex-script slots included, so Word never substitutes a font
without Vietnamese diacritics). The header is a borderless two-column table: the
supervising body (upright) and the issuing body (bold, a short rule under it) on the left,
the national motto on the right (bold; the second line bold and underlined); the number
line under the issuing body and the place-date line in italics under the motto. Then the
document kind and its summary (bold, centred, a short rule under them), the addressee,
the body, the table, and the signature block next to "Nơi nhận:". Every placeholder the
signer fills in is dotted.

Columns marked `detail` (one per criterion) are left out: an A4 page cannot hold them;
the Excel and PDF exports carry them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from thidua.exports.rows import Report, Section, format_number, vietnamese_date

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # mm
TEXT_WIDTH_MM = 210 - MARGINS["left"] - MARGINS["right"]
# The motto (13 pt bold) is 95 mm wide: the right column must hold it on one line.
HEADER_LEFT_MM, HEADER_RIGHT_MM = 60, TEXT_WIDTH_MM - 60
BODY_SIZE, TABLE_SIZE = 14, 12
MIN_SHARE = 10  # the narrowest Word column, in Excel width units
DOTS = "……"
# The children of w:pPr that the schema puts after w:pBdr (Word rejects other orders).
PPR_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


@dataclass
class AdminDocument:
    """What a Decree 30 document says around its table."""

    supervising_body: str  # "UBND TỈNH SÓC TRĂNG"
    issuing_body: str  # "SỞ NỘI VỤ"
    number: str  # "01/TTr-SNV"; "" leaves it to fill in: "Số:      /TTr-SNV"
    symbol: str  # "TTr-SNV", used when the number is blank
    place: str  # "Sóc Trăng"
    date: datetime.date | None  # None: "ngày …… tháng …… năm 2023", to fill in
    year: int
    kind: str  # "TỜ TRÌNH"
    summary: str  # "Về việc …"
    addressee: str = ""  # "Kính gửi: Ủy ban nhân dân tỉnh Sóc Trăng."
    before: list[str] = field(default_factory=list)  # paragraphs before the table
    after: list[str] = field(default_factory=list)  # paragraphs after it
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)  # "Như trên;", "Lưu: VT, TĐKT."
    title: str = ""  # core properties
    author: str = ""

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}" if self.number else f"Số:        /{self.symbol}"

    @property
    def date_line(self) -> str:
        if self.date is None:
            return f"{self.place}, ngày {DOTS} tháng {DOTS} năm {self.year}"
        return f"{self.place}, {vietnamese_date(self.date)}"


def render_docx(document: AdminDocument, report: Report) -> bytes:
    doc = Document()
    _set_defaults(doc)
    _page(doc)
    _header(doc, document)
    _title(doc, document)
    for text in document.before:
        _body_paragraph(doc, text)
    _table(doc, report)
    for text in document.after:
        _body_paragraph(doc, text)
    _signature(doc, document)
    doc.core_properties.title = document.title or document.summary
    doc.core_properties.author = document.author
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- fonts and page --------------------------------------------------------------------


def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def _set_defaults(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_fonts(rpr)
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        _set_fonts(style.element.get_or_add_rPr())
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance = section.footer_distance = Mm(10)


def run(paragraph, text: str, *, size=BODY_SIZE, bold=False, italic=False, underline=False):
    """A run in Times New Roman (all four font slots), however Word's defaults are set."""
    lines = text.split("\n")
    result = paragraph.add_run(lines[0])
    for line in lines[1:]:
        result.add_break()
        result.add_text(line)
    result.font.name = FONT
    _set_fonts(result._element.get_or_add_rPr())
    result.font.size = Pt(size)
    # None rather than False: the run inherits (no explicit "off" in the XML).
    result.bold, result.italic = bold or None, italic or None
    result.underline = underline or None
    return result


def paragraph(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    para = container.add_paragraph()
    para.alignment = align
    para.paragraph_format.space_after = Pt(0)
    if text:
        run(para, text, **style)
    return para


def _rule(container, width_mm: float, container_mm: float):
    """A short centred horizontal rule: an empty paragraph with a bottom border."""
    para = container.add_paragraph()
    indent = max(0.0, (container_mm - width_mm) / 2)
    fmt = para.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(indent), Mm(indent)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr = para._p.get_or_add_pPr()
    ppr.insert_element_before(borders, *PPR_AFTER_BORDERS)
    return para


def _cell_width(cell, width_mm: float) -> None:
    cell.width = Mm(width_mm)


def _grid(table, widths_mm: list[float]) -> None:
    """Column widths in the table grid too: LibreOffice reads the grid, Word the cells."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        column.w = Mm(width)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
        "w:tblDescription", "w:tblPrChange",
    )  # fmt: skip


# -- parts of the document -------------------------------------------------------------


def _header(doc, document: AdminDocument) -> None:
    table = doc.add_table(rows=2, cols=2)
    _grid(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    for row in table.rows:
        _cell_width(row.cells[0], HEADER_LEFT_MM)
        _cell_width(row.cells[1], HEADER_RIGHT_MM)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(left.paragraphs[0], document.supervising_body, size=13)
    paragraph(left, document.issuing_body, size=13, bold=True)
    _rule(left, HEADER_LEFT_MM / 3, HEADER_LEFT_MM)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(right.paragraphs[0], MOTTO, size=13, bold=True)
    paragraph(right, MOTTO_LINE, size=14, bold=True, underline=True)

    number, date = table.cell(1, 0), table.cell(1, 1)
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraphs[0].paragraph_format.space_before = Pt(6)
    run(number.paragraphs[0], document.number_line, size=13)
    date.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    date.paragraphs[0].paragraph_format.space_before = Pt(6)
    run(date.paragraphs[0], document.date_line, size=14, italic=True)


def _title(doc, document: AdminDocument) -> None:
    kind = paragraph(doc, document.kind, size=14, bold=True)
    kind.paragraph_format.space_before = Pt(18)
    paragraph(doc, document.summary, size=14, bold=True)
    _rule(doc, TEXT_WIDTH_MM / 4, TEXT_WIDTH_MM)
    if document.addressee:
        addressee = paragraph(doc, document.addressee, size=14)
        addressee.paragraph_format.space_before = Pt(12)
        addressee.paragraph_format.space_after = Pt(12)


def _body_paragraph(doc, text: str, *, size=BODY_SIZE, italic=False, indent=True):
    para = paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=size, italic=italic)
    fmt = para.paragraph_format
    if indent:
        fmt.first_line_indent = Mm(12.7)
    fmt.space_before = Pt(6)
    fmt.line_spacing = 1.15
    return para


def _table(doc, report: Report) -> None:
    columns = [(index, column) for index, column in enumerate(report.columns) if not column.detail]
    # Excel widths as proportions, but wide enough for "STT" or "Hạng" in 12 pt bold.
    shares = [max(column.width, MIN_SHARE) for _, column in columns]
    widths = [TEXT_WIDTH_MM * share / sum(shares) for share in shares]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid(table, widths)

    header = table.rows[0]
    _repeat_as_header(header)
    for cell, (_, column), width in zip(header.cells, columns, widths, strict=True):
        _cell_width(cell, width)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(cell.paragraphs[0], column.header.replace("\n", " "), size=TABLE_SIZE, bold=True)

    for values in report.rows:
        _table_row(table, report, columns, widths, values)
    if report.footer is not None:
        _table_row(table, report, columns, widths, report.footer, bold=True)


def _table_row(table, report, columns, widths, values, *, bold=False) -> None:
    cells = table.add_row().cells
    for cell, width in zip(cells, widths, strict=True):
        _cell_width(cell, width)
    if isinstance(values, Section):
        merged = cells[0].merge(cells[-1])
        run(merged.paragraphs[0], values.title, size=TABLE_SIZE, bold=True)
        return
    for cell, (index, column) in zip(cells, columns, strict=True):
        value = values[index]
        is_number = value is not None and not isinstance(value, str)
        text = format_number(value, report.places(column)) if is_number else value or ""
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if column.numeric else WD_ALIGN_PARAGRAPH.LEFT
        run(para, text, size=TABLE_SIZE, bold=bold)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _signature(doc, document: AdminDocument) -> None:
    # The closing sentence, the signature and "Nơi nhận" stay on one page.
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    spacer = paragraph(doc)
    spacer.paragraph_format.space_after = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    cant_split = OxmlElement("w:cantSplit")
    table.rows[0]._tr.get_or_add_trPr().append(cant_split)
    _grid(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell_width(left, TEXT_WIDTH_MM / 2)
    _cell_width(right, TEXT_WIDTH_MM / 2)

    heading = left.paragraphs[0]
    run(heading, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in document.recipients:
        paragraph(left, f"- {line}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)

    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(right.paragraphs[0], document.signer_title, size=14, bold=True)
    for _ in range(4):  # room for the signature and the seal
        paragraph(right, size=14)
    name = document.signer_name or DOTS * 5
    paragraph(right, name, size=14, bold=True)
