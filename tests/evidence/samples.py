"""Small files made on the fly: one valid file of each accepted type, and hostile ones."""

import io
import struct
import zipfile
import zlib

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN, FREE, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\x00" * 64 + b"\xff\xd9"


def mp4(major=b"isom", compatible=(b"isom", b"iso2", b"avc1", b"mp41")) -> bytes:
    brands = b"".join(compatible)
    ftyp = struct.pack(">I", 16 + len(brands)) + b"ftyp" + major + b"\x00\x00\x02\x00" + brands
    mdat = struct.pack(">I", 8 + 32) + b"mdat" + b"\x00" * 32
    return ftyp + mdat


def docx(paragraph="Kế hoạch chuyển đổi số năm 2023") -> bytes:
    document = Document()
    document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Tỷ lệ hồ sơ trực tuyến"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odf(mimetype="application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_extra_entries(base: bytes, entries: dict[str, bytes]) -> bytes:
    """A copy of a ZIP-based document with more parts added (macros, a bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, data in entries.items():
            target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return out.getvalue()


def ole(*names: str) -> bytes:
    """A minimal OLE2 compound file whose directory holds the given stream names (≤ 3)."""
    assert len(names) <= 3
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<8I", header, 0x2C, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))
    fat = struct.pack("<128I", FAT_SECTOR, END_OF_CHAIN, *([FREE] * 126))

    def entry(name: str, kind: int, child=NO_STREAM, right=NO_STREAM) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        data = bytearray(128)
        data[: len(encoded)] = encoded
        struct.pack_into("<HBBIII", data, 64, len(encoded), kind, 1, NO_STREAM, right, child)
        struct.pack_into("<II", data, 116, END_OF_CHAIN, 0)
        return bytes(data)

    entries = [entry("Root Entry", 5, child=1 if names else NO_STREAM)]
    for index, name in enumerate(names, start=1):
        entries.append(entry(name, 2, right=index + 1 if index < len(names) else NO_STREAM))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + fat + directory


def word97() -> bytes:
    return ole("WordDocument", "1Table")


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 64


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.cookie)</script></svg>"
    )


def shell_script() -> bytes:
    return b"#!/bin/sh\nrm -rf /\n"
