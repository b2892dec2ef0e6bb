from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.scores import score_sheet
from thidua.periods.models import Period
from thidua.periods.services import period_or_404
from thidua.results import access as results_access
from thidua.results.analysis import lost_total, ranking_losses, sheet_gaps, started
from thidua.results.dashboard import dashboard_data
from thidua.results.districts import matching_districts
from thidua.results.models import PublicResults
from thidua.results.page_cache import cached_content, ranking_key
from thidua.results.ranking import build_ranking, scored_levels
from thidua.results.ranking_page import ranking_page
from thidua.results.services import is_public, public_rankings, set_public_results
from thidua.units.models import Level, Unit, UnitKind

RANKING_PAGE_SIZE = 100
# A level with more districts than this shows a search field rather than a list of them.
DISTRICT_LIST_MAX = 40
DISTRICT_MATCHES_SHOWN = 30


def _period(period_code: str) -> Period:
    return period_or_404(period_code)


def _level(period: Period, access, level_code: str) -> Level:
    """The level, 404 if the period's criteria do not score it, 403 if the caller may not."""
    level = next((item for item in scored_levels(period) if item.code == level_code), None)
    if level is None:
        get_object_or_404(Level, code=level_code)
        raise Http404("Bộ tiêu chí của kỳ này không chấm cấp này")
    access.require_level(level)
    return level


def _filters(request, level: Level, access) -> dict:
    """The kind and district filters of a level's ranking, from the query string.

    An unknown code is a 404; a district reviewer is always held to their own district.
    """
    kinds = list(UnitKind.objects.filter(level=level))
    kind = None
    if request.GET.get("kind"):
        kind = next((k for k in kinds if k.code == request.GET["kind"]), None)
        if kind is None:
            raise Http404("Không có loại đơn vị này")
    districts = _districts(level, access)
    district = access.district
    if district is None and request.GET.get("district"):
        district = next((d for d in districts if d.code == request.GET["district"]), None)
        if district is None:
            raise Http404("Không có huyện này")
    chosen_district = district if districts else None  # a forced district is not a filter
    searched = _typed_district(request) if districts else ""
    return {
        "kind": kind,
        "kind_tabs": [(item, _query(item, chosen_district)) for item in [None, *kinds]],
        "districts": districts,
        "district": district,
        "query": _query(kind, chosen_district),
        # Hundreds of districts (a national contest) are searched, not listed.
        "district_search": len(districts) > DISTRICT_LIST_MAX,
        "district_q": searched,
        "district_matches": [
            (item, _query(kind, item)) for item in matching_districts(districts, searched)
        ][:DISTRICT_MATCHES_SHOWN],
    }


def _districts(level: Level, access) -> list[Unit]:
    """The districts a level's ranking may be filtered by ([] for a level without parents or
    a caller held to one district)."""
    if not level.parent_level_id or access.district is not None:
        return []
    return list(Unit.objects.active().filter(level=level.parent_level_id).order_by("code"))


def _typed_district(request) -> str:
    """What was typed in the district search field (as long as the field allows)."""
    return request.GET.get("district_q", "").strip()[:100]


def _searched_district(request, level: Level, access):
    """A district searched by name or code that only one district matches: the redirect to
    the page filtered by it (`?district=CODE`, the address the exports and links use)."""
    searched = _typed_district(request)
    if not searched or request.GET.get("district"):
        return None
    matches = matching_districts(_districts(level, access), searched)
    if len(matches) != 1:
        return None  # the page lists the matches, or says there is none
    params = request.GET.copy()
    params.pop("district_q")
    params.pop("page", None)
    params["district"] = matches[0].code
    return redirect(f"{request.path}?{params.urlencode()}")


def _page_query(request) -> str:
    """The query string of the current filters, for links to other pages."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _query(kind, district) -> str:
    params = {}
    if kind is not None:
        params["kind"] = kind.code
    if district is not None:
        params["district"] = district.code
    return f"?{urlencode(params)}" if params else ""


@login_required
def index(request):
    """The periods, with the results pages the caller may open for each."""
    switches = {switch.period_id: switch for switch in PublicResults.objects.all()}
    entries = []
    for period in Period.objects.select_related("criteria_version"):
        try:
            access = results_access.ranking_access(request.user, period)
        except PermissionDenied:
            access = None
        switch = switches.get(period.pk)
        entries.append(
            {
                "period": period,
                "access": access,
                "switch": switch,
                "public": bool(switch and switch.enabled)
                and results_access.results_are_final(period),
            }
        )
    ctx = {
        "entries": entries,
        "may_see_dashboard": results_access.may_see_dashboard(request.user),
        "may_switch_public": results_access.may_switch_public(request.user),
    }
    return render(request, "results/index.html", ctx)


@login_required
def ranking_default(request, period_code):
    period = _period(period_code)
    access = results_access.ranking_access(request.user, period)
    if not access.levels:
        raise PermissionDenied("Không có cấp nào để xếp hạng.")
    return redirect("results:ranking", period_code=period.code, level_code=access.levels[0].code)


@login_required
def ranking(request, period_code, level_code):
    period = _period(period_code)
    access = results_access.ranking_access(request.user, period)
    level = _level(period, access, level_code)
    found = _searched_district(request, level, access)
    if found is not None:
        return found
    # Fifty reviewers paging through thousands of communes ask for the same pages: the
    # content is rendered once per state of the scores (see page_cache).
    key = ranking_key(request, period, level, access)
    content = cached_content(key, lambda: _ranking_content(request, period, access, level))
    ctx = {"period": period, "level": level, "content": mark_safe(content)}
    return render(request, "results/ranking.html", ctx)


def _ranking_content(request, period, access, level) -> str:
    filters = _filters(request, level, access)
    scope = {
        "user": request.user if access.scoped_to_user else None,
        "kind": filters["kind"],
        "district": filters["district"],
    }
    # A national level has thousands of communes: the page shows RANKING_PAGE_SIZE of them,
    # ranked by the database from the stored scores when it can rank exactly.
    number = request.GET.get("page")
    fast = ranking_page(period, level, number=number, per_page=RANKING_PAGE_SIZE, **scope)
    if fast is not None:
        result, page, not_started = fast.ranking, fast.page, fast.not_started
        page_rows = result.rows
    else:
        result = build_ranking(period, level, **scope)
        page = Paginator(started(result.rows), RANKING_PAGE_SIZE).get_page(number)
        not_started = [row for row in result.rows if not row.assessment.pk]
        page_rows = page.object_list
    ctx = {
        "period": period,
        "access": access,
        "level": level,
        "ranking": result,
        "page": page,
        "page_query": _page_query(request),
        "rows": [(row, access.may_open_sheet(row.unit)) for row in page_rows],
        "not_started": not_started,
        "has_bands": period.grade_bands.exists(),
        "filtered": filters["kind"] is not None or filters["district"] is not None,
        **filters,
    }
    return render_to_string("results/_ranking_content.html", ctx, request=request)


@login_required
def level_gaps(request, period_code, level_code):
    """Which criteria lose the units of a level the most points."""
    period = _period(period_code)
    access = results_access.ranking_access(request.user, period)
    access.require_detail()
    level = _level(period, access, level_code)
    found = _searched_district(request, level, access)
    if found is not None:
        return found
    filters = _filters(request, level, access)
    result = build_ranking(
        period,
        level,
        user=request.user if access.scoped_to_user else None,
        kind=filters["kind"],
        district=filters["district"],
    )
    ctx = {
        "period": period,
        "access": access,
        "level": level,
        "ranking": result,
        "losses": ranking_losses(result),
        "units": len(started(result.rows)),
        **filters,
    }
    return render(request, "results/level_gaps.html", ctx)


@login_required
def unit_gaps(request, period_code, unit_code):
    """Where one unit lost points and what it would take to reach full points."""
    assessment_access = get_assessment_for_user(request.user, period_code, unit_code)
    sheet = score_sheet(assessment_access.assessment)
    ctx = {
        "access": assessment_access,
        "sheet": sheet,
        "gaps": sheet_gaps(sheet),
        "lost": lost_total(sheet),
    }
    return render(request, "results/unit_gaps.html", ctx)


@login_required
def dashboard_latest(request):
    results_access.require_dashboard(request.user)
    period = Period.objects.first()
    if period is None:
        raise Http404("Chưa có kỳ đánh giá")
    return redirect("results:dashboard", period_code=period.code)


@login_required
def dashboard(request, period_code):
    results_access.require_dashboard(request.user)
    period = _period(period_code)
    data, summaries = dashboard_data(period, request.user)
    data["text"] = {
        "total": gettext("Total"),
        "share": gettext("Average share of points (%)"),
        "full": gettext("Units at full points (%)"),
        "submitted": gettext("Submitted (cumulative)"),
        "deadline": gettext("Deadline"),
        "units": gettext("Units"),
    }
    ctx = {
        "period": period,
        "periods": Period.objects.all(),
        "data": data,
        "level_charts": list(enumerate(zip(data["rankings"], data["criteria"], strict=True))),
        "summaries": summaries,
        "is_preliminary": not results_access.results_are_final(period),
    }
    return render(request, "results/dashboard.html", ctx)


def public_results(request, period_code):
    """Final results for everyone, without login: unit, rank, total and grade only."""
    period = _period(period_code)
    if not is_public(period):
        raise Http404("Kết quả của kỳ này không được công khai")
    ctx = {"period": period, "levels": public_rankings(period)}
    return render(request, "results/public.html", ctx)


@login_required
@require_POST
def public_switch(request, period_code):
    period = _period(period_code)
    enabled = request.POST.get("enabled") == "1"
    set_public_results(period, request.user, enabled=enabled)
    if enabled and not results_access.results_are_final(period):
        messages.success(
            request,
            f"Đã bật công khai kết quả {period.name}; trang công khai hiện ra khi kết quả "
            "chính thức được chốt.",
        )
    elif enabled:
        messages.success(request, f"Đã công khai kết quả {period.name}.")
    else:
        messages.success(request, f"Đã tắt trang công khai kết quả {period.name}.")
    return redirect("results:index")
