"""Files and entries for the source-data tests."""

import io

from openpyxl import Workbook

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.services import save_self_inputs
from thidua.units.models import Unit

HEADER = "unit_code,criterion_code,rate,numerator,denominator"
DVC = "Cổng DVC tỉnh"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows: list[list], *, formats: dict | None = None) -> bytes:
    """A workbook whose first sheet holds `rows`; `formats` maps "C2" to a number format."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assessment_of(unit_code: str, period, state=Assessment.State.DRAFT) -> Assessment:
    assessment, _ = Assessment.objects.get_or_create(
        period=period, unit=Unit.objects.get(code=unit_code)
    )
    if assessment.state != state:
        assessment.state = state
        assessment.save(update_fields=["state"])
    return assessment


def self_report(unit_code: str, code: str, inputs: dict, period, user) -> CriterionEntry:
    """The unit's own inputs, saved as the unit saves them (the assessment is a draft)."""
    assessment = assessment_of(unit_code, period)
    return save_self_inputs(assessment=assessment, criterion_code=code, inputs=inputs, user=user)


def entry(unit_code: str, code: str) -> CriterionEntry | None:
    return CriterionEntry.objects.filter(
        assessment__unit__code=unit_code, criterion_code=code
    ).first()
