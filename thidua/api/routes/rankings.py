"""Rankings of a period per level, within the caller's scope."""

from __future__ import annotations

from ninja import Router

from thidua.api.errors import error_responses
from thidua.api.lookups import get_district, get_kind, get_level, get_period
from thidua.api.present import number, unit_ref
from thidua.api.schemas import DistrictFilter, KindFilter, LevelCode, PeriodCode, RankingOut
from thidua.api.scopes import Scope, requires
from thidua.results.ranking import build_ranking

router = Router(tags=["rankings"])


@router.get(
    "/periods/{period_code}/rankings/{level_code}",
    response={200: RankingOut, **error_responses(401, 404, 422)},
    summary="Ranking of one level of a period",
    openapi_extra=requires(Scope.UNIT_LIST),
)
def get_ranking(
    request,
    period_code: PeriodCode,
    level_code: LevelCode,
    kind: KindFilter = None,
    district: DistrictFilter = None,
):
    """Units of the level ranked by exact final total; equal totals share a rank. Ranks are
    among the rows returned: the units the caller may see, of one unit kind or of one
    district's communes when asked. `is_preliminary` until the period's results are final.

    Scope `unit-list`: units outside the caller's scope are left out."""
    period = get_period(period_code)
    level = get_level(level_code)
    ranking = build_ranking(
        period,
        level,
        user=request.user,
        kind=get_kind(kind, level) if kind else None,
        district=get_district(district) if district else None,
    )
    codes = [criterion.code for criterion in ranking.criteria]
    return {
        "period": period.code,
        "level": level.code,
        "kind": ranking.kind.code if ranking.kind else None,
        "district": ranking.district.code if ranking.district else None,
        "is_preliminary": ranking.is_preliminary,
        "decimals": ranking.decimals,
        "criteria": codes,
        "rows": [
            {
                "rank": row.rank,
                "unit": unit_ref(row.unit),
                "total": number(row.total),
                "total_display": ranking.fmt(row.total),
                "self_total": number(row.self_total),
                "complete": row.complete,
                "is_final": row.is_final,
                "grade": row.grade.name if row.grade else None,
                "scores": {code: number(row.criterion_score(code)) for code in codes},
            }
            for row in ranking.rows
        ],
    }
