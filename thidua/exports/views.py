"""Downloads of rankings and score sheets, with the scope of the pages they come from.

A ranking follows `thidua.results.access` (district reviewers: their communes ranked among
themselves; unit roles: once published, their own level without criterion scores); a
score sheet follows `thidua.assessments.access` (out of scope: 404).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.scores import score_sheet
from thidua.collector import collector_paused
from thidua.exports import docx, pdf, xlsx
from thidua.exports.documents import ranking_document
from thidua.exports.http import attachment
from thidua.exports.rows import ranking_report, score_sheet_report
from thidua.periods.services import period_or_404
from thidua.results import access as results_access
from thidua.results.ranking import build_ranking
from thidua.units.models import Level, Unit, UnitKind

RENDERERS = {
    "xlsx": (xlsx.CONTENT_TYPE, xlsx.render_xlsx),
    "pdf": (pdf.CONTENT_TYPE, pdf.render_pdf),
}


def _filters(request, level: Level, access) -> tuple[UnitKind | None, Unit | None]:
    """The ranking page's kind and district filters; a district reviewer keeps their own."""
    kind = None
    if request.GET.get("kind"):
        kind = get_object_or_404(UnitKind, level=level, code=request.GET["kind"])
    district = access.district
    if district is None and request.GET.get("district") and level.parent_level_id:
        district = get_object_or_404(
            Unit, level=level.parent_level_id, code=request.GET["district"]
        )
    return kind, district


@login_required
@collector_paused()  # once around the whole export, not between its steps (see collector)
def ranking_export(request, period_code, level_code, fmt):
    period = period_or_404(period_code)
    access = results_access.ranking_access(request.user, period)
    level = get_object_or_404(Level, code=level_code)
    access.require_level(level)
    kind, district = _filters(request, level, access)
    ranking = build_ranking(
        period,
        level,
        user=request.user if access.scoped_to_user else None,
        kind=kind,
        district=district,
    )
    report = ranking_report(ranking, detail=access.detail)
    name = f"Xếp hạng {period.code} {level.name}"
    if kind is not None:
        name += f" {kind.name}"
    if district is not None:
        name += f" {district.name}"
    if fmt == "docx":
        content = docx.render_docx(ranking_document(ranking), report)
        return attachment(content, docx.CONTENT_TYPE, f"{name}.docx")
    if fmt not in RENDERERS:
        raise Http404("Không có định dạng này")
    content_type, render = RENDERERS[fmt]
    return attachment(render(report), content_type, f"{name}.{fmt}")


@login_required
def sheet_export(request, period_code, unit_code, fmt):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    assessment = access.assessment
    report = score_sheet_report(score_sheet(assessment))
    if fmt not in RENDERERS:
        raise Http404("Không có định dạng này")
    content_type, render = RENDERERS[fmt]
    name = f"Phiếu chấm điểm {assessment.period.code} {assessment.unit.code} {assessment.unit.name}"
    return attachment(render(report), content_type, f"{name}.{fmt}")
