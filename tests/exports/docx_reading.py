"""Reading a Decree 30 document back with python-docx (export and award tests)."""

import io

from docx import Document
from docx.oxml.ns import qn

FONT = "Times New Roman"


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def all_runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def run_with(document, text: str):
    return next(run for run in all_runs(document) if run.text == text)


def assert_decree_30_layout(document) -> None:
    """Page, fonts and header as Decree 30/2020/NĐ-CP sets them."""
    section = document.sections[0]

    def mm(length) -> float:
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert 20 <= mm(section.top_margin) <= 25 and 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35 and 15 <= mm(section.right_margin) <= 20

    runs = list(all_runs(document))
    assert runs
    for run in runs:
        assert run.font.name == FONT
        fonts = run._element.rPr.find(qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            assert fonts.get(qn(slot)) == FONT
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == FONT
    assert document.styles["Normal"].font.name == FONT
    body_sizes = {run.font.size.pt for run in document.paragraphs[0].runs}
    assert body_sizes <= {13, 14}

    header = document.tables[0]
    motto = run_with(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert motto.bold
    line = run_with(document, "Độc lập - Tự do - Hạnh phúc")
    assert line.bold and line.underline
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert header.cell(0, 0).text.startswith("UBND TỈNH SÓC TRĂNG\nSỞ NỘI VỤ")
    assert run_with(document, "SỞ NỘI VỤ").bold
    date = header.cell(1, 1).paragraphs[0].runs[0]
    assert date.italic and date.text.startswith("Sóc Trăng, ngày ")


def signature_cell(document):
    return document.tables[-1].cell(0, 1)


def recipients_cell(document):
    return document.tables[-1].cell(0, 0)
