"""The results table as a Word document (Decree 30 layout), read back with python-docx."""

import pytest

from thidua.exports.documents import ranking_document
from thidua.exports.docx import render_docx
from thidua.exports.rows import ranking_report
from thidua.results.ranking import build_ranking
from thidua.scoring import format_vi
from thidua.units.models import Level

from .docx_reading import (
    assert_decree_30_layout,
    open_docx,
    recipients_cell,
    run_with,
    signature_cell,
)


@pytest.fixture
def commune_ranking(filled, period):
    return build_ranking(period, Level.objects.get(code="xa"))


@pytest.mark.django_db
def test_the_results_table_is_an_administrative_document(commune_ranking):
    content = render_docx(ranking_document(commune_ranking), ranking_report(commune_ranking))
    document = open_docx(content)
    assert_decree_30_layout(document)
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số:        /BC-SNV"
    assert "ngày …… tháng …… năm" in header.cell(1, 1).text
    assert run_with(document, "BÁO CÁO").bold
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert any(
        text.startswith("Kết quả chấm điểm, xếp hạng thi đua Chuyển đổi số") for text in texts
    )
    assert any("Căn cứ Quyết định số 2435/QĐ-UBND ngày 05/10/2023" in text for text in texts)


@pytest.mark.django_db
def test_the_results_table_names_every_unit_with_its_total(commune_ranking):
    content = render_docx(ranking_document(commune_ranking), ranking_report(commune_ranking))
    table = open_docx(content).tables[1]
    assert [cell.text for cell in table.rows[0].cells] == [
        "STT",
        "Hạng",
        "Đơn vị",
        "Huyện",
        "Tổng điểm",
        "Xếp loại",
        "Trạng thái",
    ]  # codes and criterion columns stay in Excel and PDF: A4 portrait cannot hold them
    rows = {
        (row.cells[2].text, row.cells[3].text): [cell.text for cell in row.cells]
        for row in table.rows[1:]
    }
    ward5 = next(row for row in commune_ranking.rows if row.unit.code == "31498")
    city = "Thành phố Sóc Trăng"
    assert rows["Phường 5", city][4] == format_vi(ward5.total, 2)
    assert rows["Phường 5", city][5] == "Tốt"
    assert rows["Phường 7", city][1] == rows["Phường 6", city][1] == "2"
    assert len(rows) == len(commune_ranking.rows)


@pytest.mark.django_db
def test_the_document_ends_with_a_signature_block(commune_ranking):
    content = render_docx(ranking_document(commune_ranking), ranking_report(commune_ranking))
    document = open_docx(content)
    signature = signature_cell(document)
    assert signature.paragraphs[0].text == "GIÁM ĐỐC"
    assert signature.paragraphs[0].runs[0].bold
    assert len(signature.paragraphs) >= 5  # room to sign, then the name
    recipients = recipients_cell(document)
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert "- Lưu: VT, TĐKT." in recipients.text
