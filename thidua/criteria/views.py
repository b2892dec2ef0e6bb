from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from thidua.criteria.models import CriteriaSetVersion
from thidua.criteria.services import scoring_library


@login_required
def version_list(request):
    versions = CriteriaSetVersion.objects.select_related("criteria_set").prefetch_related(
        "levels__criteria"
    )
    return render(request, "criteria/version_list.html", {"versions": versions})


@login_required
def level_detail(request, set_code, version, level_code=None):
    criteria_version = get_object_or_404(
        CriteriaSetVersion.objects.select_related("criteria_set"),
        criteria_set__code=set_code,
        version=version,
    )
    library = scoring_library(criteria_version)
    levels = library.levels
    if level_code is None:
        level = levels[0]
    else:
        level = next((lvl for lvl in levels if lvl.code == level_code), None)
        if level is None:
            raise Http404("Không có cấp này trong bộ tiêu chí")
    ctx = {
        "version": criteria_version,
        "library": library,
        "levels": levels,
        "level": level,
        "unconfirmed": [c for c in level.criteria if not c.points_confirmed],
    }
    return render(request, "criteria/level_detail.html", ctx)
