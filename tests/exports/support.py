"""Shared by the export, award and browser tests: filled assessments and a hostile unit."""

import shutil
import subprocess

from tests.assessments.fill import fill_assessment
from thidua.assessments.models import Assessment
from thidua.units.models import Level, Unit, UnitKind

HOSTILE_NAME = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'


def fill(period, unit_code: str, user, *, skip=()) -> Assessment:
    """A unit's assessment with every criterion filled (the same inputs for every unit of
    a level, so two units filled alike tie), except the `skip` criteria."""
    unit = Unit.objects.get(code=unit_code)
    assessment, _ = Assessment.objects.get_or_create(period=period, unit=unit)
    fill_assessment(assessment, user, with_evidence=False, skip=skip)
    return assessment


def hostile_unit() -> Unit:
    level = Level.objects.get(code="tinh")
    return Unit.objects.create(
        code="SO-HACK",
        name=HOSTILE_NAME,
        level=level,
        kind=UnitKind.objects.get(level=level, code="so"),
    )


def poppler(tool: str, content: bytes, tmp_path, *args: str) -> str:
    """Run a poppler-utils tool (pdftotext, pdfinfo, pdffonts) on a PDF; its output."""
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(content)
    executable = shutil.which(tool)
    assert executable, f"{tool} is missing (apt-get install poppler-utils)"
    result = subprocess.run(  # noqa: S603 - a fixed tool on a file we wrote
        [executable, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def pdf_text(content: bytes, tmp_path) -> str:
    """The text of a PDF in drawing order (a table cell's lines stay together), every run
    of white space made one space: "Điểm tự chấm" even when the header wraps."""
    return " ".join(poppler("pdftotext", content, tmp_path, "-raw", "-enc", "UTF-8").split())
