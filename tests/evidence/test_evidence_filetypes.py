import io
import zipfile

import pytest

from thidua.evidence import filetypes
from thidua.evidence.filetypes import (
    DOC,
    DOCX,
    JPEG,
    MP4,
    ODS,
    ODT,
    PDF,
    PNG,
    XLS,
    XLSX,
    EvidenceRejected,
    clean_display_name,
    human_size,
    inspect_upload,
)

from . import samples


def inspect(name, content, content_type="application/octet-stream"):
    return inspect_upload(samples.upload(name, content, content_type), name)


def refusal(name, content, content_type="application/octet-stream") -> str:
    with pytest.raises(EvidenceRejected) as caught:
        inspect(name, content, content_type)
    return caught.value.message


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("Kế hoạch.pdf", samples.pdf, PDF),
        ("ảnh hội nghị.png", samples.png, PNG),
        ("ảnh.jpg", samples.jpeg, JPEG),
        ("ảnh.JPEG", samples.jpeg, JPEG),
        ("báo cáo.docx", samples.docx, DOCX),
        ("số liệu.xlsx", samples.xlsx, XLSX),
        ("văn bản.odt", samples.odf, ODT),
        ("bảng.ods", lambda: samples.odf("application/vnd.oasis.opendocument.spreadsheet"), ODS),
        ("clip.mp4", samples.mp4, MP4),
        ("clip-mp42.mp4", lambda: samples.mp4(b"mp42", (b"mp42", b"mp41")), MP4),
        ("công văn.doc", lambda: samples.ole("WordDocument", "1Table"), DOC),
        ("bảng.xls", lambda: samples.ole("Workbook"), XLS),
        ("bảng cũ.xls", lambda: samples.ole("Book"), XLS),
        # An ending that names no file type says nothing either way.
        ("QĐ 15.12.2023", samples.pdf, PDF),
        ("scan", samples.png, PNG),
    ],
)
def test_it_recognises_each_accepted_type_by_its_content(name, make, expected):
    assert inspect(name, make()) == expected


@pytest.mark.parametrize(
    ("name", "make", "claimed"),
    [
        ("quyet-dinh.pdf", samples.elf, "application/pdf"),
        ("quyet-dinh.pdf", samples.windows_exe, "application/pdf"),
        ("quyet-dinh.pdf", samples.html, "application/pdf"),
        ("bieu-do.svg", samples.svg, "image/svg+xml"),
        ("bieu-do.png", samples.svg, "image/png"),
        ("chay.pdf", samples.shell_script, "application/pdf"),
        ("ghi-chu.txt", lambda: "Báo cáo".encode(), "text/plain"),
    ],
)
def test_it_refuses_content_of_other_types_whatever_the_name_and_claim(name, make, claimed):
    message = refusal(name, make(), claimed)
    assert f"«{name}»" in message
    assert "không phải loại tệp được nhận" in message


def test_it_names_what_a_refused_file_looks_like_when_it_can_tell():
    assert "application/x-executable" in refusal("quyet-dinh.pdf", samples.elf())


def test_it_refuses_an_empty_file():
    assert "rỗng" in refusal("trống.pdf", b"")


@pytest.mark.parametrize(
    ("name", "make", "detected"),
    [
        ("ảnh.pdf", samples.png, "PNG"),
        ("báo cáo.pdf", samples.docx, "DOCX"),
        ("báo cáo.doc", samples.docx, "DOCX"),
        ("số liệu.docx", samples.xlsx, "XLSX"),
        ("clip.jpg", samples.mp4, "MP4"),
        ("tài liệu.exe", samples.pdf, "PDF"),
        ("tài liệu.html", samples.pdf, "PDF"),
        ("báo cáo.zip", samples.docx, "DOCX"),
    ],
)
def test_it_refuses_a_name_whose_extension_contradicts_the_content(name, make, detected):
    message = refusal(name, make())
    assert f"«{name}»" in message
    assert f"nội dung là {detected}" in message


def test_it_applies_the_document_limit_to_documents_and_the_video_limit_to_clips(settings):
    settings.THIDUA_EVIDENCE_MAX_BYTES = 1000
    settings.THIDUA_EVIDENCE_MAX_VIDEO_BYTES = 5000
    big_pdf = samples.pdf() + b"\n" * 1200
    assert "vượt giới hạn 1000 byte cho tài liệu và ảnh" in refusal("lớn.pdf", big_pdf)
    clip = samples.mp4() + b"\x00" * 2000
    assert inspect("clip.mp4", clip) == MP4
    assert "vượt giới hạn 4,9 KB" in refusal("clip.mp4", clip + b"\x00" * 4000)


def test_it_refuses_a_file_over_every_limit_before_reading_it(settings):
    settings.THIDUA_EVIDENCE_MAX_BYTES = 100
    settings.THIDUA_EVIDENCE_MAX_VIDEO_BYTES = 200
    assert "vượt giới hạn 200 byte" in refusal("rất lớn.bin", b"\x00" * 300)


def test_it_refuses_a_docx_with_a_highly_compressed_large_part():
    bomb = samples.with_extra_entries(
        samples.docx(), {"word/media/image1.xml": b"\x00" * (5 * 1024 * 1024)}
    )
    assert len(bomb) < 100_000
    assert "tỷ lệ nén quá cao" in refusal("bom.docx", bomb)


def test_it_refuses_zips_declaring_too_much_content_or_too_many_parts(monkeypatch):
    document = samples.with_extra_entries(samples.docx(), {"word/a.xml": b"a" * 5000})
    monkeypatch.setattr(filetypes, "ZIP_MAX_UNCOMPRESSED_BYTES", 4000)
    assert "bất thường" in refusal("lớn.docx", document)
    monkeypatch.setattr(filetypes, "ZIP_MAX_UNCOMPRESSED_BYTES", 10**9)
    monkeypatch.setattr(filetypes, "ZIP_MAX_ENTRIES", 3)
    assert "quá nhiều thành phần" in refusal("nhiều.docx", document)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        (
            "macro.docx",
            lambda: samples.with_extra_entries(samples.docx(), {"word/vbaProject.bin": b"VBA"}),
        ),
        (
            "macro.xlsx",
            lambda: samples.with_extra_entries(samples.xlsx(), {"xl/vbaProject.bin": b"VBA"}),
        ),
        (
            "macro.odt",
            lambda: samples.with_extra_entries(samples.odf(), {"Basic/Standard/Module1.xml": b""}),
        ),
        ("macro.doc", lambda: samples.ole("WordDocument", "Macros")),
        ("macro.xls", lambda: samples.ole("Workbook", "_VBA_PROJECT_CUR")),
    ],
)
def test_it_refuses_office_documents_with_macros(name, make):
    assert "chứa macro" in refusal(name, make())


@pytest.mark.parametrize(
    ("name", "make", "why"),
    [
        ("nén.docx", samples.plain_zip, "không phải văn bản Word/Excel"),
        (
            "trình chiếu.odt",
            lambda: samples.odf("application/vnd.oasis.opendocument.presentation"),
            "không phải văn bản Word/Excel",
        ),
        ("hỏng.docx", lambda: samples.docx()[:-30], "bị hỏng"),
        ("trình chiếu.doc", lambda: samples.ole("PowerPoint Document"), "không phải văn bản Word"),
        ("mật khẩu.docx", lambda: samples.ole("EncryptedPackage"), "đặt mật khẩu"),
        ("hỏng.doc", lambda: samples.ole("WordDocument")[:600], "bị hỏng"),
        ("ảnh.mp4", lambda: samples.mp4(b"heic", (b"mif1", b"heic", b"iso8")), "không phải"),
        ("phim.mp4", lambda: samples.mp4(b"qt  ", (b"qt  ",)), "không phải"),
    ],
)
def test_it_refuses_containers_that_are_not_accepted_documents(name, make, why):
    assert why in refusal(name, make())


def test_it_refuses_encrypted_zip_entries():
    data = bytearray(samples.docx())
    # Set the "encrypted" flag of every entry in the central directory.
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    assert "đặt mật khẩu" in refusal("khoá.docx", bytes(data))


def test_it_reads_only_the_header_and_the_central_directory():
    class CountingFile(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            data = super().read(size)
            CountingFile.read_bytes += len(data)
            return data

    padding = bytes(range(256)) * 4000  # incompressible-ish, ~1 MB stored
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/scan.bin", padding, zipfile.ZIP_STORED)
    content = out.getvalue()

    upload = samples.upload("báo cáo.docx", b"")
    upload.file = CountingFile(content)
    upload.size = len(content)
    assert inspect_upload(upload, "báo cáo.docx") == DOCX
    assert CountingFile.read_bytes < 100_000 < len(content)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kế hoạch số 12-KH.pdf", "Kế hoạch số 12-KH.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\cán bộ\\Báo cáo.docx", "Báo cáo.docx"),
        ("báo\x00cáo\x1b[31m.pdf", "báocáo[31m.pdf"),
        ("dòng\nmới\t.pdf", "dòng mới .pdf"),
        ("hoá_đơn\u202efdp.exe", "hoá_đơnfdp.exe"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("  ...ẩn.pdf. ", "ẩn.pdf"),
        # Decomposed Vietnamese (as macOS sends it) is stored composed.
        ("Nghi\u0323 quyê\u0301t.pdf", "Nghị quyết.pdf"),
    ],
)
def test_it_cleans_display_names_and_keeps_vietnamese_letters(raw, expected):
    assert clean_display_name(raw) == expected


def test_it_shortens_long_names_but_keeps_the_extension():
    name = clean_display_name("Báo cáo " * 60 + ".xlsx")
    assert len(name) <= filetypes.DISPLAY_NAME_MAX_LENGTH
    assert name.endswith("cáo.xlsx") or name.endswith(".xlsx")


@pytest.mark.parametrize("raw", ["", "..", "../", "\x00\x01", "   "])
def test_it_names_files_whose_name_cleans_away(raw):
    assert clean_display_name(raw, fallback_extension="pdf") == "tai-lieu-minh-chung.pdf"


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 byte"),
        (1023, "1023 byte"),
        (1024, "1 KB"),
        (1536, "1,5 KB"),
        (25 * 1024 * 1024, "25 MB"),
        (1024**3, "1 GB"),
        (int(2.25 * 1024**3), "2,2 GB"),
    ],
)
def test_it_writes_sizes_as_vietnamese_readers_do(size, text):
    assert human_size(size) == text
