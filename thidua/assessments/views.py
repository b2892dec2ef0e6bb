from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.ranking import unit_totals
from thidua.assessments.scores import score_sheet
from thidua.periods.models import Period
from thidua.units.models import Level


@login_required
def score_sheet_view(request, period_code, unit_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    sheet = score_sheet(access.assessment)
    return render(request, "assessments/score_sheet.html", {"sheet": sheet, "access": access})


@login_required
def period_units(request, period_code):
    period = get_object_or_404(Period.objects.select_related("criteria_version"), code=period_code)
    levels = Level.objects.all()
    level_code = request.GET.get("level") or None
    level = next((lvl for lvl in levels if lvl.code == level_code), None)
    rows = unit_totals(request.user, period, level=level)
    ctx = {"period": period, "levels": levels, "level": level, "rows": rows}
    return render(request, "assessments/period_units.html", ctx)
