"""Download responses: a safe ASCII file name for every browser, the Vietnamese one too."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse


def ascii_filename(name: str) -> str:
    """ "Xếp hạng Cấp xã 2023.xlsx" → "xep-hang-cap-xa-2023.xlsx"."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.replace("Đ", "D").replace("đ", "d")
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower() or "tai-lieu"
    extension = re.sub(r"[^A-Za-z0-9]", "", extension).lower()
    return f"{stem}.{extension}" if extension else stem


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    utf8 = quote(filename.replace("/", "-"), safe="")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{utf8}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
