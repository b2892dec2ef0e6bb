"""PDF renderer (WeasyPrint): A4, fonts embedded from the system's font files.

The fonts are Liberation Serif (metric-compatible with Times New Roman, full Vietnamese
coverage), else DejaVu Serif; each face is declared with @font-face from its file so that
WeasyPrint embeds exactly that font and diacritics never fall back to a font without them.
Only those font files can be fetched while rendering: a report holds user text (unit
names, reasons), never a URL, and the fetcher refuses everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from thidua.exports.rows import Report, Section, format_number

CONTENT_TYPE = "application/pdf"
TEMPLATE = "exports/report.html"
FONT_DIRS = [
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
]
# Font files per (weight, style), in order of preference.
FAMILIES = [
    {
        ("normal", "normal"): "LiberationSerif-Regular.ttf",
        ("bold", "normal"): "LiberationSerif-Bold.ttf",
        ("normal", "italic"): "LiberationSerif-Italic.ttf",
        ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
    },
    {
        ("normal", "normal"): "DejaVuSerif.ttf",
        ("bold", "normal"): "DejaVuSerif-Bold.ttf",
        ("normal", "italic"): "DejaVuSerif-Italic.ttf",
        ("bold", "italic"): "DejaVuSerif-BoldItalic.ttf",
    },
]


@dataclass(frozen=True)
class FontFace:
    weight: str
    style: str
    path: Path

    @property
    def url(self) -> str:
        return self.path.as_uri()


def font_faces() -> list[FontFace]:
    """The four faces of the first family found complete ([]: the system's serif)."""
    for family in FAMILIES:
        for directory in FONT_DIRS:
            faces = [
                FontFace(weight, style, directory / name)
                for (weight, style), name in family.items()
            ]
            if all(face.path.is_file() for face in faces):
                return faces
    return []


class FontsOnlyFetcher(URLFetcher):
    """Fetches the declared font files and nothing else."""

    def __init__(self, allowed: set[str], **kwargs):
        super().__init__(**kwargs)
        self.allowed = allowed

    def fetch(self, url, headers=None):
        if url not in self.allowed:
            raise ValueError(f"Không tải tài nguyên ngoài khi tạo PDF: {url[:80]}")
        return super().fetch(url, headers)


def table_rows(report: Report) -> list[dict]:
    """Rows as the template shows them: every value formatted, numbers right-aligned."""
    shown = []
    for values in report.rows:
        if isinstance(values, Section):
            shown.append({"section": values.title})
        else:
            shown.append({"cells": _cells(report, values)})
    return shown


def _cells(report: Report, values: list) -> list[dict]:
    cells = []
    for column, value in zip(report.columns, values, strict=True):
        is_number = not isinstance(value, str | type(None))
        text = format_number(value, report.places(column)) if is_number else value or ""
        cells.append({"text": text, "numeric": column.numeric})
    return cells


def render_pdf(report: Report) -> bytes:
    faces = font_faces()
    total_width = sum(column.width for column in report.columns)
    ctx = {
        "report": report,
        "faces": faces,
        "headers": [
            {
                "text": column.header,
                "numeric": column.numeric,
                "width": f"{100 * column.width / total_width:.2f}%",
            }
            for column in report.columns
        ],
        "rows": table_rows(report),
        "footer": _cells(report, report.footer) if report.footer else None,
        "font_size": _font_size(report),
    }
    html = render_to_string(TEMPLATE, ctx)
    fetcher = FontsOnlyFetcher({face.url for face in faces})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _font_size(report: Report) -> str:
    columns = len(report.columns)
    if columns > 18:
        return "7.5pt"
    if columns > 10:
        return "8.5pt"
    return "10pt"
