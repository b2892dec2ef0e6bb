"""PDF exports read back with pdftotext: Vietnamese names, totals with a decimal comma."""

import pytest

from thidua.assessments.scores import score_sheet
from thidua.exports import pdf
from thidua.exports.rows import ranking_report, score_sheet_report
from thidua.results.ranking import build_ranking
from thidua.scoring import format_vi
from thidua.units.models import Level

from .support import pdf_text, poppler


def pdf_info(content: bytes, tmp_path) -> str:
    return poppler("pdfinfo", content, tmp_path)


def fonts_of(content: bytes, tmp_path) -> str:
    return poppler("pdffonts", content, tmp_path)


@pytest.mark.django_db
def test_the_score_sheet_pdf_has_the_decisions_table(filled, tmp_path):
    sheet = score_sheet(filled["ward5"])
    content = pdf.render_pdf(score_sheet_report(sheet))
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "PHIẾU CHẤM ĐIỂM THI ĐUA CHUYỂN ĐỔI SỐ NĂM 2023" in text
    assert "Phường 5" in text
    for header in ("STT", "Nội dung tiêu chí", "Ghi chú", "Tổng cộng"):
        assert header in text
    assert "Điểm tự chấm" in text and "Điểm thẩm định" in text
    assert format_vi(sheet.final_total.total, 2) in text  # e.g. "87,31"
    assert "Không áp dụng: Phường không có bộ phận một cửa riêng" in text
    assert "Nguồn số liệu thẩm định: Hệ thống quản lý văn bản" in text


@pytest.mark.django_db
def test_the_ranking_pdf_is_landscape_with_every_unit_and_total(filled, period, tmp_path):
    ranking = build_ranking(period, Level.objects.get(code="tinh"))
    content = pdf.render_pdf(ranking_report(ranking))
    text = pdf_text(content, tmp_path)
    assert "Sở Thông tin và Truyền thông" in text
    assert "Sở Văn hóa, Thể thao và Du lịch" in text
    department = next(row for row in ranking.rows if row.unit.code == "SO-TTTT")
    assert format_vi(department.total, 2) in text
    assert "T16" in text and "Trạng thái" in text
    assert "Kết quả sơ bộ, chưa phải kết quả chính thức" in text
    assert "841.89 x 595.2" in pdf_info(content, tmp_path)  # A4 landscape


@pytest.mark.django_db
def test_the_fonts_are_embedded(filled, period, tmp_path):
    ranking = build_ranking(period, Level.objects.get(code="xa"))
    fonts = fonts_of(pdf.render_pdf(ranking_report(ranking)), tmp_path)
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert lines
    assert all(" yes yes yes " in line for line in lines)  # embedded, subset, unicode


def test_the_font_files_exist():
    faces = pdf.font_faces()
    assert len(faces) == 4
    assert all(face.path.is_file() for face in faces)


def test_rendering_fetches_nothing_but_the_fonts():
    fetcher = pdf.FontsOnlyFetcher({"file:///usr/share/fonts/x.ttf"})
    with pytest.raises(ValueError, match="Không tải"):
        fetcher.fetch("http://evil.example/track.png")
    with pytest.raises(ValueError, match="Không tải"):
        fetcher.fetch("file:///etc/passwd")
