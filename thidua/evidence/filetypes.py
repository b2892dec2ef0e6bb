"""What an uploaded evidence file really is, judged by its content, and whether we take it.

Only the first bytes, the last 64 KB (the central directory of a ZIP, or a ZIP appended to
a PDF or an image) and the directory of an OLE2 compound file are read: never the whole
file. The `filetype` package recognises the simple signatures (PDF, JPEG, PNG, and the many
types we refuse); ZIP and OLE2 containers are opened here, because the type of an Office
file is in the names of its parts, and so are macros and archives carried inside.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from filetype.types import archive, image

HEADER_BYTES = 8192

# ZIP containers (DOCX, XLSX, ODT, ODS): what we accept before calling a file a zip bomb.
# The sizes are those the central directory declares; nothing is decompressed here.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
# Small parts (styles, content types) compress far better than 100:1 in honest files.
ZIP_RATIO_MIN_BYTES = 1024 * 1024

# OLE2 compound files (DOC, XLS): how much of the directory we are willing to walk.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
OLE_MAX_DIFAT_SECTORS = 256
OLE_END_OF_CHAIN = 0xFFFFFFFA  # this and above: end of chain, free or special sectors


class EvidenceRejected(ValidationError):
    """An evidence file or citation we refuse; `.message` is a Vietnamese sentence for the user."""


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    kind: str  # "document", "image" or "video" (Evidence.Kind values)
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("pdf", "PDF", "application/pdf", "document", ("pdf",))
DOC = FileType("doc", "DOC", "application/msword", "document", ("doc",))
XLS = FileType("xls", "XLS", "application/vnd.ms-excel", "document", ("xls",))
DOCX = FileType(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "document",
    ("docx",),
)
XLSX = FileType(
    "xlsx",
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "document",
    ("xlsx",),
)
ODT = FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", "document", ("odt",))
ODS = FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", "document", ("ods",))
JPEG = FileType("jpeg", "JPG", "image/jpeg", "image", ("jpg", "jpeg", "jfif"))
PNG = FileType("png", "PNG", "image/png", "image", ("png",))
MP4 = FileType("mp4", "MP4", "video/mp4", "video", ("mp4",))

ALLOWED_TYPES = (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, JPEG, PNG, MP4)
TYPES_BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED_TYPES}
ALLOWED_EXTENSIONS = tuple(ext for t in ALLOWED_TYPES for ext in t.extensions)
INLINE_CONTENT_TYPES = frozenset({PDF.content_type, JPEG.content_type, PNG.content_type})

# A name ending in one of these contradicts any type we accept (or hides one we refuse).
REFUSED_EXTENSIONS = frozenset(
    {"exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf"}
    | {"hta", "jar", "sh", "bash", "py", "pl", "php", "asp", "aspx", "jsp", "cgi", "lnk", "url"}
    | {"html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "mht", "mhtml", "reg"}
    | {"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "apk", "dmg", "iso"}
    | {"zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "cab"}
)

# Parts of a DOCX/XLSX/ODT/ODS that no office suite writes: another archive or a program
# carried inside the document, to be unpacked or run once it is opened elsewhere.
NESTED_REFUSED_EXTENSIONS = frozenset(
    {"zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "cab", "jar", "apk", "dmg", "iso"}
    | {"exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse"}
    | {"wsf", "hta", "sh", "lnk", "url", "reg"}
)
# A ZIP appended to a PDF or an image ends with this record: the file is also an archive
# (a JAR, a dropper) and is refused, whatever it shows when opened as a PDF or picture.
ZIP_END_RECORD = b"PK\x05\x06"
ZIP_TAIL_BYTES = 22 + 65535

_MP4_BRANDS = frozenset(
    {"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "mp71", "avc1", "dash"}
    | {"M4V ", "M4VH", "M4VP", "MSNV", "mmp4", "3gp4", "3gp5", "3gp6", "3g2a"}
)
# ISO-BMFF brands of still images and QuickTime: an MP4 brand among their compatible brands
# does not make them a clip we can play everywhere.
_NOT_MP4_MAJOR_BRANDS = frozenset({"qt  ", "heic", "heix", "heim", "heis", "mif1", "msf1", "avif"})

_SIMPLE_MATCHERS = {archive.Pdf().mime: PDF, image.Jpeg().mime: JPEG, image.Png().mime: PNG}
_SIMPLE_MATCHER_LIST = [archive.Pdf(), image.Jpeg(), image.Png()]

_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}

_FORBIDDEN_NAME_CHARS = re.compile(r'[<>:"|?*]')
# Device names Windows will not save a file under, whatever the extension ("CON.pdf").
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)")
DISPLAY_NAME_MAX_LENGTH = 180


def accepted_types_text() -> str:
    return "PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPG, PNG, MP4"


def human_size(size: int) -> str:
    """A byte count as Vietnamese readers write it: 1,5 MB."""
    if size < 1024:
        return f"{size} byte"
    for unit, factor in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if size < factor * 1024 or unit == "GB":
            text = f"{size / factor:.1f}".replace(".", ",")
            return f"{text.removesuffix(',0')} {unit}"
    raise AssertionError("unreachable")


def clean_display_name(raw: str | None, *, fallback_extension: str = "") -> str:
    """The name shown to users and offered on download: never used to store the file.

    Keeps Vietnamese letters; drops any path (`../`, `C:\\`), control and invisible format
    characters (including the right-to-left override that disguises `exe` as `pdf`),
    characters Windows refuses in names, leading dots; prefixes device names Windows
    reserves (`CON.pdf` → `_CON.pdf`); limits the length, keeping the extension.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = " ".join(name.split())
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _FORBIDDEN_NAME_CHARS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 10:
            keep = DISPLAY_NAME_MAX_LENGTH - len(extension) - 1
            name = f"{stem[:keep].rstrip(' .')}.{extension}"
        else:
            name = name[:DISPLAY_NAME_MAX_LENGTH].rstrip(" .")
    if not name or name.startswith("."):
        name = "tai-lieu-minh-chung" + (f".{fallback_extension}" if fallback_extension else "")
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    return name


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.strip().lower() if dot and stem else ""


def inspect_upload(file, name: str) -> FileType:
    """The accepted type of an uploaded file, or EvidenceRejected naming the file and why.

    `file` is a Django File (UploadedFile); `name` its display name (see clean_display_name).
    """
    size = file.size or 0
    if size <= 0:
        raise EvidenceRejected(f"Tệp «{name}» rỗng (0 byte): hãy chọn lại tệp.")
    document_limit = settings.THIDUA_EVIDENCE_MAX_BYTES
    video_limit = settings.THIDUA_EVIDENCE_MAX_VIDEO_BYTES
    if size > max(document_limit, video_limit):
        raise EvidenceRejected(
            f"Tệp «{name}» dung lượng {human_size(size)}, vượt giới hạn "
            f"{human_size(max(document_limit, video_limit))}."
        )
    file.seek(0)
    header = file.read(HEADER_BYTES)
    file.seek(0)
    detected = _detect(file, header, name)
    limit = video_limit if detected.kind == "video" else document_limit
    if size > limit:
        what = "video" if detected.kind == "video" else "tài liệu và ảnh"
        raise EvidenceRejected(
            f"Tệp «{name}» dung lượng {human_size(size)}, vượt giới hạn {human_size(limit)} "
            f"cho {what}."
        )
    _check_extension(name, detected)
    return detected


def _check_extension(name: str, detected: FileType) -> None:
    extension = extension_of(name)
    if not extension or extension in detected.extensions:
        return
    if extension in ALLOWED_EXTENSIONS or extension in REFUSED_EXTENSIONS:
        raise EvidenceRejected(
            f"Tệp «{name}» có đuôi .{extension} nhưng nội dung là {detected.label}: "
            f"hãy đổi tên tệp cho đúng (.{detected.extension}) hoặc chọn đúng tệp."
        )
    # Other endings ("QĐ 15.12.2023") say nothing about the type; the download name gets
    # the detected extension appended.


def _detect(file, header: bytes, name: str) -> FileType:
    if header.startswith(b"PK\x03\x04"):
        return _inspect_zip(file, name)
    if header.startswith(OLE_MAGIC):
        return _inspect_ole(file, name)
    matched = filetype.match(header, matchers=_SIMPLE_MATCHER_LIST)
    if matched is not None:
        detected = _SIMPLE_MATCHERS[matched.mime]
        _refuse_appended_zip(file, name, detected)
        return detected
    if _is_mp4(header):
        return MP4
    guessed = filetype.guess(header)
    looks_like = f" (nội dung có dạng {guessed.mime})" if guessed is not None else ""
    raise EvidenceRejected(
        f"Tệp «{name}» không phải loại tệp được nhận{looks_like}. Chỉ nhận "
        f"{accepted_types_text()}; loại tệp được kiểm tra theo nội dung, không theo tên."
    )


def _refuse_appended_zip(file, name: str, detected: FileType) -> None:
    """A PDF or image with a ZIP after it is two files in one (a polyglot): refused.

    Other trailing bytes (an HTML fragment after a JPEG) are harmless here: the file is
    served with its detected type, `nosniff` and a sandbox, and never as HTML.
    """
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - ZIP_TAIL_BYTES))
    tail = file.read(ZIP_TAIL_BYTES)
    file.seek(0)
    if ZIP_END_RECORD in tail:
        raise EvidenceRejected(
            f"Tệp «{name}» là {detected.label} nhưng có gắn thêm một tệp nén (ZIP) bên trong "
            "(tệp ghép nhiều định dạng), có thể là tệp độc hại nên không được nhận: hãy xuất "
            f"lại tệp {detected.label} rồi tải lên lại."
        )


def _is_mp4(header: bytes) -> bool:
    if len(header) < 16 or header[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(header[0:4], "big")
    if box_size < 16 or box_size > len(header):
        return False
    major = header[8:12].decode("latin-1")
    compatible = {header[i : i + 4].decode("latin-1") for i in range(16, box_size - 3, 4)}
    if major in _NOT_MP4_MAJOR_BRANDS:
        return False
    return major in _MP4_BRANDS or bool(compatible & _MP4_BRANDS)


def _inspect_zip(file, name: str) -> FileType:
    bomb = (
        f"Tệp «{name}» có cấu trúc nén bất thường (quá nhiều thành phần hoặc tỷ lệ nén quá "
        "cao), có thể là tệp độc hại nên không được nhận."
    )
    damaged = f"Tệp «{name}» bị hỏng hoặc không đọc được: hãy lưu lại tệp rồi tải lên lại."
    _check_zip_end_record(file, bomb, damaged)
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
            _check_zip_sizes(infos, bomb)
            names = [info.filename for info in infos]
            if any(info.flag_bits & 0x1 for info in infos):
                raise EvidenceRejected(
                    f"Tệp «{name}» được đặt mật khẩu: hãy gỡ mật khẩu rồi tải lên lại."
                )
            if _has_macros(names):
                raise EvidenceRejected(
                    f"Tệp «{name}» chứa macro (mã lệnh tự chạy) nên không được nhận: hãy lưu "
                    "thành tệp không có macro (.docx, .xlsx, .odt, .ods) rồi tải lên lại."
                )
            nested = _nested_payload(names)
            if nested:
                raise EvidenceRejected(
                    f"Tệp «{name}» chứa bên trong một tệp nén hoặc tệp chạy được ({nested}) "
                    "nên không được nhận: hãy bỏ tệp đính kèm đó khỏi văn bản rồi tải lên lại."
                )
            odf = _odf_type(zf, infos)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise EvidenceRejected(damaged) from None
    finally:
        file.seek(0)
    if odf is not None:
        return odf
    if "[Content_Types].xml" in names:
        word = any(n.startswith("word/") for n in names)
        excel = any(n.startswith("xl/") for n in names)
        if word != excel:
            return DOCX if word else XLSX
    raise EvidenceRejected(
        f"Tệp «{name}» là tệp nén (ZIP) nhưng không phải văn bản Word/Excel (.docx, .xlsx) "
        f"hay OpenDocument (.odt, .ods). Chỉ nhận {accepted_types_text()}."
    )


def _check_zip_end_record(file, bomb: str, damaged: str) -> None:
    """Refuse archives with too many entries before zipfile builds a list of them all."""
    file.seek(0, 2)
    size = file.tell()
    tail_size = min(size, 22 + 65535)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise EvidenceRejected(damaged)
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise EvidenceRejected(bomb)  # ZIP64: no Office document of ours needs it
    if entries > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_CENTRAL_DIRECTORY_BYTES:
        raise EvidenceRejected(bomb)


def _check_zip_sizes(infos: list[zipfile.ZipInfo], bomb: str) -> None:
    if len(infos) > ZIP_MAX_ENTRIES:
        raise EvidenceRejected(bomb)
    if sum(info.file_size for info in infos) > ZIP_MAX_UNCOMPRESSED_BYTES:
        raise EvidenceRejected(bomb)
    for info in infos:
        if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise EvidenceRejected(bomb)


def _has_macros(names: list[str]) -> bool:
    for part in names:
        lowered = part.lower()
        if lowered.rsplit("/", 1)[-1] == "vbaproject.bin":
            return True
        # OpenDocument keeps Basic and script macros in these folders.
        if lowered.startswith(("basic/", "scripts/")):
            return True
    return False


def _nested_payload(names: list[str]) -> str:
    """The name of the first part that is an archive or a program, or ""."""
    for part in names:
        if extension_of(part.rsplit("/", 1)[-1]) in NESTED_REFUSED_EXTENSIONS:
            return part.rsplit("/", 1)[-1]
    return ""


def _odf_type(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> FileType | None:
    """OpenDocument: the first entry is an uncompressed `mimetype` naming the document type."""
    if not infos or infos[0].filename != "mimetype":
        return None
    first = infos[0]
    if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
        return None
    mimetype = zf.read(first).decode("ascii", "replace").strip()
    return _ODF_MIMETYPES.get(mimetype)


def _inspect_ole(file, name: str) -> FileType:
    """Legacy Office (OLE2 compound file): Word has a `WordDocument` stream, Excel `Workbook`."""
    try:
        names = _ole_directory_names(file)
    except (struct.error, ValueError, OSError):
        raise EvidenceRejected(
            f"Tệp «{name}» bị hỏng hoặc không đọc được: hãy lưu lại tệp rồi tải lên lại."
        ) from None
    finally:
        file.seek(0)
    if "EncryptedPackage" in names:
        raise EvidenceRejected(f"Tệp «{name}» được đặt mật khẩu: hãy gỡ mật khẩu rồi tải lên lại.")
    if names & {"Macros", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT"}:
        raise EvidenceRejected(
            f"Tệp «{name}» chứa macro (mã lệnh tự chạy) nên không được nhận: hãy lưu thành "
            "tệp không có macro rồi tải lên lại."
        )
    if "WordDocument" in names:
        return DOC
    if names & {"Workbook", "Book"}:
        return XLS
    raise EvidenceRejected(
        f"Tệp «{name}» là tệp Office cũ nhưng không phải văn bản Word (.doc) hay bảng tính "
        f"Excel (.xls). Chỉ nhận {accepted_types_text()}."
    )


def _ole_directory_names(file) -> set[str]:
    file.seek(0)
    header = file.read(512)
    if len(header) < 512:
        raise ValueError("short header")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4
    fat_count, first_directory = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)

    def read_sector(sector: int) -> bytes:
        file.seek((sector + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("sector beyond the end of the file")
        return data

    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < OLE_END_OF_CHAIN]
    sector, seen = first_difat, 0
    while sector < OLE_END_OF_CHAIN and seen < min(difat_count, OLE_MAX_DIFAT_SECTORS):
        values = struct.unpack(f"<{per_sector}I", read_sector(sector))
        fat_sectors.extend(s for s in values[:-1] if s < OLE_END_OF_CHAIN)
        sector, seen = values[-1], seen + 1
    fat_sectors = fat_sectors[:fat_count]

    def next_sector(sector: int) -> int:
        index, offset = divmod(sector, per_sector)
        if index >= len(fat_sectors):
            raise ValueError("sector outside the allocation table")
        file.seek((fat_sectors[index] + 1) * sector_size + offset * 4)
        return struct.unpack("<I", file.read(4))[0]

    names: set[str] = set()
    sector, visited = first_directory, set()
    while sector < OLE_END_OF_CHAIN:
        if sector in visited or len(visited) * sector_size >= OLE_MAX_DIRECTORY_BYTES:
            raise ValueError("directory chain loops or is too long")
        visited.add(sector)
        data = read_sector(sector)
        for at in range(0, sector_size, 128):
            entry = data[at : at + 128]
            name_length, entry_type = struct.unpack_from("<HB", entry, 64)
            if entry_type in (1, 2, 5) and 2 <= name_length <= 64:
                names.add(entry[: name_length - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names
